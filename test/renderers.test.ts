/**
 * The two renderers' own decisions, each pinned by what it changes in the manifests or where a
 * request goes (found by mutation testing: these survived with the pattern-level suites alone).
 */
import { Duration } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AbTest, Canary, CanaryTraffic, Gateway, ModelEndpoint, ModelEndpointProps, ModelServer, ModelVariant, RouteSimulator, Routing,
  StringMatch, TfServingServer, TrafficPlan,
} from '../src';
import { errorOf, only, synth, testChart } from './util';
import { SELDON_RETRY_ON } from '../src/istio/route-types';

const iris = (v: string, labels?: Record<string, string>) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${v}` }, labels,
});
const flowers = (v: string, port?: number) => ModelVariant.service({ serviceName: 'flowers', labels: { version: v }, port, podSelector: { app: 'flowers' } });

/** A pattern of one's own: renders the plan it is given. */
class Planned extends ModelEndpoint {
  constructor(scope: Construct, id: string, props: ModelEndpointProps & { readonly plan: TrafficPlan }) {
    super(scope, id, props);
    this.renderPlan(props.plan);
  }
}

function planned(props: Partial<ModelEndpointProps>, plan: TrafficPlan): { app: any; endpoint: Planned } {
  const { app, chart } = testChart({ namespace: 'models' });
  const endpoint = new Planned(chart, 'E', { name: 'iris', ...props, plan });
  return { app, endpoint };
}

describe('explicit Istio routes: checks of the Istio renderer', () => {
  test('a Seldon variant named like one of our objects is refused; a Service variant may have that name', () => {
    const seldon = planned({ routing: Routing.istio() }, { variants: [{ name: 'blue-subsets', model: iris('v1'), weight: 100 }] });
    expect(errorOf(() => seldon.app.synthYaml())).toMatch(/\[XRS002\] variant name 'blue-subsets' would make the operator's object 'iris-blue-subsets'/);
    const routes = planned({ routing: Routing.istio() }, { variants: [{ name: 'routes', model: iris('v1'), weight: 100 }] });
    expect(errorOf(() => routes.app.synthYaml())).toMatch(/variant name 'routes' would make the operator's object 'iris-routes'/);
    const services = planned({ routing: Routing.istio(), hosts: ['flowers'] }, {
      variants: [{ name: 'routes', model: flowers('v1', 8080), weight: 50 }, { name: 'a-subsets', model: flowers('v2', 8080), weight: 50 }],
    });
    expect(() => services.app.synthYaml()).not.toThrow();
  });

  test('a Seldon route with a URI among its matches is refused, even when another match has none', () => {
    const { app } = planned({ routing: Routing.istio() }, {
      variants: [{ name: 'a', model: iris('v1'), weight: 100 }],
      routes: [{ name: 'r', matches: [{ headers: { 'x-a': StringMatch.exact('1') } }, { uri: StringMatch.prefix('/x') }], target: 'a' }],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/route 'r' matches a URI, but a Seldon endpoint's routes are under '\/seldon\/models\/iris\/'/);
  });

  test('a Service variant without port is refused when any gateway is an ingress, accepted in the mesh alone', () => {
    const plan = { variants: [{ name: 'a', model: flowers('v1'), weight: 100 }] };
    const both = planned({ routing: Routing.istio(), hosts: ['flowers'], gateways: [Gateway.mesh(), Gateway.fromName('istio-system/ingress')] }, plan);
    expect(errorOf(() => both.app.synthYaml())).toMatch(/\[POL010\] variant 'a' \(Service 'flowers'\) has no port/);
    const mesh = planned({ routing: Routing.istio(), gateways: [Gateway.mesh()] }, plan);
    expect(() => mesh.app.synthYaml()).not.toThrow();
  });

  test('Service variants: the host defaults to the first variant\'s Service in the mesh, and the objects are named after the endpoint', () => {
    const { app, endpoint } = planned({ routing: Routing.istio(), gateways: [Gateway.mesh(), Gateway.fromName('istio-system/ingress')] }, {
      variants: [{ name: 'a', model: flowers('v1', 8080), weight: 90 }, { name: 'b', model: flowers('v2', 8080), weight: 10 }],
    });
    const manifests = synth(app);
    const vs = only(manifests, 'VirtualService');
    expect([vs.metadata.name, vs.spec.hosts]).toEqual(['iris-routes', ['flowers']]);
    expect(endpoint.destinationRules.map(d => d.name)).toEqual(['flowers-subsets']);
    const r = RouteSimulator.fromManifests(manifests).simulate({ host: 'flowers.models.svc.cluster.local', port: 8080, sourceNamespace: 'models' });
    expect(r.destinations.map(d => [d.subset, d.probability])).toEqual([['a', 0.9], ['b', 0.1]]);
  });

  test('the gRPC route of Seldon predictors matches the operator\'s gRPC paths (a regex), and a single variant carries no weight', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Iris', { name: 'iris', routing: Routing.istio(), stable: iris('v1') });
    const vs = only(synth(app), 'VirtualService');
    const grpc = vs.spec.http.find((h: any) => h.name === 'default-grpc');
    expect(Object.keys(grpc.match[0].uri)).toEqual(['regex']);
    for (const route of vs.spec.http) expect(route.route.map((d: any) => d.weight)).toEqual([undefined]);
  });

  test('a header match route of TF Serving variants keeps both the user\'s header and the gRPC content type', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const server = new TfServingServer(chart, 'S', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }, { name: 'v2', modelBasePath: 'gs://m/v2' }] });
    new AbTest(chart, 'AB', {
      name: 'inception',
      routing: Routing.istio(),
      hosts: ['inception'],
      gateways: [Gateway.mesh()],
      variants: [
        { name: 'a', model: ModelVariant.tfServing(server, 'v1'), weight: 100, matches: [] },
        { name: 'b', model: ModelVariant.tfServing(server, 'v2'), weight: 0, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] },
      ],
    });
    const vs = only(synth(app), 'VirtualService');
    const grpc = vs.spec.http.find((h: any) => h.name.endsWith('-grpc') && h.route[0].destination.subset === 'b');
    expect(Object.keys(grpc.match[0].headers).sort()).toEqual(['content-type', 'x-group']);
  });

  test('TF Serving variants: the server is looked up by name and namespace among several', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new TfServingServer(chart, 'Other', { name: 'resnet', versions: [{ name: 'v1', modelBasePath: 'gs://m/r1' }] });
    new TfServingServer(chart, 'Elsewhere', { name: 'inception', namespace: 'staging', versions: [{ name: 'v1', modelBasePath: 'gs://m/s1' }] });
    const server = new TfServingServer(chart, 'S', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }, { name: 'v9', modelBasePath: 'gs://m/v9' }] });
    new Canary(chart, 'C', { name: 'inception', routing: Routing.istio(), hosts: ['inception'], gateways: [Gateway.mesh()], stable: ModelVariant.tfServing(server, 'v9') });
    expect(() => app.synthYaml()).not.toThrow();

    const other = testChart({ namespace: 'models' });
    const staging = new TfServingServer(other.chart, 'S', { name: 'inception', namespace: 'staging', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }] });
    new Canary(other.chart, 'C', { name: 'inception', routing: Routing.istio(), hosts: ['inception'], gateways: [Gateway.mesh()], stable: ModelVariant.tfServing(staging, 'v1') });
    expect(errorOf(() => other.app.synthYaml())).toMatch(/\[TFS004\] variant 'stable': TfServingServer 'test\/S' is in namespace 'staging', not 'models': put the endpoint in the server's namespace/);
  });

  test('a TF Serving variant beside a plain Service variant: one route per request, not the TF Serving split', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const server = new TfServingServer(chart, 'S', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }] });
    new Planned(chart, 'E', {
      name: 'mixed',
      routing: Routing.istio(),
      hosts: ['mixed'],
      gateways: [Gateway.mesh()],
      plan: { variants: [{ name: 'tf', model: ModelVariant.tfServing(server, 'v1'), weight: 50 }, { name: 'plain', model: flowers('v1', 8080), weight: 50 }] },
    });
    expect(only(synth(app), 'VirtualService').spec.http.map((h: any) => h.name)).toEqual(['default']);
  });

  test('retries: attempts 0 gets no per-try timeout (Istio refuses one when retries are off); attempts > 0 gets the operator\'s 1s', () => {
    const at = (attempts: number) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new Canary(chart, 'C', { name: 'iris', routing: Routing.istio({ retries: { attempts } }), stable: iris('v1') });
      return only(synth(app), 'VirtualService').spec.http[0].retries;
    };
    expect(at(0)).toEqual({ attempts: 0 });
    expect(at(2)).toEqual({ attempts: 2, perTryTimeout: '1s', retryOn: 'gateway-error,connect-failure,refused-stream' });
  });

  test('a model that mixes Seldon and Service variants is refused with explicit routes too', () => {
    const { app } = planned({ routing: Routing.istio(), hosts: ['flowers'] }, {
      variants: [{ name: 'a', model: iris('v1'), weight: 50 }, { name: 'b', model: flowers('v2', 8080), weight: 50 }],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/mixes Seldon predictors and Service variants/);
  });
});

describe('Seldon operator routing: what the operator cannot express is refused', () => {
  test('two mirrors', () => {
    const { app } = planned({ routing: Routing.seldonOperator() }, {
      variants: [{ name: 'a', model: iris('v1'), weight: 100 }],
      mirrors: [{ name: 'm1', model: iris('v2'), percentage: 10 }, { name: 'm2', model: iris('v3'), percentage: 20 }],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/2 mirrors \(m1, m2\): the Seldon operator allows one shadow/);
  });

  test('a retryOn other than the operator\'s; its own list is accepted', () => {
    const at = (retryOn: string[]) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new Canary(chart, 'C', { name: 'iris', routing: Routing.seldonOperator({ retries: { attempts: 2, retryOn } }), stable: iris('v1') });
      return () => app.synthYaml();
    };
    expect(errorOf(at(['5xx']))).toMatch(/retryOn \["5xx"\]: the Seldon operator always retries on gateway-error,connect-failure,refused-stream/);
    expect(at([...SELDON_RETRY_ON])).not.toThrow();
  });

  test('one Service variant among Seldon predictors', () => {
    const { app } = planned({ routing: Routing.seldonOperator() }, {
      variants: [{ name: 'a', model: iris('v1'), weight: 50 }, { name: 'b', model: flowers('v2', 8080), weight: 50 }],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/Service variants are not Seldon predictors, so the Seldon operator cannot route to them/);
  });

  test('the library writes no DestinationRule (the operator does); variant labels reach the predictor beside the endpoint\'s', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const canary = new Canary(chart, 'C', {
      name: 'iris',
      podLabels: { team: 'ml' },
      stable: iris('v1', { tier: 'gold' }),
      candidate: iris('v2'),
      traffic: CanaryTraffic.weight(10),
      routing: Routing.seldonOperator({ retries: { attempts: 1, perTryTimeout: Duration.seconds(2) } }),
    });
    const manifests = synth(app);
    expect(canary.destinationRules).toEqual([]);
    expect(manifests.filter(m => m.kind === 'DestinationRule')).toEqual([]);
    expect(only(manifests, 'SeldonDeployment').spec.predictors.map((p: any) => p.labels)).toEqual([{ team: 'ml', tier: 'gold' }, { team: 'ml' }]);
  });
});
