import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Duration } from 'cdk8s';
import { ClientTlsMode, DestinationRule, Gateway, ModelServer, ModelVariant, RouteReport, Routing, Shadow, StringMatch, VirtualService } from '../src';
import { errorOf, only, synth, testChart } from './util';

const host = 'iris-main.models.svc.cluster.local';

describe('VirtualService', () => {
  test('typed routes, with routes added after construction rendered in order', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const vs = new VirtualService(chart, 'VS', {
      name: 'iris',
      hosts: ['iris.example.com'],
      gateways: [Gateway.fromName('istio-system/seldon-gateway')],
      routes: [{
        name: 'beta',
        matches: [{ headers: { 'x-group': StringMatch.exact('beta') }, uri: StringMatch.prefix('/api/') }],
        destinations: [{ host, subset: 'canary', port: 8000, responseHeaders: { 'x-served-by': 'canary' } }],
        rewriteUri: '/',
        timeout: Duration.seconds(3),
        retries: { attempts: 2, perTryTimeout: Duration.millis(250), retryOn: ['5xx', '503'] },
      }],
    });
    // IST0101: every subset routed to must be defined for its host.
    new DestinationRule(chart, 'Subsets', {
      host, subsets: ['main', 'canary', 'shadow-a', 'shadow-b'].map(version => ({ name: version, labels: { version } })),
    });
    vs.addRoute({
      name: 'default',
      destinations: [{ host, subset: 'main', weight: 90 }, { host, subset: 'canary', weight: 10 }],
      mirrors: [{ host, subset: 'shadow-a', percentage: 10 }, { host, subset: 'shadow-b', percentage: 5.5 }],
    });
    const spec = only(synth(app), 'VirtualService').spec;
    expect(spec.gateways).toEqual(['istio-system/seldon-gateway']);
    expect(spec.http[0]).toEqual({
      name: 'beta',
      match: [{ headers: { 'x-group': { exact: 'beta' } }, uri: { prefix: '/api/' } }],
      rewrite: { uri: '/' },
      route: [{ destination: { host, subset: 'canary', port: { number: 8000 } }, headers: { response: { set: { 'x-served-by': 'canary' } } } }],
      timeout: '3s',
      retries: { attempts: 2, perTryTimeout: '250ms', retryOn: '5xx,503' },
    });
    expect(spec.http[1]).toEqual({
      name: 'default',
      route: [{ destination: { host, subset: 'main' }, weight: 90 }, { destination: { host, subset: 'canary' }, weight: 10 }],
      mirrors: [
        { destination: { host, subset: 'shadow-a' }, percentage: { value: 10 } },
        { destination: { host, subset: 'shadow-b' }, percentage: { value: 5.5 } },
      ],
    });
    expect(spec.http[1].mirror).toBeUndefined();
  });

  test.each<[string, any, RegExp]>([
    ['catch-all not last', { routes: [{ name: 'all', destinations: [{ host }] }, { name: 'b', matches: [{ headers: { x: StringMatch.exact('1') } }], destinations: [{ host }] }] }, /\[IST0130\] route 'all' matches every request but is not the last route, so the routes after it never apply/],
    ['mesh with *', { hosts: ['*'], gateways: [Gateway.mesh()] }, /host '\*' is not allowed for a VirtualService bound to the 'mesh' gateway/],
    ['no gateway means the mesh', { hosts: ['*'], gateways: undefined }, /host '\*' is not allowed for a VirtualService bound to the 'mesh' gateway/],
    ['weights not summing to 100', { routes: [{ name: 'r', destinations: [{ host, subset: 'a', weight: 60 }, { host, subset: 'b', weight: 30 }] }] }, /route 'r': weights sum to 90, not 100/],
    ['negative weight', { routes: [{ name: 'r', destinations: [{ host, subset: 'a', weight: -10 }, { host, subset: 'b', weight: 110 }] }] }, /\[ISV001\] route 'r': .*\/a: weight -10 must be an integer from 0 to 100/],
    ['perTryTimeout with 0 attempts', { routes: [{ name: 'r', destinations: [{ host }], retries: { attempts: 0, perTryTimeout: Duration.seconds(1) } }] }, /perTryTimeout is set with 0 retry attempts, which Istio refuses/],
    ['unknown retryOn', { routes: [{ name: 'r', destinations: [{ host }], retries: { attempts: 1, retryOn: ['sometimes'] } }] }, /retryOn 'sometimes' is not a known Envoy retry policy/],
    ['zero timeout', { routes: [{ name: 'r', destinations: [{ host }], timeout: Duration.millis(0) }] }, /timeout 0ms is not a valid Istio duration: use at least 1ms/],
    ['mirror over 100%', { routes: [{ name: 'r', destinations: [{ host }], mirrors: [{ host, percentage: 101 }] }] }, /\[ISV008\] route 'r': mirror to .*: mirror percentage 101 must be from 0 to 100/],
    ['invalid subset', { routes: [{ name: 'r', destinations: [{ host, subset: 'V_1' }] }] }, /\[ISV010\] route 'r': subset 'V_1' is not a valid subset name \(DNS-1123 label\)/],
    ['duplicate route names', { routes: [{ name: 'r', matches: [{ uri: StringMatch.prefix('/a') }], destinations: [{ host }] }, { name: 'r', destinations: [{ host }] }] }, /route 'r' is defined twice/],
    ['sourceLabels through a gateway', { routes: [{ name: 'r', matches: [{ sourceLabels: { app: 'x' } }], destinations: [{ host }] }] }, /sourceLabels match the calling workload and only work for routes bound to the 'mesh' gateway alone/],
    ['no routes', { routes: [] }, /has no routes/],
  ])('%s is refused', (_, overrides, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'VS', { hosts: ['iris.example.com'], gateways: [Gateway.fromName('istio-system/seldon-gateway')], routes: [{ name: 'r', destinations: [{ host }] }], ...overrides });
    expect(errorOf(() => app.synthYaml())).toMatch(expected);
  });
});

