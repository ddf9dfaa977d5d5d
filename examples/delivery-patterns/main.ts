// One endpoint per delivery pattern, in each routing mode that can express it, plus the
// seed's canary-example-1. `cdk8s synth` writes one file per chart into dist/, and the
// route report of everything is written next to it (routes.md).
import * as fs from 'fs';
import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { AbTest, BlueGreen, BlueGreenColour, Canary, CanaryTraffic, Gateway, ModelServer, ModelVariant, RolloutHealth, RouteReport, Routing, RoutingMode, SeldonEndpointType, Shadow, StringMatch } from '../../src';

const app = new App();
const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/${version}` },
});

// The seed: predictors main (75) and canary (25) in the mesh, clients call canary-example-1:8000.
const mockClassifier = (securityContext?: kplus.ContainerSecurityContextProps) => ModelVariant.seldon({
  graph: { name: 'classifier', endpointType: SeldonEndpointType.REST },
  componentSpecs: [{
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'classifier', image: 'seldonio/mock_classifier:1.11.0', imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT, securityContext }],
  }],
});
new Canary(new Chart(app, 'canary-example-1', { namespace: 'my-ns' }), 'Canary', {
  name: 'canary-example-1',
  labels: { app: 'seldon' },
  gateways: [Gateway.mesh()],
  serviceName: 'canary-example-1',
  podLabels: { 'sidecar.istio.io/inject': 'true' },
  stableName: 'main',
  stable: mockClassifier({ readOnlyRootFilesystem: false }),
  candidate: mockClassifier(),
  traffic: CanaryTraffic.weight(25),
});

const retries = { attempts: 3, perTryTimeout: Duration.seconds(2) };
for (const routing of [Routing.seldonOperator({ retries }), Routing.istio({ retries })]) {
  const istio = routing.mode === RoutingMode.ISTIO;
  const suffix = routing.mode.toLowerCase();
  const chart = (pattern: string) => new Chart(app, `${pattern}-${suffix}`, { namespace: 'models' });
  const common = { routing, hosts: ['models.example.com'] };

  // Each commit advances the current step by one: 5% → 25% → 50% → 100%, then promote.
  const canaryChart = chart('canary');
  const canary = new Canary(canaryChart, 'Canary', {
    ...common, name: `iris-canary-${suffix}`, stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.steps([5, 25, 50, 100], { current: 1 }),
  });
  // The health signals of the rollout: what Prometheus scrapes, recording rules per variant, alerts.
  new RolloutHealth(canaryChart, 'Health', { endpoint: canary, labels: { release: 'prometheus' } });

  new BlueGreen(chart('bluegreen'), 'BlueGreen', {
    ...common,
    name: `iris-bluegreen-${suffix}`,
    blue: iris('v1'),
    green: iris('v2'),
    active: BlueGreenColour.BLUE,
    // A preview route is an explicit route: the operator cannot express it.
    preview: istio ? { headerName: 'x-preview' } : undefined,
  });

  new Shadow(chart('shadow'), 'Shadow', {
    ...common, name: `iris-shadow-${suffix}`, stable: iris('v1'), shadow: iris('v2'), mirrorPercentage: 25,
  });

  new AbTest(chart('abtest'), 'AbTest', {
    ...common,
    name: `iris-abtest-${suffix}`,
    // Header routes and sticky sessions are explicit routes; the operator splits by weight only.
    routing: istio ? Routing.istio({ retries, stickyCookie: 'iris-arm' }) : routing,
    variants: [
      { name: 'model-a', model: iris('v1'), weight: 50 },
      {
        name: 'model-b',
        model: iris('v2'),
        weight: 50,
        matches: istio ? [{ headers: { 'x-group': StringMatch.exact('beta') } }] : undefined,
      },
    ],
  });
}

app.synth();
fs.writeFileSync('routes.md', RouteReport.fromApp(app).toDocument('Routes of the delivery-patterns example'));
