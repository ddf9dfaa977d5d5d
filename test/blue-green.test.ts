/**
 * BlueGreen's own decisions (default gateways and hosts, the preview), each pinned by where a
 * request goes through the route simulator, and what an endpoint exposes when its plan is refused
 * (found by mutation testing: these survived the pattern-level suites).
 */
import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  BlueGreen, BlueGreenColour, BlueGreenProps, Gateway, IstioSidecar, ModelEndpoint, ModelEndpointProps, ModelServer, ModelVariant, RouteSimulator,
  Routing, SimulatedRequest, TrafficPlan,
} from '../src';
import { errorOf, only, synth, testChart } from './util';

const flowers = (version: string) => ModelVariant.service({ serviceName: 'flowers', labels: { version }, port: 8080, podSelector: { app: 'flowers' } });
const iris = (version: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${version}` } });

/** The flowers Deployments the subsets select, so the simulator finds the pods behind them. */
const flowerPods = ['v1', 'v2'].map(version => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: `flowers-${version}`, namespace: 'models' },
  spec: { template: { metadata: { labels: { app: 'flowers', version } } } },
}));

function blueGreen(props: Partial<BlueGreenProps>): { manifests: () => any[]; error: () => string } {
  const { app, chart } = testChart({ namespace: 'models' });
  new BlueGreen(chart, 'BG', { name: 'flowers', routing: Routing.istio(), blue: flowers('v1'), green: flowers('v2'), active: BlueGreenColour.BLUE, ...props });
  return { manifests: () => synth(app), error: () => errorOf(() => app.synthYaml()) };
}

/** The subset that answers `request` (all of it: blue/green never splits). */
function answeredBy(manifests: any[], request: SimulatedRequest): string | undefined {
  const result = RouteSimulator.fromManifests([...manifests, ...flowerPods]).simulate(request);
  const serving = result.destinations.filter(d => d.probability > 0);
  expect(serving.map(d => d.probability)).toEqual(serving.length > 0 ? [1] : []);
  return serving[0]?.subset;
}

const inMesh = (headers: Record<string, string> = {}): SimulatedRequest => ({ gateway: 'mesh', host: 'flowers.models', port: 8080, path: '/predict', headers });

describe('BlueGreen defaults: Service variants are served in the mesh under their Service name', () => {
  test('no gateways, serviceName: the VirtualService is bound to the mesh for host flowers, and green answers when green is active', () => {
    const manifests = blueGreen({ serviceName: 'flowers', active: BlueGreenColour.GREEN, preview: { headerName: 'x-preview' } }).manifests();
    const vs = only(manifests, 'VirtualService');
    expect(vs.spec.gateways).toEqual(['mesh']);
    expect(vs.spec.hosts).toEqual(['flowers']);
    expect(answeredBy(manifests, inMesh())).toBe('green');
    // The inactive colour of a green deployment is blue: the preview reaches it.
    expect(answeredBy(manifests, inMesh({ 'x-preview': 'true' }))).toBe('blue');
  });

  test('mesh and an ingress gateway: the Service name is still the host; an ingress alone keeps every host', () => {
    const both = blueGreen({ serviceName: 'flowers', gateways: [Gateway.mesh(), Gateway.fromName('istio-system/ingress')] }).manifests();
    expect(only(both, 'VirtualService').spec.hosts).toEqual(['flowers']);
    expect(answeredBy(both, inMesh())).toBe('blue');
    const ingress = blueGreen({ serviceName: 'flowers', gateways: [Gateway.fromName('istio-system/ingress')] }).manifests();
    expect(only(ingress, 'VirtualService').spec.hosts).toEqual(['*']);
  });

  test('Seldon variants without gateways are routed on the operator\'s gateway, not in the mesh', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new BlueGreen(chart, 'BG', { name: 'iris', routing: Routing.istio(), blue: iris('v1'), green: iris('v2'), active: BlueGreenColour.GREEN });
    const manifests = synth(app);
    expect(only(manifests, 'VirtualService').spec.gateways).toEqual(['istio-system/seldon-gateway']);
    const result = RouteSimulator.fromManifests(manifests).simulate({ gateway: 'istio-system/seldon-gateway', host: 'models.example.com', port: 80, path: '/seldon/models/iris/api/v1.0/predictions' });
    expect(result.destinations.filter(d => d.probability > 0).map(d => [d.subset, d.probability])).toEqual([['green', 1]]);
  });
});

describe('BlueGreen preview', () => {
  const ingress = [Gateway.fromName('istio-system/ingress')];
  const viaIngress = (host: string): SimulatedRequest => ({ gateway: 'istio-system/ingress', host, port: 80, path: '/predict' });

  test('a preview host needs an ingress gateway: refused in the mesh alone, accepted beside one', () => {
    expect(blueGreen({ serviceName: 'flowers', preview: { host: 'preview.example.com' } }).error())
      .toMatch(/\[test\/BG\] \[POL003\] preview host "preview\.example\.com" needs an ingress gateway: in the mesh, clients call Services by name/);
    const manifests = blueGreen({ hosts: ['flowers.example.com'], gateways: [Gateway.mesh(), ...ingress], preview: { host: 'preview.example.com' } }).manifests();
    expect(only(manifests, 'VirtualService').spec.hosts).toEqual(['flowers.example.com', 'preview.example.com']);
    expect(answeredBy(manifests, viaIngress('preview.example.com'))).toBe('green');
    expect(answeredBy(manifests, viaIngress('flowers.example.com'))).toBe('blue');
  });

  // The preview host joined only hosts that BlueGreen computed itself, which missed the
  // renderer's default for Service variants in the mesh (their Service's name): the preview host
  // was left out and its requests at the ingress found no route (404).
  test('mesh and an ingress without hosts: the preview host joins the Service name the routes default to', () => {
    const withService = blueGreen({ gateways: [Gateway.mesh(), ...ingress], preview: { host: 'preview.example.com' } }).manifests();
    expect(only(withService, 'VirtualService').spec.hosts).toEqual(['flowers', 'preview.example.com']);
    expect(answeredBy(withService, viaIngress('preview.example.com'))).toBe('green');
    expect(answeredBy(withService, inMesh())).toBe('blue');
    const named = blueGreen({ serviceName: 'flowers-public', gateways: [Gateway.mesh(), ...ingress], preview: { host: 'preview.example.com' } }).manifests();
    expect(only(named, 'VirtualService').spec.hosts).toEqual(['flowers-public', 'preview.example.com']);
  });

  test('hosts of which one covers the preview host: none is added, even when another does not cover it', () => {
    const manifests = blueGreen({ hosts: ['flowers.example.org', '*.example.com'], gateways: ingress, preview: { host: 'preview.example.com' } }).manifests();
    expect(only(manifests, 'VirtualService').spec.hosts).toEqual(['flowers.example.org', '*.example.com']);
    expect(answeredBy(manifests, viaIngress('preview.example.com'))).toBe('green');
    expect(answeredBy(manifests, viaIngress('flowers.example.org'))).toBe('blue');
  });

  test('a preview with neither a header nor a host is refused', () => {
    expect(blueGreen({ gateways: ingress, preview: {} }).error())
      .toMatch(/\[test\/BG\] \[POL003\] preview has neither headerName nor host: set one, or drop preview/);
  });

  test('a preview host already covered by the hosts is not added again (Istio refuses overlapping hosts), and still reaches the inactive colour', () => {
    const wildcard = blueGreen({ hosts: ['*.example.com'], gateways: ingress, preview: { host: 'preview.example.com' } }).manifests();
    expect(only(wildcard, 'VirtualService').spec.hosts).toEqual(['*.example.com']);
    expect(answeredBy(wildcard, viaIngress('preview.example.com'))).toBe('green');
    expect(answeredBy(wildcard, viaIngress('flowers.example.com'))).toBe('blue');
    // No hosts: every host ('*') covers the preview host too.
    const every = blueGreen({ gateways: ingress, preview: { host: 'preview.example.com' } }).manifests();
    expect(only(every, 'VirtualService').spec.hosts).toEqual(['*']);
    expect(answeredBy(every, viaIngress('preview.example.com'))).toBe('green');
  });
});

/** A pattern of one's own that reads its variants before and after rendering its plan. */
class Recorded extends ModelEndpoint {
  public readonly variantsBeforePlan: number;
  constructor(scope: Construct, id: string, props: ModelEndpointProps & { readonly plan: TrafficPlan }) {
    super(scope, id, props);
    this.variantsBeforePlan = this.variants.length;
    this.renderPlan(props.plan);
  }
}

describe('an endpoint whose plan is refused writes nothing', () => {
  test('no namespace: no child construct, no SeldonDeployment, VirtualService or DestinationRule, and synth names the problem', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'nowhere');
    const endpoint = new Recorded(chart, 'E', {
      name: 'iris', routing: Routing.istio(), plan: { variants: [{ name: 'a', model: iris('v1'), weight: 50 }, { name: 'b', model: iris('v2'), weight: 50 }] },
    });
    expect(endpoint.variantsBeforePlan).toBe(0);
    expect(endpoint.node.children).toEqual([]);
    expect([endpoint.seldonDeployment, endpoint.virtualService, endpoint.destinationRules]).toEqual([undefined, undefined, []]);
    expect(endpoint.variants.map(v => v.name)).toEqual(['a', 'b']);
    // What the endpoint reports as its namespace meanwhile: Kubernetes' default, not an empty name.
    expect(endpoint.namespace).toBe('default');
    expect(errorOf(() => app.synthYaml())).toMatch(/\[nowhere\/E\] \[POL003\] has no namespace/);
  });

  test('a valid one writes its objects and exposes them', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const endpoint = new Recorded(chart, 'E', {
      name: 'iris', routing: Routing.istio(), plan: { variants: [{ name: 'a', model: iris('v1'), weight: 50 }, { name: 'b', model: iris('v2'), weight: 50 }] },
    });
    expect([endpoint.seldonDeployment?.name, endpoint.virtualService?.name, endpoint.destinationRules.map(d => d.name)])
      .toEqual(['iris', 'iris-routes', ['iris-a-subsets', 'iris-b-subsets']]);
    expect(synth(app).map(m => m.kind)).toEqual(['SeldonDeployment', 'DestinationRule', 'DestinationRule', 'VirtualService']);
  });

  test('no sidecar and no pod labels: the predictor gets no labels block; with a sidecar, its label', () => {
    const predictorOf = (props: Partial<ModelEndpointProps>) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new Recorded(chart, 'E', { name: 'iris', ...props, plan: { variants: [{ name: 'a', model: iris('v1'), weight: 100 }] } });
      return only(synth(app), 'SeldonDeployment').spec.predictors[0];
    };
    expect(Object.keys(predictorOf({}))).not.toContain('labels');
    expect(predictorOf({ sidecar: IstioSidecar.inject() }).labels).toEqual({ 'sidecar.istio.io/inject': 'true' });
  });
});
