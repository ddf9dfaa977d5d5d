import { Chart, Testing } from 'cdk8s';
import { Gateway, GatewayServer, GatewayTlsMode, IstioApiVersion } from '../src';
import { errorOf, only, synth, testChart } from './util';

describe('Gateway', () => {
  test('defaults reproduce the seed seldon-gateway (istio-system, HTTP 80, every host)', () => {
    const { app, chart } = testChart();
    new Gateway(chart, 'Gateway');
    expect(only(synth(app), 'Gateway')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Gateway',
      metadata: { name: 'seldon-gateway', namespace: 'istio-system' },
      spec: {
        selector: { istio: 'ingressgateway' },
        servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }],
      },
    });
  });

  test('HTTPS server reproduces the seed SSL gateway', () => {
    const { app, chart } = testChart();
    new Gateway(chart, 'Gateway', { servers: [GatewayServer.https({ credentialName: 'seldon-ssl-cert' })] });
    expect(only(synth(app), 'Gateway').spec.servers).toEqual([{
      hosts: ['*'],
      port: { name: 'https', number: 443, protocol: 'HTTPS' },
      tls: { credentialName: 'seldon-ssl-cert', mode: 'SIMPLE' },
    }]);
  });

  test('MUTUAL TLS, custom ports, hosts, selector and servers added late', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const gw = new Gateway(chart, 'Gateway', {
      name: 'models-gateway',
      selector: { app: 'internal-gateway' },
      servers: [GatewayServer.http({ port: 8080, hosts: ['models.example.com'], httpsRedirect: true })],
    });
    gw.addServer(GatewayServer.https({ credentialName: 'mtls', mode: GatewayTlsMode.MUTUAL, port: 8443, hosts: ['models/*.example.com'] }));
    const manifest = only(synth(app), 'Gateway');
    expect(manifest.metadata).toEqual({ name: 'models-gateway', namespace: 'models' });
    expect(gw.gatewayRef).toBe('models/models-gateway');
    expect(manifest.spec.selector).toEqual({ app: 'internal-gateway' });
    expect(manifest.spec.servers).toEqual([
      { port: { number: 8080, name: 'http', protocol: 'HTTP' }, hosts: ['models.example.com'], tls: { httpsRedirect: true } },
      { port: { number: 8443, name: 'https', protocol: 'HTTPS' }, hosts: ['models/*.example.com'], tls: { mode: 'MUTUAL', credentialName: 'mtls' } },
    ]);
  });

  test('references to existing gateways and the mesh', () => {
    expect(Gateway.fromName('istio-system/seldon-gateway').gatewayRef).toBe('istio-system/seldon-gateway');
    expect(Gateway.mesh().gatewayRef).toBe('mesh');
  });

  test('IstioApiVersion switches the app to v1beta1', () => {
    const app = Testing.app();
    IstioApiVersion.use(app, IstioApiVersion.V1BETA1);
    new Gateway(new Chart(app, 'c'), 'Gateway');
    expect(only(synth(app), 'Gateway').apiVersion).toBe('networking.istio.io/v1beta1');
  });

  test('IstioApiVersion can be set per chart', () => {
    const app = Testing.app();
    const old = new Chart(app, 'old');
    IstioApiVersion.use(old, IstioApiVersion.V1BETA1);
    new Gateway(old, 'Gateway', { name: 'old' });
    new Gateway(new Chart(app, 'new'), 'Gateway', { name: 'new' });
    const versions = synth(app).map(m => `${m.metadata.name}:${m.apiVersion}`);
    expect(versions).toEqual(['old:networking.istio.io/v1beta1', 'new:networking.istio.io/v1']);
  });

  describe('bad input is an error at synth naming the construct, the value and the fix', () => {
    test.each([
      ['port out of range', { servers: [GatewayServer.http({ port: 70000 })] }, /\[test\/Gateway\] \[ISV012\] server 'http': port 70000 is out of range: use an integer from 1 to 65535/],
      ['port zero', { servers: [GatewayServer.http({ port: 0 })] }, /port 0 is out of range/],
      ['non-integer port', { servers: [GatewayServer.http({ port: 80.5 })] }, /port 80.5 is out of range/],
      ['TLS without credential', { servers: [GatewayServer.https({ credentialName: '' })] }, /TLS mode SIMPLE needs credentialName/],
      ['invalid name', { name: 'Seldon_Gateway' }, /Gateway name 'Seldon_Gateway' is not a valid DNS-1123 label/],
      ['invalid namespace', { namespace: 'istio.system' }, /Gateway namespace 'istio.system' is not a valid DNS-1123 label/],
      ['invalid host', { servers: [GatewayServer.http({ hosts: ['bad host'] })] }, /host 'bad host' is not a valid host/],
      ['empty hosts', { servers: [GatewayServer.http({ hosts: [] })] }, /hosts is empty/],
      ['no servers', { servers: [] }, /Gateway has no server/],
      ['duplicate port names', { servers: [GatewayServer.http(), GatewayServer.http({ port: 8080 })] }, /port name 'http' is used by two servers/],
      ['empty selector', { selector: {} }, /Gateway selector is empty/],
    ])('%s', (_, props, expected) => {
      const { app, chart } = testChart();
      new Gateway(chart, 'Gateway', props);
      expect(errorOf(() => app.synthYaml())).toMatch(expected);
    });

    test('a bare chart.toJson() is guarded too', () => {
      const { chart } = testChart();
      new Gateway(chart, 'Gateway', { servers: [GatewayServer.http({ port: -1 })] });
      expect(errorOf(() => chart.toJson())).toMatch(/\[test\/Gateway\] \[ISV012\] server 'http': port -1 is out of range/);
    });
  });
});
