import { App, Chart } from 'cdk8s';
import { DestinationRule, Gateway, HttpRoute, ModelServer, SeldonDeployment, StringMatch, VirtualService } from '../src';
import { errorOf, synth, testChart } from './util';
import { RULES, RuleSource } from '../src/rules/rule';

const iris = { name: 'main', graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: 'gs://models/iris' } };
const svc = (name: string) => `${name}.models.svc.cluster.local`;
const route = (name: string, host: string, subset?: string, prefix?: string): HttpRoute => ({
  name, matches: prefix ? [{ uri: StringMatch.prefix(prefix) }] : undefined, destinations: [{ host, subset }],
});

describe('rule catalogue', () => {
  test('every rule has a unique id, a description, a source and the upstream rule it mirrors', () => {
    const ids = RULES.map(r => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^(K8S|SDW|SDO|ISV|IST|XRS|POL|SEC|TFS|EGR)\d{3,4}(-[A-Z]+)?$/);
      expect(rule.description.length).toBeGreaterThan(10);
      expect(Object.values(RuleSource)).toContain(rule.source);
      expect(rule.upstream.length).toBeGreaterThan(5);
    }
    // The rules the conformance issue lists are all there.
    expect(ids).toEqual(expect.arrayContaining([
      'SDW001', 'SDW002', 'SDW003', 'SDW004', 'SDW005', 'ISV001', 'ISV002', 'ISV003', 'ISV004', 'ISV005', 'ISV006', 'ISV007',
      'ISV008', 'ISV009', 'ISV010', 'ISV016', 'IST0101', 'IST0101-GW', 'IST0130', 'IST0131', 'XRS001', 'XRS002', 'POL001',
    ]));
    expect(RULES.filter(r => r.source === RuleSource.POLICY).map(r => r.id)).toContain('POL001');
  });
});

