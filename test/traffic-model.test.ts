/**
 * The traffic model's own checks, through a pattern of one's own (the `TrafficPlan` extension
 * point): each refused plan reports exactly its problems, each naming the endpoint's path, the
 * rule and the value at fault, and nothing is written. Then the `version` each variant's pods
 * carry, which the subsets select (found by mutation testing: these survived the pattern suites).
 */
import { Construct } from 'constructs';
import { Gateway, ModelEndpoint, ModelEndpointProps, ModelServer, ModelVariant, RouteSimulator, Routing, TrafficPlan } from '../src';
import { errorOf, only, synth, testChart } from './util';

const iris = (version: string, labels?: Record<string, string>) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${version}` }, labels,
});
const flowers = (version: string) => ModelVariant.service({ serviceName: 'flowers', labels: { version }, port: 8080 });

/** A pattern of one's own: renders the plan it is given. */
class Planned extends ModelEndpoint {
  constructor(scope: Construct, id: string, props: ModelEndpointProps & { readonly plan: TrafficPlan }) {
    super(scope, id, props);
    this.renderPlan(props.plan);
  }
}

function planned(plan: TrafficPlan, props: Partial<ModelEndpointProps> = {}) {
  const { app, chart } = testChart({ namespace: 'models' });
  const endpoint = new Planned(chart, 'E', { name: 'iris', ...props, plan });
  return { app, endpoint };
}

/** The problems synth reports, one per line, without cdk8s's heading. */
function problemsOf(plan: TrafficPlan, props: Partial<ModelEndpointProps> = {}): string[] {
  const { app, endpoint } = planned(plan, props);
  const lines = errorOf(() => app.synthYaml()).split('\n').slice(1).map(l => l.trim());
  // A refused plan writes nothing: the problems are the model's, not a renderer's.
  expect([endpoint.seldonDeployment, endpoint.virtualService, endpoint.destinationRules]).toEqual([undefined, undefined, []]);
  return lines;
}

const halves = (a = iris('v1'), b = iris('v2')) => [{ name: 'a', model: a, weight: 50 }, { name: 'b', model: b, weight: 50 }];

describe('the traffic model refuses a plan with exactly its problems, on the endpoint', () => {
  test('an endpoint name that is no DNS-1123 label', () => {
    expect(problemsOf({ variants: halves() }, { name: 'Iris_Model' })).toEqual([
      "[test/E] [K8S001] endpoint name 'Iris_Model' is not a valid DNS-1123 label: use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. 'iris-model')",
    ]);
  });

  test('weights: each out of range names its variant, and a sum other than 100 lists them all', () => {
    expect(problemsOf({ variants: [{ name: 'a', model: iris('v1'), weight: 101 }, { name: 'b', model: iris('v2'), weight: -1 }] })).toEqual([
      "[test/E] [ISV001] variant 'a': weight 101 must be an integer from 0 to 100",
      "[test/E] [ISV001] variant 'b': weight -1 must be an integer from 0 to 100",
    ]);
    expect(problemsOf({ variants: [{ name: 'a', model: iris('v1'), weight: 50 }, { name: 'b', model: iris('v2'), weight: 60 }] })).toEqual([
      '[test/E] [POL001] weights sum to 110, not 100 (a=50 + b=60): make them add up to 100',
    ]);
  });

  test('no variant that takes traffic: that problem alone, not a weight sum of 0 besides', () => {
    expect(problemsOf({ variants: [] })).toEqual(['[test/E] [POL003] has no variant that takes traffic: add one']);
  });

  test('replicas: a negative count, and any count on a Service variant (its Deployment has them)', () => {
    expect(problemsOf({ variants: [{ name: 'a', model: iris('v1'), weight: 100, replicas: -1 }] })).toEqual([
      "[test/E] [K8S003] variant 'a': replicas -1 must be an integer >= 0",
    ]);
    expect(problemsOf({ variants: [{ name: 'a', model: flowers('v1'), weight: 100, replicas: 2 }] }, { routing: Routing.istio() })).toEqual([
      "[test/E] [POL003] variant 'a' is given 2 replicas, but it is a Service variant: its replicas are its Deployment's, scale them there",
    ]);
  });

  test("host '*' is refused with the mesh among the gateways, not without it", () => {
    expect(problemsOf({ variants: halves() }, { routing: Routing.istio(), gateways: [Gateway.mesh(), Gateway.fromName('istio-system/ingress')], hosts: ['*'], serviceName: 'iris' })).toEqual([
      '[test/E] [ISV002] hosts ["*"] include \'*\', which Istio refuses for routes bound to the \'mesh\' gateway: name the Service host',
    ]);
    const { app } = planned({ variants: halves() }, { gateways: [Gateway.fromName('istio-system/ingress')], hosts: ['*'] });
    expect(only(synth(app), 'SeldonDeployment').spec.annotations['seldon.io/istio-host']).toBe('*');
  });

  test('hosts: one that is no host (a Gateway server\'s <namespace>/<host> form included), and two that overlap', () => {
    expect(problemsOf({ variants: halves() }, { hosts: ['models_example.com', 'istio-system/models.example.com'] })).toEqual([
      "[test/E] [ISV011] host 'models_example.com' is not a valid host: use '*', '*.example.com' or 'model.example.com'",
      "[test/E] [ISV011] host 'istio-system/models.example.com' is not a valid host: use '*', '*.example.com' or 'model.example.com'",
    ]);
    expect(problemsOf({ variants: halves() }, { hosts: ['a.example.com', '*.example.com'] })).toEqual([
      '[test/E] [ISV016] hosts \'a.example.com\' and \'*.example.com\' overlap, which Istio refuses in one VirtualService ("duplicate hosts"): keep the wider one, or list hosts no wildcard covers',
    ]);
  });

  test('an additional host is checked like the hosts', () => {
    expect(problemsOf({ variants: halves(), additionalHosts: ['Preview_Host'] }, { routing: Routing.istio(), hosts: ['models.example.com'] })).toEqual([
      "[test/E] [ISV011] host 'Preview_Host' is not a valid host: use '*', '*.example.com' or 'model.example.com'",
    ]);
  });

  test('a sourceLabels match needs the mesh alone: refused beside an ingress gateway', () => {
    const plan: TrafficPlan = { variants: halves(), routes: [{ name: 'batch', target: 'b', matches: [{ sourceLabels: { app: 'batch-scorer' } }] }] };
    expect(problemsOf(plan, { routing: Routing.istio(), gateways: [Gateway.mesh(), Gateway.fromName('istio-system/ingress')], hosts: ['iris'] })).toEqual([
      "[test/E] [ISV014] route 'batch': sourceLabels match the calling workload and only work with the 'mesh' gateway alone (gateways: [Gateway.mesh()])",
    ]);
    const { app } = planned(plan, { routing: Routing.istio(), gateways: [Gateway.mesh()], hosts: ['iris'] });
    expect(only(synth(app), 'VirtualService').spec.http[0].match).toEqual([{ uri: { prefix: '/seldon/models/iris/' }, sourceLabels: { app: 'batch-scorer' } }]);
  });
});

describe('the gateways a plan is bound to without gateways: the mesh for Services, the operator\'s gateway for predictors', () => {
  const batch: TrafficPlan['routes'] = [{ name: 'batch', target: 'b', matches: [{ sourceLabels: { app: 'batch-scorer' } }] }];

  test('Service variants are in the mesh alone, so a sourceLabels route is written and reaches its callers', () => {
    const { app } = planned({ variants: halves(flowers('v1'), flowers('v2')), routes: batch }, { routing: Routing.istio() });
    const manifests = synth(app);
    const vs = only(manifests, 'VirtualService');
    expect([vs.spec.gateways, vs.spec.hosts]).toEqual([['mesh'], ['flowers']]);
    const sim = RouteSimulator.fromManifests(manifests);
    const call = (labels: Record<string, string>) => sim.simulate({ host: 'flowers.models.svc.cluster.local', port: 8080, sourceLabels: labels });
    expect([call({ app: 'batch-scorer' }).route, call({ app: 'batch-scorer' }).destinations.map(d => [d.subset, d.probability])]).toEqual(['batch', [['b', 1]]]);
    expect(call({ app: 'web' }).destinations.map(d => [d.subset, d.probability])).toEqual([['a', 0.5], ['b', 0.5]]);
  });

  test('predictors are behind the operator\'s ingress gateway, where a sourceLabels route is refused', () => {
    expect(problemsOf({ variants: halves(), routes: batch }, { routing: Routing.istio(), hosts: ['models.example.com'] })).toEqual([
      "[test/E] [ISV014] route 'batch': sourceLabels match the calling workload and only work with the 'mesh' gateway alone (gateways: [Gateway.mesh()])",
    ]);
  });

  test("host '*' for Service variants in the mesh by default is refused on the endpoint, with its path", () => {
    expect(problemsOf({ variants: halves(flowers('v1'), flowers('v2')) }, { routing: Routing.istio(), hosts: ['*'] })).toEqual([
      '[test/E] [ISV002] hosts ["*"] include \'*\', which Istio refuses for routes bound to the \'mesh\' gateway: name the Service host',
    ]);
  });

  test('additional hosts that overlap each other are refused on the endpoint; one the hosts cover is dropped', () => {
    const props = { routing: Routing.istio(), gateways: [Gateway.fromName('istio-system/ingress')], hosts: ['models.example.com'] };
    expect(problemsOf({ variants: halves(), additionalHosts: ['a.preview.example.com', '*.preview.example.com'] }, props)).toEqual([
      '[test/E] [ISV016] hosts \'a.preview.example.com\' and \'*.preview.example.com\' overlap, which Istio refuses in one VirtualService ("duplicate hosts"): keep the wider one, or list hosts no wildcard covers',
    ]);
    const { app } = planned({ variants: halves(), additionalHosts: ['models.example.com', 'preview.example.com'] }, props);
    expect(only(synth(app), 'VirtualService').spec.hosts).toEqual(['models.example.com', 'preview.example.com']);
  });
});

describe('the version label a variant\'s pods carry, which its subset selects', () => {
  const plan = (a = iris('v1'), b = iris('v2')): TrafficPlan => ({ variants: halves(a, b) });

  test('a predictor\'s own version label, else the endpoint\'s pod label, else the variant\'s name', () => {
    const versions = (p: TrafficPlan, podLabels?: Record<string, string>) =>
      planned(p, { routing: Routing.istio(), podLabels }).endpoint.variants.map(v => v.version);
    expect(versions(plan())).toEqual(['a', 'b']);
    expect(versions(plan(iris('v1', { version: 'one' })))).toEqual(['one', 'b']);
    expect(versions(plan(), { version: 'pinned' })).toEqual(['pinned', 'pinned']);
    // The predictor's own label is the more specific one.
    expect(versions(plan(iris('v1', { version: 'one' })), { version: 'pinned' })).toEqual(['one', 'pinned']);
  });

  test('the subsets select those labels, so requests reach the pods that carry them', () => {
    const props = { routing: Routing.istio(), hosts: ['models.example.com'], gateways: [Gateway.fromName('istio-system/seldon-gateway')] };
    const { app, endpoint } = planned(plan(iris('v1', { version: 'one' })), props);
    const manifests = synth(app);
    const subsets = manifests.filter(m => m.kind === 'DestinationRule').flatMap(m => m.spec.subsets);
    expect(subsets.map((s: any) => s.labels.version)).toEqual(endpoint.variants.map(v => v.version));
    const result = RouteSimulator.fromManifests(manifests).simulate({
      gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path: '/seldon/models/iris/api/v1.0/predictions',
    });
    expect(result.destinations.map(d => [d.subset, d.probability, d.failure])).toEqual([['a', 0.5, undefined], ['b', 0.5, undefined]]);
  });

  test('a Service variant: its own version label, none when it is selected by other labels', () => {
    const other = ModelVariant.service({ serviceName: 'flowers', labels: { track: 'b' }, port: 8080 });
    const { endpoint } = planned({ variants: halves(flowers('v1'), other) }, { routing: Routing.istio() });
    expect(endpoint.variants.map(v => v.version)).toEqual(['v1', undefined]);
  });
});
