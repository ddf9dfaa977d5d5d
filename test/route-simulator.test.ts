/**
 * The route simulator's semantics, one Istio rule at a time, on hand-written manifests (so each
 * test shows the exact YAML shape it is about).
 */
import { ApiObject, App, Chart } from 'cdk8s';
import { RouteSimulator, SimulatedRequest, SimulationOutcome, SimulationResult } from '../src';

const NS = 'models';
const gateway = { apiVersion: 'networking.istio.io/v1', kind: 'Gateway', metadata: { name: 'public', namespace: 'istio-system' }, spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*.example.com', 'models.example.org'] }] } };
const service = (name: string, ports: number[], selector: Record<string, string> = { app: name }) =>
  ({ apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: NS }, spec: { selector, ports: ports.map(port => ({ port })) } });
const deployment = (name: string, labels: Record<string, string>) =>
  ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: NS }, spec: { selector: { matchLabels: labels }, template: { metadata: { labels } } } });
const subsets = (host: string, ...versions: string[]) =>
  ({ apiVersion: 'networking.istio.io/v1', kind: 'DestinationRule', metadata: { name: `${host}-subsets`, namespace: NS }, spec: { host, subsets: versions.map(v => ({ name: v, labels: { version: v } })) } });
const virtualService = (name: string, spec: any) => ({ apiVersion: 'networking.istio.io/v1', kind: 'VirtualService', metadata: { name, namespace: NS }, spec });
const app = [service('iris', [8000]), deployment('iris-v1', { app: 'iris', version: 'v1' }), deployment('iris-v2', { app: 'iris', version: 'v2' }), subsets('iris', 'v1', 'v2')];
const at = (request: Partial<SimulatedRequest>): SimulatedRequest => ({ gateway: 'istio-system/public', host: 'models.example.com', path: '/predict', ...request });
/** destination → probability, e.g. `{ 'iris/v1:8000': 0.9 }`. */
const shares = (r: SimulationResult) => Object.fromEntries(r.destinations.map(d => [`${d.host.split('.')[0]}/${d.subset ?? '*'}:${d.port}`, d.probability]));

function simulate(manifests: any[], request: Partial<SimulatedRequest>): SimulationResult {
  return RouteSimulator.fromManifests([gateway, ...manifests]).simulate(at(request));
}