describe('cross-resource rules over the whole app', () => {
  test('IST0101: a route to a subset that no DestinationRule defines is refused, naming the subsets that exist', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new DestinationRule(chart, 'DR', { host: 'iris', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    new VirtualService(chart, 'VS', { hosts: ['iris'], routes: [route('default', 'iris', 'v2')] });
    expect(errorOf(() => app.synthYaml())).toMatch(
      /\[test\/VS\] \[IST0101\] route 'default' sends to subset 'v2' of iris.models.svc.cluster.local, which no DestinationRule of the app defines \(it defines \["v1"\]\)/);
  });

  test('IST0101: short and fully qualified hosts are the same host; subsets added later count', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const dr = new DestinationRule(chart, 'DR', { host: svc('iris') });
    new VirtualService(chart, 'VS', { hosts: ['iris'], routes: [route('default', 'iris', 'v1')] });
    dr.addSubset({ name: 'v1', labels: { version: 'v1' } });
    expect(synth(app).map(m => m.kind)).toEqual(['DestinationRule', 'VirtualService']);
  });

  test('IST0101: the DestinationRules the Seldon operator writes for a Seldon-managed deployment count', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new SeldonDeployment(chart, 'Sdep', { name: 'iris', predictors: [iris] });
    new VirtualService(chart, 'VS', { hosts: ['iris.example.com'], gateways: [Gateway.fromName('istio-system/other')], routes: [route('default', svc('iris-main'), 'main')] });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('IST0101-GW: a Gateway construct of another app is not in this one', () => {
    const other = new Gateway(new Chart(new App(), 'ingress'), 'Gateway');
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'VS', { hosts: ['a.example.com'], gateways: [other], routes: [route('default', 'iris')] });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/VS\] \[IST0101-GW\] gateway 'istio-system\/seldon-gateway' is a Gateway construct of another app/);
  });

  test('IST0131: a route that repeats an earlier match never applies', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'VS', {
      hosts: ['a.example.com'],
      gateways: [Gateway.fromName('istio-system/seldon-gateway')],
      routes: [route('first', 'a', undefined, '/api/'), route('again', 'b', undefined, '/api/'), route('default', 'c')],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/VS\] \[IST0131\] route 'again' repeats a match of route 'first'/);
  });

  test('XRS001: two VirtualServices with the same gateway, host and match are refused; different matches are fine', () => {
    const gateway = Gateway.fromName('istio-system/seldon-gateway');
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'A', { hosts: ['m.example.com'], gateways: [gateway], routes: [route('a', 'a', undefined, '/a/')] });
    new VirtualService(chart, 'B', { hosts: ['m.example.com'], gateways: [gateway], routes: [route('b', 'b', undefined, '/b/')] });
    expect(() => app.synthYaml()).not.toThrow();
    new VirtualService(chart, 'C', { hosts: ['m.example.com'], gateways: [gateway], routes: [route('c', 'c', undefined, '/a/')] });
    expect(errorOf(() => app.synthYaml())).toMatch(
      /\[test\/C\] \[XRS001\] route 'c' claims host 'm.example.com' on gateway 'istio-system\/seldon-gateway' with the same match as test\/A \(route 'a'\)/);
  });

  test('XRS001: in the mesh, two VirtualServices for one host conflict whatever their matches', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'A', { hosts: ['iris'], routes: [route('a', 'iris', undefined, '/a/'), route('rest', 'iris')] });
    new VirtualService(chart, 'B', { hosts: ['iris.models.svc.cluster.local'], routes: [route('b', 'iris', undefined, '/b/'), route('rest', 'iris')] });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/B\] \[XRS001\] route 'b' claims host 'iris.models.svc.cluster.local' on gateway 'mesh' as test\/A/);
  });

  test("XRS001: a VirtualService that claims a Seldon-managed deployment's public path fights the operator's", () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new SeldonDeployment(chart, 'Sdep', { name: 'iris', gateway: Gateway.fromName('istio-system/seldon-gateway'), hosts: ['m.example.com'], predictors: [iris] });
    new VirtualService(chart, 'VS', {
      hosts: ['m.example.com'], gateways: [Gateway.fromName('istio-system/seldon-gateway')], routes: [route('mine', svc('iris-main'), undefined, '/seldon/models/iris/')],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/VS\] \[XRS001\] route 'mine' claims host 'm.example.com' .* as test\/Sdep \(the Seldon operator's VirtualService iris\) \(route 'rest'\)/);
  });

  test('XRS002: objects named like the operator\'s are refused', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new SeldonDeployment(chart, 'Sdep', { name: 'iris', predictors: [iris] });
    new VirtualService(chart, 'VS', { name: 'iris', hosts: ['other'], routes: [route('default', 'other')] });
    new DestinationRule(chart, 'DR', { name: 'iris-main', host: 'other' });
    const message = errorOf(() => app.synthYaml());
    expect(message).toMatch(/\[test\/VS\] \[XRS002\] VirtualService name 'iris' is a name the Seldon operator gives its own objects for test\/Sdep/);
    expect(message).toMatch(/\[test\/DR\] \[XRS002\] DestinationRule name 'iris-main'/);
  });

  test('XRS003: a second DestinationRule for one host (ours, or beside the operator\'s) is refused', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new SeldonDeployment(chart, 'Sdep', { name: 'iris', predictors: [iris] });
    new DestinationRule(chart, 'Mine', { name: 'iris-tls', host: svc('iris-main') });
    expect(errorOf(() => app.synthYaml())).toMatch(
      /\[test\/Mine\] \[XRS003\] host 'iris-main.models.svc.cluster.local' also has the DestinationRule of test\/Sdep \(the Seldon operator's DestinationRule iris-main\)/);
  });

  test('the rules see objects by namespace: the same names in two namespaces do not clash', () => {
    const app = new App();
    for (const ns of ['a', 'b']) {
      const chart = new Chart(app, ns, { namespace: ns });
      new DestinationRule(chart, 'DR', { name: 'iris', host: 'iris', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
      new VirtualService(chart, 'VS', { name: 'iris', hosts: ['iris'], routes: [route('default', 'iris', 'v1')] });
    }
    expect(() => app.synthYaml()).not.toThrow();
  });
});

describe('ISV016: overlapping hosts in one VirtualService', () => {
  test.each([
    [['a.example.com', 'a.example.com'], true],
    [['*.example.com', 'models.example.com'], true],
    [['*', 'preview.example.com'], true],
    [['*.com', '*.example.com'], true],
    [['a.example.com', 'b.example.com'], false],
    [['*.example.com', 'example.com'], false],
    [['*.example.com', '*.example.org'], false],
  ])('%j overlap: %s', (hosts, overlap) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'VS', { hosts, gateways: [Gateway.fromName('istio-system/seldon-gateway')], routes: [route('default', 'iris')] });
    if (overlap) expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/VS\] \[ISV016\] hosts '.*' and '.*' overlap, which Istio refuses/);
    else expect(() => app.synthYaml()).not.toThrow();
  });
});

describe('ISV006/ISV007: retries as Istio 1.30 accepts them', () => {
  const vs = (retries: any) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'VS', { hosts: ['iris'], routes: [{ ...route('default', 'iris'), retries }] });
    return app;
  };
  test('attempts: 0 disables retries and is written alone (no default retryOn beside it)', () => {
    const spec = synth(vs({ attempts: 0 })).find(m => m.kind === 'VirtualService').spec;
    expect(spec.http[0].retries).toEqual({ attempts: 0 });
  });
  test('retryOn with 0 attempts is refused', () => {
    expect(errorOf(() => vs({ attempts: 0, retryOn: ['5xx'] }).synthYaml())).toMatch(/\[ISV006\] route 'default': retryOn is set with 0 retry attempts/);
  });
  test('a status code Go does not know is refused, a known one accepted', () => {
    expect(errorOf(() => vs({ attempts: 1, retryOn: ['599'] }).synthYaml())).toMatch(/\[ISV007\] route 'default': retryOn '599'/);
    expect(() => vs({ attempts: 1, retryOn: ['503', '429'] }).synthYaml()).not.toThrow();
  });
});