describe('DestinationRule', () => {
  test('subsets, added late too, and the traffic policy', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const dr = new DestinationRule(chart, 'DR', { name: 'iris', host, subsets: [{ name: 'main', labels: { version: 'main' } }], idleTimeout: Duration.seconds(60), tlsMode: ClientTlsMode.ISTIO_MUTUAL });
    dr.addSubset({ name: 'canary', labels: { version: 'canary' } });
    expect(dr.subsetNames).toEqual(['main', 'canary']);
    expect(only(synth(app), 'DestinationRule')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'DestinationRule',
      metadata: { name: 'iris', namespace: 'models' },
      spec: {
        host,
        subsets: [{ name: 'main', labels: { version: 'main' } }, { name: 'canary', labels: { version: 'canary' } }],
        trafficPolicy: { connectionPool: { http: { idleTimeout: '60s' } }, tls: { mode: 'ISTIO_MUTUAL' } },
      },
    });
  });

  test.each<[string, any, RegExp]>([
    ['duplicate subset', { subsets: [{ name: 'a', labels: { v: 'a' } }, { name: 'a', labels: { v: 'b' } }] }, /subset 'a' is defined twice/],
    ['subset without labels', { subsets: [{ name: 'a', labels: {} }] }, /subset 'a' has no labels/],
    ['wildcard host', { host: '*' }, /host '\*' is not allowed in a DestinationRule/],
  ])('%s is refused', (_, overrides, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new DestinationRule(chart, 'DR', { host, ...overrides });
    expect(errorOf(() => app.synthYaml())).toMatch(expected);
  });
});

describe('RouteReport', () => {
  const variant = (v: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${v}` } });

  test('reports the routes the operator will write for a Seldon-managed endpoint', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Shadow(chart, 'S', { name: 'iris', stable: variant('a'), shadow: variant('b'), mirrorPercentage: 25 });
    const report = RouteReport.fromApp(app);
    expect(report.rows.map(r => [r.route, r.destination, r.weight, r.mirrorPercentage])).toEqual([
      ['rest', 'iris-stable.models.svc.cluster.local/stable:8000', 100, undefined],
      ['rest', 'iris-shadow.models.svc.cluster.local/shadow:8000', undefined, 25],
      ['grpc', 'iris-stable.models.svc.cluster.local/stable:5001', 100, undefined],
      ['grpc', 'iris-shadow.models.svc.cluster.local/shadow:5001', undefined, 25],
    ]);
    expect(report.toMarkdown()).toContain('| models/iris (Seldon operator) | istio-system/seldon-gateway | * | rest | uri prefix /seldon/models/iris/ | iris-stable.models.svc.cluster.local/stable:8000 | 100% |  |');
    expect(report.toMermaid()).toContain('-.->|mirror 25%|');
  });

  test('reports our VirtualServices and not the SeldonDeployment they route to', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Shadow(chart, 'S', { name: 'iris', routing: Routing.istio(), stable: variant('a'), shadow: variant('b'), mirrorPercentage: 25 });
    const report = RouteReport.fromApp(app);
    expect(report.rows.map(r => r.source)).toEqual(Array(4).fill('models/iris-routes'));
    expect(report.rows[0].match).toBe('uri prefix /seldon/models/iris/');
    expect(report.toMermaid().split('\n')[0]).toBe('flowchart LR');
  });

  test('the command reads YAML files and directories, including hand-written VirtualServices', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'routes-'));
    fs.writeFileSync(path.join(dir, 'vs.yaml'), [
      'apiVersion: networking.istio.io/v1', 'kind: VirtualService', 'metadata: { name: hand, namespace: web }',
      'spec:', '  hosts: [web.example.com]', '  gateways: [istio-system/gw]', '  http:',
      '  - match: [{ headers: { x-beta: { exact: "1" } } }]', '    route: [{ destination: { host: web-beta } }]',
      '  - route: [{ destination: { host: web, subset: v1 }, weight: 95 }, { destination: { host: web, subset: v2 }, weight: 5 }]',
    ].join('\n'));
    const cli = path.join(__dirname, '..', 'src', 'report', 'cli.ts');
    const out = execFileSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', cli, dir], { encoding: 'utf-8' });
    expect(out).toContain('| web/hand | istio-system/gw | web.example.com | #0 | header x-beta exact 1 | web-beta | 100% |  |');
    expect(out).toContain('| web/hand | istio-system/gw | web.example.com | #1 | * | web/v2 | 5% |  |');
    expect(out).toContain('```mermaid');
  });
});