describe('gateway binding and hosts', () => {
  const vs = virtualService('iris', { gateways: ['istio-system/public'], hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });

  test('a wildcard host matches any host under it, not the bare domain', () => {
    expect(simulate([...app, vs], { host: 'models.example.com' }).outcome).toBe(SimulationOutcome.ROUTED);
    expect(simulate([...app, vs], { host: 'a.b.example.com' }).outcome).toBe(SimulationOutcome.ROUTED);
    const bare = simulate([...app, vs], { host: 'example.com' });
    expect(bare.outcome).toBe(SimulationOutcome.NOT_FOUND);
    expect(bare.reason).toMatch(/no server on port 80 for host example.com/);
  });

  test('the Host header port and case do not matter; the gateway server port does', () => {
    expect(simulate([...app, vs], { host: 'Models.Example.com:80' }).outcome).toBe(SimulationOutcome.ROUTED);
    expect(simulate([...app, vs], { host: 'models.example.com', port: 443 }).status).toBe(404);
  });

  test('an exact host wins over a wildcard, whatever the manifest order', () => {
    const exact = virtualService('exact', { gateways: ['istio-system/public'], hosts: ['models.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    expect(shares(simulate([...app, vs, exact], {}))).toEqual({ 'iris/v2:8000': 1 });
    expect(shares(simulate([...app, vs, exact], { host: 'other.example.com' }))).toEqual({ 'iris/v1:8000': 1 });
  });

  test('a VirtualService bound to another gateway, or a bare gateway name in another namespace, does not apply', () => {
    const other = virtualService('iris', { gateways: ['public'], hosts: ['*'], http: [{ route: [{ destination: { host: 'iris' } }] }] });
    const r = simulate([...app, other], {});
    expect(r.status).toBe(404);
    expect(r.reason).toMatch(/no VirtualService bound to gateway istio-system\/public/);
  });

  test('a server host `<namespace>/host` admits VirtualServices of that namespace; `./host` of the gateway\'s', () => {
    const scoped = (hosts: string[]) => ({ ...gateway, spec: { ...gateway.spec, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts }] } });
    const exact = virtualService('iris', { gateways: ['istio-system/public'], hosts: ['models.example.com'], http: [{ route: [{ destination: { host: 'iris' } }] }] });
    const at80 = (hosts: string[]) => RouteSimulator.fromManifests([scoped(hosts), ...app, exact]).simulate(at({}));
    expect(at80(['models/models.example.com']).outcome).toBe(SimulationOutcome.ROUTED);
    expect(at80(['*/*.example.com']).outcome).toBe(SimulationOutcome.ROUTED);
    expect(at80(['other/models.example.com']).status).toBe(404);
    expect(at80(['./models.example.com']).status).toBe(404); // the VirtualService is in models, the gateway in istio-system
    const inGatewayNamespace = { ...exact, metadata: { name: 'iris', namespace: 'istio-system' }, spec: { ...exact.spec, http: [{ route: [{ destination: { host: 'iris.models.svc.cluster.local' } }] }] } };
    expect(RouteSimulator.fromManifests([scoped(['./models.example.com']), ...app, inGatewayNamespace]).simulate(at({})).outcome).toBe(SimulationOutcome.ROUTED);
  });

  test('a mesh request without a VirtualService takes the Service directly; at a gateway it is a 404', () => {
    const r = RouteSimulator.fromManifests(app).simulate({ gateway: 'mesh', host: 'iris.models', port: 8000 });
    expect(r.outcome).toBe(SimulationOutcome.ROUTED);
    expect(r.destinations[0].workloads.map(w => w.name)).toEqual([`Deployment ${NS}/iris-v1`, `Deployment ${NS}/iris-v2`]);
    expect(simulate(app, {}).status).toBe(404);
  });

  test('a gateway the manifests do not define is assumed to listen on 80 and 443, and the result says so', () => {
    const r = RouteSimulator.fromManifests([...app, virtualService('iris', { gateways: ['istio-system/elsewhere'], hosts: ['*'], http: [{ route: [{ destination: { host: 'iris' } }] }] })])
      .simulate(at({ gateway: 'istio-system/elsewhere' }));
    expect(r.outcome).toBe(SimulationOutcome.ROUTED);
    expect(r.notes).toEqual([expect.stringMatching(/istio-system\/elsewhere is not in the manifests/)]);
  });
});

describe('route matching', () => {
  const routes = (http: any[]) => [...app, virtualService('iris', { gateways: ['istio-system/public'], hosts: ['*'], http })];
  const to = (v: string) => [{ destination: { host: 'iris', subset: v } }];

  test('the first matching route wins; a route without match takes everything', () => {
    const vs = routes([
      { name: 'beta', match: [{ headers: { 'x-group': { exact: 'beta' } } }], route: to('v2') },
      { name: 'rest', route: to('v1') },
    ]);
    expect(simulate(vs, { headers: { 'X-Group': 'beta' } }).route).toBe('beta');
    expect(simulate(vs, { headers: { 'x-group': 'alpha' } }).route).toBe('rest');
    expect(simulate(vs, {}).route).toBe('rest');
  });

  test('conditions of one match are ANDed, matches of a route are ORed', () => {
    const vs = routes([
      { name: 'both', match: [{ headers: { 'x-a': { exact: '1' } }, uri: { prefix: '/v2/' } }, { headers: { 'x-b': { exact: '1' } } }], route: to('v2') },
    ]);
    expect(simulate(vs, { path: '/v2/predict', headers: { 'x-a': '1' } }).route).toBe('both');
    expect(simulate(vs, { path: '/v1/predict', headers: { 'x-a': '1' } }).status).toBe(404);
    expect(simulate(vs, { path: '/v1/predict', headers: { 'x-b': '1' } }).route).toBe('both');
  });

  test('header names are case-insensitive on both sides: Envoy lower-cases the request\'s and the match\'s', () => {
    const vs = routes([{ name: 'beta', match: [{ headers: { 'X-Group': { exact: 'beta' } } }], route: to('v2') }, { name: 'rest', route: to('v1') }]);
    expect(simulate(vs, { headers: { 'x-GROUP': 'beta' } }).route).toBe('beta');
    expect(simulate(vs, { headers: { 'x-group': 'Beta' } }).route).toBe('rest');
  });

  test('regexes are RE2 and must match the whole value, unlike JavaScript RegExp.test', () => {
    const vs = routes([{ name: 'beta', match: [{ headers: { 'x-group': { regex: 'beta' } } }], route: to('v2') }, { name: 'rest', route: to('v1') }]);
    expect(/beta/.test('beta-testers')).toBe(true); // what a JavaScript check would conclude
    expect(simulate(vs, { headers: { 'x-group': 'beta-testers' } }).route).toBe('rest');
    expect(simulate(vs, { headers: { 'x-group': 'beta' } }).route).toBe('beta');
    // Perl lookaheads are not RE2: Envoy refuses them, so they never match here.
    const lookahead = routes([{ name: 'la', match: [{ headers: { 'x-group': { regex: '(?=b)beta' } } }], route: to('v2') }, { name: 'rest', route: to('v1') }]);
    expect(simulate(lookahead, { headers: { 'x-group': 'beta' } }).route).toBe('rest');
  });

  test('uri: exact and regex ignore the query string, prefix does not', () => {
    const vs = routes([
      { name: 'exact', match: [{ uri: { exact: '/predict' } }], route: to('v1') },
      { name: 'regex', match: [{ uri: { regex: '/p[a-z]+' } }], route: to('v2') },
    ]);
    expect(simulate(vs, { path: '/predict?x=1' }).route).toBe('exact');
    expect(simulate(vs, { path: '/pong?x=1' }).route).toBe('regex');
  });

  test('method, authority, query parameters, withoutHeaders and the `*` presence regex', () => {
    const vs = routes([
      { name: 'get', match: [{ method: { exact: 'GET' } }], route: to('v1') },
      { name: 'preview', match: [{ authority: { prefix: 'preview.' } }], route: to('v2') },
      { name: 'debug', match: [{ queryParams: { debug: { exact: '1' } } }], route: to('v2') },
      { name: 'present', match: [{ headers: { 'x-canary': { regex: '*' } } }], route: to('v2') },
      { name: 'anonymous', match: [{ withoutHeaders: { authorization: {} } }], route: to('v1') },
    ]);
    expect(simulate(vs, { method: 'get' }).route).toBe('get');
    expect(simulate(vs, { host: 'preview.example.com' }).route).toBe('preview');
    expect(simulate(vs, { path: '/p?debug=1' }).route).toBe('debug');
    expect(simulate(vs, { headers: { 'x-canary': '' } }).route).toBe('present');
    expect(simulate(vs, {}).route).toBe('anonymous');
    expect(simulate(vs, { headers: { authorization: 'Bearer x' } }).status).toBe(404);
  });

  test('sourceLabels apply to mesh callers only', () => {
    const vs = [...app, virtualService('iris', {
      hosts: ['iris'],
      http: [
        { name: 'caller', match: [{ sourceLabels: { app: 'batch' } }], route: to('v2') }, { name: 'rest', route: to('v1') },
      ],
    })];
    const sim = RouteSimulator.fromManifests(vs);
    expect(sim.simulate({ host: 'iris', sourceNamespace: NS, port: 8000, sourceLabels: { app: 'batch' } }).route).toBe('caller');
    expect(sim.simulate({ host: 'iris.models.svc.cluster.local', port: 8000, sourceLabels: { app: 'web' } }).route).toBe('rest');
  });

  test('rewrite.uri replaces the matched prefix, or the whole path of an exact match', () => {
    const vs = routes([
      { name: 'seldon', match: [{ uri: { prefix: '/seldon/models/iris/' } }], rewrite: { uri: '/' }, route: to('v1') },
      { name: 'exact', match: [{ uri: { exact: '/old' } }], rewrite: { uri: '/new' }, route: to('v1') },
    ]);
    expect(simulate(vs, { path: '/seldon/models/iris/api/v1.0/predictions' }).path).toBe('/api/v1.0/predictions');
    expect(simulate(vs, { path: '/old?q=1' }).path).toBe('/new?q=1');
  });
});

describe('destinations', () => {
  const weighted = (http: any) => [gateway, virtualService('iris', { gateways: ['istio-system/public'], hosts: ['*'], http: [http] })];

  test('weights become probabilities; zero weights are dropped; a lone destination takes all', () => {
    expect(shares(simulate([...app, ...weighted({
      route: [
        { destination: { host: 'iris', subset: 'v1' }, weight: 90 }, { destination: { host: 'iris', subset: 'v2' }, weight: 10 },
      ],
    })], {}))).toEqual({ 'iris/v1:8000': 0.9, 'iris/v2:8000': 0.1 });
    expect(shares(simulate([...app, ...weighted({
      route: [
        { destination: { host: 'iris', subset: 'v1' }, weight: 100 }, { destination: { host: 'iris', subset: 'v2' }, weight: 0 },
      ],
    })], {}))).toEqual({ 'iris/v1:8000': 1 });
    expect(shares(simulate([...app, ...weighted({ route: [{ destination: { host: 'iris', subset: 'v1' }, weight: 0 }] })], {}))).toEqual({ 'iris/v1:8000': 1 });
  });

  test('a destination without port: the Service\'s only port, else the listener\'s (80 at the gateway: 503)', () => {
    const tf = [service('inception', [8500, 8501]), deployment('inception-v1', { app: 'inception', version: 'v1' }), subsets('inception', 'v1')];
    const noPort = weighted({ route: [{ destination: { host: 'inception', subset: 'v1' } }] });
    const r = simulate([...tf, ...noPort], {});
    expect(r.outcome).toBe(SimulationOutcome.UNAVAILABLE);
    expect(r.status).toBe(503);
    expect(r.reason).toMatch(/has no port 80 \(ports 8500, 8501\).*listener's port 80; no cluster outbound\|80\|v1\|inception.models.svc.cluster.local/);
    // In the mesh the listener is the Service port the caller dialled, so the same route works.
    const mesh = RouteSimulator.fromManifests([...tf, virtualService('inception', { hosts: ['inception'], http: [{ route: [{ destination: { host: 'inception', subset: 'v1' } }] }] })]);
    expect(shares(mesh.simulate({ host: 'inception.models', port: 8500 }))).toEqual({ 'inception/v1:8500': 1 });
    expect(shares(mesh.simulate({ host: 'inception.models', port: 8501 }))).toEqual({ 'inception/v1:8501': 1 });
    // With the port named, the gateway reaches it.
    expect(shares(simulate([...tf, ...weighted({ route: [{ destination: { host: 'inception', subset: 'v1', port: { number: 8501 } } }] })], {})))
      .toEqual({ 'inception/v1:8501': 1 });
  });

  test('a subset no DestinationRule defines, a missing Service and a subset without pods are 503s with the reason', () => {
    const to = (d: any) => weighted({ route: [{ destination: d }] });
    expect(simulate([...app, ...to({ host: 'iris', subset: 'v3' })], {}).reason).toMatch(/subset v3 of iris.models.svc.cluster.local is defined by no DestinationRule/);
    expect(simulate([...app, ...to({ host: 'ghost' })], {}).reason).toMatch(/no Service or ServiceEntry for ghost.models.svc.cluster.local/);
    const noPods = [service('iris', [8000]), deployment('iris-v1', { app: 'iris', version: 'v1' }), subsets('iris', 'v1', 'v2')];
    expect(simulate([...noPods, ...to({ host: 'iris', subset: 'v2' })], {}).reason).toMatch(/no pod of the manifests has the labels \{"app":"iris","version":"v2"\}/);
  });

  test('one failing destination of two: routed, that share fails', () => {
    const r = simulate([...app, ...weighted({
      route: [
        { destination: { host: 'iris', subset: 'v1' }, weight: 80 }, { destination: { host: 'iris', subset: 'v3' }, weight: 20 },
      ],
    })], {});
    expect(r.outcome).toBe(SimulationOutcome.ROUTED);
    expect(r.destinations.map(d => [d.subset, d.probability, d.failure === undefined])).toEqual([['v1', 0.8, true], ['v3', 0.2, false]]);
  });

  test('mirrors: no percentage is 100 %, an explicit 0 is no mirror, `mirrors` each with its own', () => {
    const mirror = (extra: any) => simulate([...app, ...weighted({ route: [{ destination: { host: 'iris', subset: 'v1' } }], mirror: { host: 'iris', subset: 'v2' }, ...extra })], {}).mirrors;
    expect(mirror({}).map(m => m.probability)).toEqual([1]);
    expect(mirror({ mirrorPercentage: { value: 25 } }).map(m => m.probability)).toEqual([0.25]);
    expect(mirror({ mirrorPercentage: { value: 0 } })).toEqual([]);
    const many = simulate([...app, ...weighted({
      route: [{ destination: { host: 'iris', subset: 'v1' } }],
      mirrors: [
        { destination: { host: 'iris', subset: 'v2' } }, { destination: { host: 'iris', subset: 'v1' }, percentage: { value: 5 } },
      ],
    })], {}).mirrors;
    expect(many.map(m => [m.subset, m.probability])).toEqual([['v2', 1], ['v1', 0.05]]);
  });

  test('retries: the route\'s, else the mesh default; timeout as written', () => {
    const own = simulate([...app, ...weighted({ route: [{ destination: { host: 'iris', subset: 'v1' } }], retries: { attempts: 3, perTryTimeout: '2s', retryOn: '5xx' }, timeout: '10s' })], {});
    expect(own.retries).toEqual({ attempts: 3, perTryTimeout: '2s', retryOn: '5xx', meshDefault: false });
    expect(own.timeout).toBe('10s');
    const none = simulate([...app, ...weighted({ route: [{ destination: { host: 'iris', subset: 'v1' } }] })], {});
    expect(none.retries).toEqual({ attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', meshDefault: true });
  });
});

describe('the Seldon operator, modelled from the SeldonDeployment', () => {
  const sdep = (name: string, annotations: Record<string, string>, predictors: any[]) => ({
    apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name, namespace: NS }, spec: { annotations, predictors },
  });
  const predictor = (name: string, extra: any = {}) => ({ name, graph: { name: 'classifier', implementation: 'SKLEARN_SERVER', modelUri: 'gs://m' }, ...extra });

  test('weights, the REST rewrite and the gRPC route, to the predictor Services and pods the operator makes', () => {
    const sim = RouteSimulator.fromManifests([sdep('iris', { 'seldon.io/istio-gateway': 'istio-system/public' }, [
      predictor('main', { traffic: 75 }), predictor('canary', { traffic: 25 }),
    ])]);
    const rest = sim.simulate(at({ path: '/seldon/models/iris/api/v1.0/predictions' }));
    expect(rest.virtualService).toBe('models/iris (Seldon operator)');
    expect(shares(rest)).toEqual({ 'iris-main/main:8000': 0.75, 'iris-canary/canary:8000': 0.25 });
    expect(rest.path).toBe('/api/v1.0/predictions');
    expect(rest.destinations[1].workloads).toEqual([{
      name: 'SeldonDeployment models/iris predictor canary',
      podLabels: { 'version': 'canary', 'seldon-deployment-id': 'iris', 'seldon-app': 'iris-canary' },
    }]);
    const grpc = sim.simulate(at({ path: '/seldon.protos.Seldon/Predict', headers: { 'seldon': 'iris', 'namespace': NS, 'content-type': 'application/grpc' } }));
    expect(shares(grpc)).toEqual({ 'iris-main/main:5001': 0.75, 'iris-canary/canary:5001': 0.25 });
  });

  test('a shadow of traffic 0 is mirrored at 100 % (the operator writes no percentage)', () => {
    const sim = RouteSimulator.fromManifests([sdep('iris', {}, [predictor('main'), predictor('shadow', { shadow: true, traffic: 0 })])]);
    const r = sim.simulate(at({ gateway: 'istio-system/seldon-gateway', path: '/seldon/models/iris/x' }));
    expect(r.mirrors.map(m => [m.subset, m.probability])).toEqual([['shadow', 1]]);
  });

  test('the gateway annotation is one name (not split on commas); hosts are split', () => {
    const sim = RouteSimulator.fromManifests([sdep('iris', { 'seldon.io/istio-gateway': 'istio-system/a,istio-system/b', 'seldon.io/istio-host': 'a.example.com,b.example.com' }, [predictor('main')])]);
    expect(sim.simulate(at({ gateway: 'istio-system/a', host: 'b.example.com', path: '/seldon/models/iris/x' })).status).toBe(404);
    expect(sim.simulate(at({ gateway: 'istio-system/a,istio-system/b', host: 'b.example.com', path: '/seldon/models/iris/x' })).outcome).toBe(SimulationOutcome.ROUTED);
  });

  test('names over 63 characters become seldon-<md5> hosts, as the operator names the predictor Service', () => {
    const long = 'm'.repeat(57);
    const r = RouteSimulator.fromManifests([sdep(long, {}, [predictor('stable')])])
      .simulate(at({ gateway: 'istio-system/seldon-gateway', path: `/seldon/models/${long}/x` }));
    expect(r.destinations[0].host).toMatch(/^seldon-[0-9a-f]{32}\.models\.svc\.cluster\.local$/);
    expect(r.destinations[0].failure).toBeUndefined();
  });

  test('with the operator\'s Istio support off, its routes are absent', () => {
    const sim = RouteSimulator.fromManifests([sdep('iris', {}, [predictor('main')])], { seldonOperatorIstio: false });
    expect(sim.simulate(at({ gateway: 'istio-system/seldon-gateway', path: '/seldon/models/iris/x' })).status).toBe(404);
  });
});

describe('Istio features the library does not write, as users add them by hand or by JSON patch', () => {
  const gw = ['istio-system/public'];
  /** The public gateway's VirtualService for *.example.com with one route to one subset of iris. */
  const oneRoute = (subset: string) => virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'iris', subset } }] }] });

  test('a direct response and redirects answer at the proxy: no destination', () => {
    const vs = virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [
        { name: 'gone', match: [{ uri: { exact: '/old' } }], directResponse: { status: 410 } },
        { match: [{ uri: { prefix: '/v0' } }], redirect: { uri: '/v1' } },
        { match: [{ uri: { prefix: '/legacy' } }], redirect: { uri: '/v1', redirectCode: 308 } },
        { route: [{ destination: { host: 'iris', subset: 'v1' } }] },
      ],
    });
    expect(simulate([...app, vs], { path: '/old' })).toMatchObject({
      outcome: SimulationOutcome.DIRECT_RESPONSE, status: 410, reason: 'models/iris route gone answers directly', virtualService: 'models/iris', route: 'gone', destinations: [], mirrors: [],
    });
    expect(simulate([...app, vs], { path: '/v0/predict' })).toMatchObject({
      outcome: SimulationOutcome.REDIRECT, status: 301, reason: 'models/iris route #1 redirects', route: '#1', destinations: [], mirrors: [],
    });
    expect(simulate([...app, vs], { path: '/legacy' })).toMatchObject({ outcome: SimulationOutcome.REDIRECT, status: 308, route: '#2' });
    expect(shares(simulate([...app, vs], { path: '/old/x' }))).toEqual({ 'iris/v1:8000': 1 });
  });

  test('match on port, on gateways, on sourceNamespace: the caller decides the route', () => {
    const vs = virtualService('iris', {
      gateways: [...gw, 'mesh'],
      hosts: ['models.example.com', 'iris'],
      http: [
        { name: 'port-9000', match: [{ port: 9000 }], route: [{ destination: { host: 'iris', subset: 'v2', port: { number: 8000 } } }] },
        { name: 'batch', match: [{ sourceNamespace: 'batch' }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'in-mesh', match: [{ gateways: ['mesh'] }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'default', route: [{ destination: { host: 'iris', subset: 'v1' } }] },
      ],
    });
    const sim = RouteSimulator.fromManifests([gateway, ...app, vs]);
    const mesh = (request: Partial<SimulatedRequest>) => sim.simulate({ host: 'iris.models', path: '/', ...request });
    expect(mesh({ host: 'iris.models:9000' }).route).toBe('port-9000');
    expect(mesh({ port: 9000 }).route).toBe('port-9000');
    expect(mesh({ sourceNamespace: 'batch' }).route).toBe('batch');
    expect(mesh({ sourceNamespace: 'models', host: 'iris' }).route).toBe('in-mesh');
    expect(mesh({}).route).toBe('in-mesh');
    // At the gateway the caller is the gateway: no sourceNamespace, no mesh, port 80.
    expect(sim.simulate(at({ sourceNamespace: 'batch' })).route).toBe('default');
    expect(shares(sim.simulate(at({})))).toEqual({ 'iris/v1:8000': 1 });
  });

  test('ignoreUriCase folds exact, prefix and regex uri matches; without it case matters', () => {
    const vs = (ignoreUriCase: boolean) => virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [
        { name: 'exact', match: [{ uri: { exact: '/Predict' }, ignoreUriCase }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'prefix', match: [{ uri: { prefix: '/API/' }, ignoreUriCase }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'regex', match: [{ uri: { regex: '/v[0-9]+/MODELS' }, ignoreUriCase }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'rest', route: [{ destination: { host: 'iris', subset: 'v1' } }] },
      ],
    });
    const route = (ignore: boolean, path: string) => simulate([...app, vs(ignore)], { path }).route;
    expect(['/PREDICT', '/api/x', '/V2/models'].map(p => route(true, p))).toEqual(['exact', 'prefix', 'regex']);
    expect(['/PREDICT', '/api/x', '/V2/models'].map(p => route(false, p))).toEqual(['rest', 'rest', 'rest']);
    expect(['/Predict', '/API/x', '/v2/MODELS'].map(p => route(false, p))).toEqual(['exact', 'prefix', 'regex']);
  });

  test('query parameters: the value after the first `=`, empty pairs ignored; exact uri ignores the query', () => {
    const vs = virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [
        { name: 'query', match: [{ uri: { exact: '/predict' }, queryParams: { model: { exact: 'a=b' } } }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'rest', route: [{ destination: { host: 'iris', subset: 'v1' } }] },
      ],
    });
    expect(simulate([...app, vs], { path: '/predict?&model=a=b&' }).route).toBe('query');
    expect(simulate([...app, vs], { path: '/predict?model=a' }).route).toBe('rest');
    expect(simulate([...app, vs], { path: '/predict?other=a=b' }).route).toBe('rest');
    expect(simulate([...app, vs], { path: '/predict' }).route).toBe('rest');
  });

  test('withoutHeaders: a value match excludes that value only; a missing header counts as empty, so it is not excluded unless the match is empty', () => {
    const without = (value: string) => virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [
        { name: 'without', match: [{ withoutHeaders: { 'x-group': { exact: value } } }], route: [{ destination: { host: 'iris', subset: 'v1' } }] },
        { name: 'rest', route: [{ destination: { host: 'iris', subset: 'v2' } }] },
      ],
    });
    const route = (value: string, headers: Record<string, string>) => simulate([...app, without(value)], { headers }).route;
    expect(route('beta', { 'X-Group': 'beta' })).toBe('rest');
    expect(route('beta', { 'x-group': 'alpha' })).toBe('without');
    expect(route('beta', {})).toBe('without');
    // Istio sets Envoy's treat_missing_header_as_empty for withoutHeaders (not for presence matches).
    expect([route('', {}), route('', { 'x-group': 'beta' })]).toEqual(['rest', 'without']);
  });

  test('rewrites: a regex rewrite with groups keeps the query, an authority rewrite keeps the path, the default match rewrites after its `/`', () => {
    const vs = virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [
        { match: [{ uri: { prefix: '/v1/' } }], rewrite: { uriRegexRewrite: { match: '^/v1/([^/]+)/(.*)$', rewrite: '/\\2/\\1' } }, route: [{ destination: { host: 'iris', subset: 'v1' } }] },
        { match: [{ uri: { prefix: '/host/' } }], rewrite: { authority: 'iris.internal' }, route: [{ destination: { host: 'iris', subset: 'v1' } }] },
        { rewrite: { uri: '/api/' }, route: [{ destination: { host: 'iris', subset: 'v2' } }] },
      ],
    });
    expect(simulate([...app, vs], { path: '/v1/models/predict?x=1' }).path).toBe('/predict/models?x=1');
    const authority = simulate([...app, vs], { path: '/host/a' });
    expect([authority.path, authority.authority]).toEqual(['/host/a', 'iris.internal']);
    expect(simulate([...app, vs], { path: '/predict' }).path).toBe('/api/predict');
  });

  test('response headers: the route\'s and the destination\'s merge', () => {
    const vs = virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [{
        headers: { response: { set: { 'x-served-by': 'route', 'x-model': 'iris' } } },
        route: [
          { destination: { host: 'iris', subset: 'v1' }, weight: 50, headers: { response: { set: { 'x-version': 'v1' }, add: { 'x-trace': 'a' } } } },
          { destination: { host: 'iris', subset: 'v2' }, weight: 50 },
        ],
      }],
    });
    const [v1, v2] = simulate([...app, vs], {}).destinations;
    expect(v1.responseHeadersSet).toEqual({ 'x-served-by': 'route', 'x-model': 'iris', 'x-version': 'v1' });
    expect(v1.responseHeadersAdded).toEqual({ 'x-trace': 'a' });
    expect(v2.responseHeadersSet).toEqual({ 'x-served-by': 'route', 'x-model': 'iris' });
    expect(v2).not.toHaveProperty('responseHeadersAdded');
    const plain = simulate([...app, oneRoute('v1')], {});
    expect(Object.keys(plain.destinations[0])).not.toContain('responseHeadersSet');
  });

  // Istio's applyHTTPRouteDestination: one live destination is merged into the route, its
  // operations after the route's (the later set wins); several are weighted clusters, whose
  // headers Envoy's WeightedClusterEntry applies before the route's (the route's set wins).
  test('response headers: one header set at both levels, who wins depends on the live destinations', () => {
    const route = (v2Weight: number) => virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [{
        headers: { response: { set: { 'x-version': 'route' } } },
        route: [
          { destination: { host: 'iris', subset: 'v1' }, weight: 100 - v2Weight, headers: { response: { set: { 'x-version': 'v1' } } } },
          { destination: { host: 'iris', subset: 'v2' }, weight: v2Weight, headers: { response: { set: { 'x-version': 'v2' } } } },
        ],
      }],
    });
    const split = simulate([...app, route(10)], {}).destinations;
    expect(split.map(d => d.responseHeadersSet!['x-version'])).toEqual(['route', 'route']);
    // At 0 % the candidate is dropped and stable is the route's only cluster.
    const [only] = simulate([...app, route(0)], {}).destinations;
    expect(only.subset).toBe('v1');
    expect(only.responseHeadersSet).toEqual({ 'x-version': 'v1' });
  });

  test('a ServiceEntry host is a destination with its own ports and no pods in the manifests', () => {
    const entry = { apiVersion: 'networking.istio.io/v1', kind: 'ServiceEntry', metadata: { name: 'external', namespace: NS }, spec: { hosts: ['models.vendor.com'], ports: [{ number: 443, name: 'https', protocol: 'TLS' }] } };
    const vs = (port: number) => virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'models.vendor.com', port: { number: port } } }] }] });
    const r = simulate([...app, entry, vs(443)], {});
    expect(r.outcome).toBe(SimulationOutcome.ROUTED);
    expect(r.destinations).toEqual([{ host: 'models.vendor.com', port: 443, probability: 1, workloads: [] }]);
    const wrongPort = simulate([...app, entry, vs(80)], {});
    expect(wrongPort.status).toBe(503);
    expect(wrongPort.reason).toMatch(/models.vendor.com has no port 80 \(ports 443\); no cluster outbound\|80\|\|models.vendor.com/);
    expect(wrongPort.reason).not.toMatch(/listener/);
  });

  test('pods of another namespace and objects of other API groups are not the Service\'s', () => {
    const elsewhere = { ...deployment('iris-v3', { app: 'iris', version: 'v3' }), metadata: { name: 'iris-v3', namespace: 'other' } };
    const notCore = { ...service('ghost', [8000]), apiVersion: 'serving.knative.dev/v1' };
    const notIstio = { ...oneRoute('v1'), apiVersion: 'example.com/v1' };
    const subsetsV3 = subsets('iris', 'v1', 'v2', 'v3');
    const vs = (host: string, subset?: string) => virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host, subset } }] }] });
    expect(simulate([...app.slice(0, 3), subsetsV3, elsewhere, vs('iris', 'v3')], {}).reason).toMatch(/no pod of the manifests has the labels \{"app":"iris","version":"v3"\}/);
    expect(simulate([...app, notCore, vs('ghost')], {}).reason).toMatch(/no Service or ServiceEntry for ghost.models.svc.cluster.local/);
    expect(simulate([...app, notIstio], {}).status).toBe(404);
  });

  test('in the mesh, two VirtualServices of one host: Istio uses one, and the result says so', () => {
    const first = virtualService('iris-a', { hosts: ['iris'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    const second = virtualService('iris-b', { hosts: ['iris.models.svc.cluster.local'], http: [{ route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    const r = RouteSimulator.fromManifests([...app, first, second]).simulate({ host: 'iris.models.svc', path: '/' });
    expect(r.virtualService).toBe('models/iris-a');
    expect(r.notes).toEqual(['models/iris-a and models/iris-b claim the host iris.models.svc.cluster.local in the mesh: Istio uses one of them (IST0109); simulated with the first']);
    const alone = RouteSimulator.fromManifests([...app, second]).simulate({ host: 'iris', sourceNamespace: 'models' });
    expect([alone.virtualService, alone.notes]).toEqual(['models/iris-b', []]);
  });

  test('fromApp reads every chart of the app, as fromManifests reads their objects', () => {
    const cdk8sApp = new App();
    const chart = new Chart(cdk8sApp, 'routes', { namespace: NS });
    for (const m of [...app, oneRoute('v2')]) {
      new ApiObject(chart, `${m.kind}-${m.metadata.name}`, m);
    }
    new ApiObject(new Chart(cdk8sApp, 'gateway'), 'gateway', gateway);
    expect(shares(RouteSimulator.fromApp(cdk8sApp).simulate(at({})))).toEqual({ 'iris/v2:8000': 1 });
  });
});

describe('manifests as a dist/ folder holds them, and what a result says', () => {
  const gw = ['istio-system/public'];
  const route = (destination: any, extra: any = {}) => virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination }], ...extra }] });

  test('what is no manifest is skipped; Istio objects and workloads without metadata or spec are read without failing', () => {
    const bare = (apiVersion: string, kind: string) => ({ apiVersion, kind });
    const junk = [null, 'text', 42, {}, { kind: 7 }, bare('networking.istio.io/v1', 'VirtualService'), bare('networking.istio.io/v1', 'DestinationRule'),
      bare('networking.istio.io/v1', 'Gateway'), bare('networking.istio.io/v1', 'ServiceEntry'), bare('v1', 'Pod'), bare('apps/v1', 'Deployment')];
    const expected = simulate([...app, route({ host: 'iris', subset: 'v1' })], {});
    expect(simulate([...junk, ...app, route({ host: 'iris', subset: 'v1' })], {})).toEqual(expected);
    expect(shares(expected)).toEqual({ 'iris/v1:8000': 1 });
  });

  test('objects without namespace are in default, for VirtualServices, Services, workloads and callers alike', () => {
    const strip = (m: any) => ({ ...m, metadata: { name: m.metadata.name } });
    const manifests = [...app.map(strip), strip(virtualService('iris', { hosts: ['iris'], http: [{ route: [{ destination: { host: 'iris', subset: 'v2' } }] }] }))];
    const r = RouteSimulator.fromManifests(manifests).simulate({ host: 'iris', path: '/predict' });
    expect([r.outcome, r.virtualService, r.route]).toEqual([SimulationOutcome.ROUTED, 'default/iris', '#0']);
    expect(r.destinations.map(d => [d.host, d.subset, d.workloads.map(w => w.name)])).toEqual([['iris.default.svc.cluster.local', 'v2', ['Deployment default/iris-v2']]]);
  });

  test('pods and StatefulSets are workloads too; a Service of the core group only', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'iris-v1-0', namespace: NS, labels: { app: 'iris', version: 'v1' } } };
    const sts = { ...deployment('iris-v1-sts', { app: 'iris', version: 'v1' }), kind: 'StatefulSet' };
    const notAPod = { ...pod, apiVersion: 'example.com/v1', metadata: { ...pod.metadata, name: 'not-a-pod' } };
    const notApps = { ...deployment('iris-v1-ext', { app: 'iris', version: 'v1' }), apiVersion: 'extensions/v1beta1' };
    const [d] = simulate([app[0], app[3], pod, sts, notAPod, notApps, route({ host: 'iris', subset: 'v1' })], {}).destinations;
    expect(d.workloads.map(w => w.name)).toEqual(['Pod models/iris-v1-0', 'StatefulSet models/iris-v1-sts']);
  });

  test('a SeldonDeployment of another API group is not the operator\'s', () => {
    const sdep = (apiVersion: string) => ({ apiVersion, kind: 'SeldonDeployment', metadata: { name: 'iris', namespace: NS }, spec: { predictors: [{ name: 'main', traffic: 100, graph: {} }] } });
    const request = { gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path: '/seldon/models/iris/api/v1.0/predictions' };
    expect(RouteSimulator.fromManifests([sdep('machinelearning.seldon.io/v1')]).simulate(request).outcome).toBe(SimulationOutcome.ROUTED);
    expect(RouteSimulator.fromManifests([sdep('example.com/v1')]).simulate(request).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });

  test('a VirtualService bound only to a gateway does not apply in the mesh; a gateway in the manifests adds no note', () => {
    const vs = virtualService('iris', { gateways: gw, hosts: ['iris'], http: [{ route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    const mesh = RouteSimulator.fromManifests([...app, vs]).simulate({ host: 'iris', sourceNamespace: NS });
    expect([mesh.virtualService, mesh.reason]).toEqual([undefined, "no VirtualService for iris.models.svc.cluster.local: Istio's default route to the Service"]);
    expect(mesh.destinations.map(d => [d.subset, d.probability])).toEqual([[undefined, 1]]);
    expect(mesh.mirrors).toEqual([]);
    expect(simulate([...app, route({ host: 'iris', subset: 'v1' })], {}).notes).toEqual([]);
  });

  test('an exact host wins over a wildcard of the same length listed first', () => {
    const wildcard = virtualService('wild', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    const exact = virtualService('exact', { gateways: gw, hosts: ['a.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    const r = simulate([...app, wildcard, exact], { host: 'a.example.com' });
    expect([r.virtualService, shares(r)]).toEqual(['models/exact', { 'iris/v1:8000': 1 }]);
  });

  test('gateway server hosts: `*` admits every VirtualService host, a VirtualService `*` binds to every server, other hosts do not bind', () => {
    const server = (hosts: string[]) => ({ ...gateway, metadata: { name: 'edge', namespace: 'istio-system' }, spec: { servers: [{ port: { number: 80 }, hosts }] } });
    const vs = (hosts: string[]) => virtualService('iris', { gateways: ['istio-system/edge'], hosts, http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    const request = { gateway: 'istio-system/edge', host: 'models.example.net', path: '/' };
    expect(RouteSimulator.fromManifests([...app, server(['*']), vs(['models.example.net'])]).simulate(request).outcome).toBe(SimulationOutcome.ROUTED);
    expect(RouteSimulator.fromManifests([...app, server(['models.example.net']), vs(['*'])]).simulate(request).outcome).toBe(SimulationOutcome.ROUTED);
    expect(RouteSimulator.fromManifests([...app, server(['other.example.net']), vs(['models.example.net'])]).simulate(request).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });

  test('no route matches: a 404 naming the VirtualServices and the request; a method match defaults to POST', () => {
    const vs = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ method: { exact: 'POST' } }], route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, vs], {}).outcome).toBe(SimulationOutcome.ROUTED);
    const get = simulate([...app, vs], { method: 'get' });
    expect([get.outcome, get.status]).toEqual([SimulationOutcome.NOT_FOUND, 404]);
    expect(get.reason).toBe('no route of models/iris matches GET /predict');
  });

  test('a match on the mesh gateway by name applies to mesh callers', () => {
    const vs = virtualService('iris', { hosts: ['iris'], http: [{ match: [{ gateways: ['mesh'] }], route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    expect(RouteSimulator.fromManifests([...app, vs]).simulate({ host: 'iris', sourceNamespace: NS }).outcome).toBe(SimulationOutcome.ROUTED);
  });

  test('a route without destinations, and destinations that all fail, are 503s; failing destinations have no workloads', () => {
    const empty = simulate([...app, virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [] }] })], {});
    expect([empty.outcome, empty.status, empty.reason]).toEqual([SimulationOutcome.UNAVAILABLE, 503, 'models/iris route #0: no destination with a weight above 0']);
    const noRule = simulate([service('iris', [8000]), route({ host: 'iris', subset: 'v1' })], {});
    expect([noRule.outcome, noRule.status]).toEqual([SimulationOutcome.UNAVAILABLE, 503]);
    expect(noRule.reason).toBe('models/iris route #0: subset v1 of iris.models.svc.cluster.local is defined by no DestinationRule (no cluster outbound|8000|v1|iris.models.svc.cluster.local)');
    expect(noRule.destinations.map(d => d.workloads)).toEqual([[]]);
    const noService = simulate([route({ host: 'iris', subset: 'v1' })], {});
    expect(noService.destinations.map(d => [d.workloads, d.failure])).toEqual([[[], 'no Service or ServiceEntry for iris.models.svc.cluster.local (no cluster outbound|80|v1|iris.models.svc.cluster.local)']]);
    const noPort = simulate([...app, route({ host: 'iris', subset: 'v1', port: { number: 9000 } })], {});
    expect(noPort.destinations.map(d => d.workloads)).toEqual([[]]);
  });

  test('mirrors: an entry without destination is skipped', () => {
    const vs = route({ host: 'iris', subset: 'v1' }, { mirrors: [{ percentage: { value: 50 } }, { destination: { host: 'iris', subset: 'v2' }, percentage: { value: 20 } }] });
    expect(simulate([...app, vs], {}).mirrors.map(m => [m.subset, m.probability])).toEqual([['v2', 0.2]]);
  });

  test('header regexes are case-sensitive, uri regexes with ignoreUriCase are not, even for one pattern compiled both ways', () => {
    const uri = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ uri: { regex: '/predict' }, ignoreUriCase: true }], route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, uri], { path: '/PREDICT' }).outcome).toBe(SimulationOutcome.ROUTED);
    const header = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ headers: { 'x-path': { regex: '/predict' } } }], route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, header], { headers: { 'x-path': '/PREDICT' } }).outcome).toBe(SimulationOutcome.NOT_FOUND);
    expect(simulate([...app, header], { headers: { 'x-path': '/predict' } }).outcome).toBe(SimulationOutcome.ROUTED);
    const exactUri = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ uri: { regex: '/predict' } }], route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, exactUri], { path: '/PREDICT' }).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });

  test('a rewrite of the authority alone keeps the path; a rewrite of a route without uri match replaces its leading `/`', () => {
    const authority = route({ host: 'iris', subset: 'v1' }, { rewrite: { authority: 'iris.internal' } });
    const r = simulate([...app, authority], { path: '/v1/predict?x=1' });
    expect([r.path, r.authority]).toEqual(['/v1/predict?x=1', 'iris.internal']);
    const prefix = route({ host: 'iris', subset: 'v1' }, { match: [{ headers: { 'x-a': { exact: '1' } } }], rewrite: { uri: '/api/' } });
    expect(simulate([...app, prefix], { path: '/predict', headers: { 'x-a': '1' } }).path).toBe('/api/predict');
  });

  test('query parameters: the first one and later ones, after the `?`', () => {
    const vs = (name: string) => virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ queryParams: { [name]: { exact: 'b' } } }], route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    expect(simulate([...app, vs('arm')], { path: '/predict?arm=b&user=1' }).outcome).toBe(SimulationOutcome.ROUTED);
    expect(simulate([...app, vs('arm')], { path: '/predict?user=1&arm=b' }).outcome).toBe(SimulationOutcome.ROUTED);
    expect(simulate([...app, vs('arm')], { path: '/predict?user=1&arm=c' }).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });

  test('a VirtualService that only mirrors to a predictor counts as routing it explicitly: the operator\'s routes are left out', () => {
    const sdep = { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name: 'iris', namespace: NS }, spec: { predictors: [{ name: 'main', traffic: 100, graph: {} }] } };
    const mirrorOnly = virtualService('other', { gateways: gw, hosts: ['other.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }], mirror: { host: 'iris-main' } }] });
    const request = { gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path: '/seldon/models/iris/api/v1.0/predictions' };
    expect(RouteSimulator.fromManifests([sdep]).simulate(request).outcome).toBe(SimulationOutcome.ROUTED);
    expect(RouteSimulator.fromManifests([sdep, mirrorOnly]).simulate(request).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });
});

describe('edges a hand-written or patched manifest reaches (found by mutation testing)', () => {
  const gw = ['istio-system/public'];
  const toSubset = (subset: string, extra: any = {}) => virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'iris', subset } }], ...extra }] });
  const edge = { ...gateway, metadata: { name: 'edge', namespace: 'istio-system' }, spec: { servers: [{ port: { number: 80 }, hosts: ['*'] }] } };

  test('documents without the fields the simulator reads change nothing, and a Service without spec has no ports', () => {
    const noSpecService = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'empty', namespace: NS } };
    const partial = [
      { apiVersion: 'v1', kind: 'Service' }, noSpecService,
      { ...gateway, metadata: { name: 'portless', namespace: 'istio-system' }, spec: { servers: [{ hosts: ['*'] }] } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-template', namespace: NS }, spec: {} },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'no-pod-metadata', namespace: NS }, spec: { template: {} } },
    ];
    expect(simulate([...partial, ...app, toSubset('v1')], {})).toEqual(simulate([...app, toSubset('v1')], {}));
    const toEmpty = virtualService('empty', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'empty' } }] }] });
    expect(simulate([noSpecService, toEmpty], {}).destinations.map(d => d.failure)).toEqual([
      "empty.models.svc.cluster.local has no port 80 (ports ): the destination names no port, so it takes the listener's port 80; no cluster outbound|80||empty.models.svc.cluster.local",
    ]);
  });

  test('workloads are core Pods and the four apps kinds; other core objects and other Seldon kinds are neither pods nor SeldonDeployments', () => {
    const labels = { app: 'iris', version: 'v1' };
    const daemonSet = { ...deployment('iris-ds', labels), kind: 'DaemonSet' };
    const replicaSet = { ...deployment('iris-rs', labels), kind: 'ReplicaSet' };
    const configMap = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'iris-config', namespace: NS, labels } };
    const [d] = simulate([app[0], app[3], daemonSet, replicaSet, configMap, toSubset('v1')], {}).destinations;
    expect(d.workloads.map(w => w.name)).toEqual(['DaemonSet models/iris-ds', 'ReplicaSet models/iris-rs']);
    const notASeldonDeployment = { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonConfig', metadata: { name: 'iris', namespace: NS }, spec: { predictors: [{ name: 'main', traffic: 100, graph: {} }] } };
    const request = { gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path: '/seldon/models/iris/api/v1.0/predictions' };
    expect(RouteSimulator.fromManifests([notASeldonDeployment]).simulate(request).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });

  test('a VirtualService routing to one predictor of two routes the SeldonDeployment explicitly: the operator\'s routes are left out', () => {
    const sdep = { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata: { name: 'iris', namespace: NS }, spec: { predictors: [{ name: 'main', traffic: 100, graph: {} }, { name: 'canary', traffic: 0, graph: {} }] } };
    const explicit = virtualService('iris-routes', { gateways: ['istio-system/seldon-gateway'], hosts: ['models.example.com'], http: [{ route: [{ destination: { host: 'iris-main', port: { number: 8000 } } }] }] });
    const sim = RouteSimulator.fromManifests([sdep, explicit]);
    const request = { gateway: 'istio-system/seldon-gateway', path: '/seldon/models/iris/api/v1.0/predictions' };
    const routed = sim.simulate({ ...request, host: 'models.example.com' });
    expect([routed.virtualService, routed.destinations.map(d => [d.host, d.failure])]).toEqual(['models/iris-routes', [['iris-main.models.svc.cluster.local', undefined]]]);
    // The operator's VirtualService (hosts '*') would answer any other host; it is not there.
    expect(sim.simulate({ ...request, host: 'other.example.com' }).outcome).toBe(SimulationOutcome.NOT_FOUND);
  });

  test('a request without path is for `/`; a refused request has no destinations and no mirrors', () => {
    const r = RouteSimulator.fromManifests([gateway, ...app, toSubset('v1')]).simulate({ gateway: 'istio-system/public', host: 'models.example.com' });
    expect([r.outcome, r.path]).toEqual([SimulationOutcome.ROUTED, '/']);
    const refused = simulate([...app, toSubset('v1')], { host: 'example.com' });
    expect([refused.status, refused.destinations, refused.mirrors]).toEqual([404, [], []]);
  });

  test('two servers on one port: a VirtualService binds when any of them admits its namespace', () => {
    const twoServers = { ...gateway, spec: { servers: [{ port: { number: 80 }, hosts: ['team-a/*.example.com'] }, { port: { number: 80 }, hosts: ['models/*.example.com'] }] } };
    expect(RouteSimulator.fromManifests([twoServers, ...app, toSubset('v1')]).simulate(at({})).outcome).toBe(SimulationOutcome.ROUTED);
  });

  test('a VirtualService of the gateway whose hosts do not cover the request host does not answer it', () => {
    const other = virtualService('other', { gateways: gw, hosts: ['other.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    const r = simulate([...app, other], { host: 'models.example.com' });
    expect([r.status, r.reason]).toEqual([404, 'no VirtualService bound to gateway istio-system/public has host models.example.com']);
  });

  test('an exact host matches only itself, not a host that ends like it', () => {
    const exact = virtualService('iris', { gateways: gw, hosts: ['models.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, exact], { host: 'newmodels.example.com' }).status).toBe(404);
  });

  test('a host of two labels: in the mesh a name and its namespace (DNS search), at a gateway and as a destination a literal name', () => {
    const meshVs = virtualService('iris', { hosts: ['iris.models'], http: [{ route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    expect(RouteSimulator.fromManifests([...app, meshVs]).simulate({ host: 'iris.models.svc.cluster.local' }).virtualService).toBe('models/iris');
    const edgeVs = virtualService('iris', { gateways: ['istio-system/edge'], hosts: ['models.local'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(RouteSimulator.fromManifests([edge, ...app, edgeVs]).simulate({ gateway: 'istio-system/edge', host: 'models.local' }).outcome).toBe(SimulationOutcome.ROUTED);
    const byName = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'iris.models', port: { number: 8000 } } }] }] });
    expect(simulate([...app, byName], {}).reason).toBe('models/iris route #0: no Service or ServiceEntry for iris.models (no cluster outbound|8000||iris.models)');
  });

  test('in the mesh the first VirtualService of a host answers alone: the second\'s routes are not merged in', () => {
    const first = virtualService('iris-a', { hosts: ['iris'], http: [{ match: [{ headers: { 'x-arm': { exact: 'b' } } }], route: [{ destination: { host: 'iris', subset: 'v2' } }] }] });
    const second = virtualService('iris-b', { hosts: ['iris'], http: [{ route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    const r = RouteSimulator.fromManifests([...app, first, second]).simulate({ host: 'iris', sourceNamespace: NS });
    expect([r.status, r.reason]).toEqual([404, 'no route of models/iris-a matches POST /']);
  });

  test('at a gateway the VirtualServices of a host merge, and a 404 names each of them', () => {
    const byHeader = (name: string) => virtualService(name, { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ headers: { 'x-arm': { exact: name } } }], route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, byHeader('a'), byHeader('b')], {}).reason).toBe('no route of models/a, models/b matches POST /predict');
    expect(simulate([...app, byHeader('a'), byHeader('b')], { headers: { 'x-arm': 'b' } }).virtualService).toBe('models/b');
  });

  test('a VirtualService without http answers 404; a route with neither destinations nor a response, 503', () => {
    const noHttp = virtualService('iris', { gateways: gw, hosts: ['*.example.com'] });
    expect(simulate([...app, noHttp], {}).reason).toBe('no route of models/iris matches POST /predict');
    const r = simulate([...app, virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ name: 'empty' }] })], {});
    expect([r.status, r.reason, r.destinations]).toEqual([503, 'models/iris route empty: no destination with a weight above 0', []]);
  });

  test('request header operations alone set no response header', () => {
    const [d] = simulate([...app, toSubset('v1', { headers: { request: { set: { 'x-model': 'iris' } } } })], {}).destinations;
    expect([d.subset, d.responseHeadersSet, d.responseHeadersAdded]).toEqual(['v1', undefined, undefined]);
    // The same on destinations: one live destination, then two weighted ones.
    const requestOnly = { request: { set: { 'x-model': 'iris' } } };
    const destinations = (weights: number[]) => simulate([...app, virtualService('iris', {
      gateways: gw,
      hosts: ['*.example.com'],
      http: [{
        route: weights.map((weight, i) => ({ destination: { host: 'iris', subset: `v${i + 1}` }, weight, headers: requestOnly })),
      }],
    })], {}).destinations.map(x => [x.subset, x.responseHeadersSet]);
    expect(destinations([100])).toEqual([['v1', undefined]]);
    expect(destinations([50, 50])).toEqual([['v1', undefined], ['v2', undefined]]);
  });

  test('a mirror of 0 %, or with a percentage without value, is no mirror', () => {
    const mirror = { host: 'iris', subset: 'v2' };
    expect(simulate([...app, toSubset('v1', { mirror, mirrorPercentage: { value: 0 } })], {}).mirrors).toEqual([]);
    expect(simulate([...app, toSubset('v1', { mirror, mirrorPercentage: {} })], {}).mirrors).toEqual([]);
    expect(simulate([...app, toSubset('v1', { mirror, mirrorPercentage: { value: 5 } })], {}).mirrors.map(m => [m.subset, m.probability])).toEqual([['v2', 0.05]]);
    const entries = (percentage: any) => simulate([...app, toSubset('v1', { mirrors: [{ destination: mirror, percentage }] })], {}).mirrors.map(m => [m.subset, m.probability]);
    expect([entries({ value: 0 }), entries({}), entries({ value: 30 })]).toEqual([[], [], [['v2', 0.3]]]);
  });

  test('when every destination fails, the 503 gives each one\'s reason; a subset-less cluster name has an empty subset', () => {
    const both = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: { host: 'iris', subset: 'v3' }, weight: 50 }, { destination: { host: 'ghost' }, weight: 50 }] }] });
    expect(simulate([...app, both], {}).reason).toBe('models/iris route #0: subset v3 of iris.models.svc.cluster.local is defined by no DestinationRule (no cluster outbound|8000|v3|iris.models.svc.cluster.local); '
      + 'no Service or ServiceEntry for ghost.models.svc.cluster.local (no cluster outbound|80||ghost.models.svc.cluster.local)');
    const hostless = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ route: [{ destination: {} }] }] });
    expect(simulate([...app, hostless], {}).reason).toBe('models/iris route #0: no Service or ServiceEntry for  (no cluster outbound|80||)');
  });

  test('callers: a route\'s gateways match if any is the request\'s; sourceLabels need every label; sourceNamespace defaults to default', () => {
    const vs = virtualService('iris', {
      gateways: ['mesh', ...gw],
      hosts: ['iris', 'models.example.com'],
      http: [
        { name: 'batch', match: [{ sourceLabels: { app: 'batch', team: 'ml' } }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'from-default', match: [{ sourceNamespace: 'default' }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'edge-or-mesh', match: [{ gateways: ['mesh', 'istio-system/public'], headers: { 'x-any': {} } }], route: [{ destination: { host: 'iris', subset: 'v2' } }] },
        { name: 'rest', route: [{ destination: { host: 'iris', subset: 'v1' } }] },
      ],
    });
    const sim = RouteSimulator.fromManifests([gateway, ...app, vs]);
    const mesh = (request: Partial<SimulatedRequest>) => sim.simulate({ host: 'iris.models', sourceNamespace: NS, ...request }).route;
    expect(mesh({ sourceLabels: { app: 'batch', team: 'ml', pod: 'x' } })).toBe('batch');
    expect(mesh({ sourceLabels: { app: 'batch' } })).toBe('rest');
    expect(mesh({})).toBe('rest');
    expect(mesh({ sourceNamespace: undefined })).toBe('from-default');
    expect(sim.simulate(at({ sourceLabels: { app: 'batch', team: 'ml' }, sourceNamespace: 'default' })).route).toBe('rest');
    expect(sim.simulate(at({ headers: { 'x-any': '1' } })).route).toBe('edge-or-mesh');
  });

  test('an empty uri match holds for every path', () => {
    const vs = virtualService('iris', { gateways: gw, hosts: ['*.example.com'], http: [{ match: [{ uri: {} }], route: [{ destination: { host: 'iris', subset: 'v1' } }] }] });
    expect(simulate([...app, vs], { path: '/any/path' }).outcome).toBe(SimulationOutcome.ROUTED);
  });

  test('a regex rewrite: a path without query gets none, and no replacement removes the match', () => {
    const rewrite = (uriRegexRewrite: any) => toSubset('v1', { rewrite: { uriRegexRewrite } });
    expect(simulate([...app, rewrite({ match: '^/v1(/.*)$', rewrite: '\\1' })], { path: '/v1/predict' }).path).toBe('/predict');
    expect(simulate([...app, rewrite({ match: '^/v1' })], { path: '/v1/predict' }).path).toBe('/predict');
  });
});