describe('validation results are kept for one generation of the app', () => {
  test('a change after a synth is validated again', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const dr = new DestinationRule(chart, 'DR', { host: 'iris', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    const vs = new VirtualService(chart, 'VS', { hosts: ['iris'], routes: [route('default', 'iris', 'v1')] });
    expect(() => app.synthYaml()).not.toThrow();
    vs.addRoute(route('late', 'iris', 'v2'));
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/VS\] \[IST0130\] route 'default' matches every request/);
    dr.addSubset({ name: 'v2', labels: { version: 'v2' } });
    expect(errorOf(() => app.synthYaml())).not.toMatch(/IST0101/);
  });
});

describe('cross-resource rules: how hosts, gateways and matches are compared (from mutation survivors)', () => {
  test('IST0101 without any DestinationRule for the host says so without listing subsets; listed subsets are sorted', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'VS', { hosts: ['iris'], routes: [route('default', 'iris', 'v2')] });
    const bare = errorOf(() => app.synthYaml());
    expect(bare).toContain("route 'default' sends to subset 'v2' of iris.models.svc.cluster.local, which no DestinationRule of the app defines: add the subset");
    new DestinationRule(chart, 'DR', { host: 'iris', subsets: [{ name: 'v3', labels: { version: 'v3' } }, { name: 'v1', labels: { version: 'v1' } }] });
    expect(errorOf(() => app.synthYaml())).toContain('which no DestinationRule of the app defines (it defines ["v1","v3"]): add the subset');
  });

  test('a `name.namespace` host is the same host as the short name in that namespace', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new DestinationRule(chart, 'DR', { host: 'iris.models', subsets: [{ name: 'v1', labels: { version: 'v1' } }] });
    new VirtualService(chart, 'VS', { hosts: ['iris'], routes: [route('default', 'iris', 'v1')] });
    expect(() => app.synthYaml()).not.toThrow();
    new DestinationRule(chart, 'Other', { host: 'iris.models.svc.cluster.local' });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[XRS003\] host 'iris.models.svc.cluster.local' also has the DestinationRule of test\/(DR|Other)/);
  });

  test('XRS001: a bare gateway name is the gateway of the VirtualService\'s namespace; match keys ignore the order of conditions', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const match = (first: 'uri' | 'headers') => first === 'uri'
      ? { uri: StringMatch.prefix('/a/'), headers: { 'x-group': StringMatch.exact('beta') } }
      : { headers: { 'x-group': StringMatch.exact('beta') }, uri: StringMatch.prefix('/a/') };
    new VirtualService(chart, 'A', { hosts: ['m.example.com'], gateways: [Gateway.fromName('public')], routes: [{ name: 'a', matches: [match('uri')], destinations: [{ host: 'a' }] }] });
    new VirtualService(chart, 'B', { hosts: ['m.example.com'], gateways: [Gateway.fromName('models/public')], routes: [{ name: 'b', matches: [match('headers')], destinations: [{ host: 'b' }] }] });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/B\] \[XRS001\] route 'b' claims host 'm.example.com' on gateway 'models\/public' with the same match as test\/A \(route 'a'\)/);
  });

  test('XRS004 names every construct that writes the name, sorted by path', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new VirtualService(chart, 'Zeta', { name: 'routes', hosts: ['z.example.com'], gateways: [Gateway.fromName('istio-system/public')], routes: [route('z', 'z')] });
    new VirtualService(chart, 'Alpha', { name: 'routes', hosts: ['a.example.com'], gateways: [Gateway.fromName('istio-system/public')], routes: [route('a', 'a')] });
    expect(errorOf(() => app.synthYaml())).toContain("[XRS004] 2 VirtualServices are named 'routes' in namespace 'models' (test/Alpha, test/Zeta)");
  });

  test('a SeldonDeployment\'s gateway annotation names a Gateway construct of another app: refused', () => {
    const other = new Gateway(new Chart(new App(), 'ingress'), 'Gateway');
    const { app, chart } = testChart({ namespace: 'models' });
    new SeldonDeployment(chart, 'Sdep', { name: 'iris', predictors: [iris], gateway: other });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/Sdep\] \[IST0101-GW\] gateway 'istio-system\/seldon-gateway' is a Gateway construct of another app/);
  });
});
