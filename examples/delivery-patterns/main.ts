// One endpoint per delivery pattern, in each routing mode that can express it, plus the
// seed's canary-example-1. `cdk8s synth` writes one file per chart into dist/, and the
// route report of everything is written next to it (routes.md).
import * as fs from 'fs';
import { App, Chart, Duration } from 'cdk8s';
import {
  ABTest, BlueGreen, Canary, Colour, Gateway, ModelServer, ModelVariant, RouteReport, RoutingMode,
  SeldonEndpointType, Shadow, StringMatch,
} from '../../src';

const app = new App();
const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/${version}` },
});

// The seed: predictors main (75) and canary (25) in the mesh, clients call canary-example-1:8000.
const mockClassifier = (securityContext?: { [key: string]: any }) => ModelVariant.seldon({
  graph: { name: 'classifier', endpointType: SeldonEndpointType.REST },
  componentSpecs: [{
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'classifier', image: 'seldonio/mock_classifier:1.11.0', imagePullPolicy: 'IfNotPresent', securityContext }],
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
  candidateWeight: 25,
});

for (const mode of [RoutingMode.SELDON, RoutingMode.ISTIO]) {
  const suffix = mode.toLowerCase();
  const chart = (pattern: string) => new Chart(app, `${pattern}-${suffix}`, { namespace: 'models' });
  const common = { mode, hosts: ['models.example.com'], retries: { attempts: 3, perTryTimeout: Duration.seconds(2) } };

  // Each commit advances currentStep by one: 5% → 25% → 50% → 100%, then promote.
  new Canary(chart('canary'), 'Canary', {
    ...common, name: `iris-canary-${suffix}`, stable: iris('v1'), candidate: iris('v2'), steps: [5, 25, 50, 100], currentStep: 1,
  });

  new BlueGreen(chart('bluegreen'), 'BlueGreen', {
    ...common,
    name: `iris-bluegreen-${suffix}`,
    blue: iris('v1'),
    green: iris('v2'),
    active: Colour.BLUE,
    // A preview route is an explicit route: the operator cannot express it.
    preview: mode === RoutingMode.ISTIO ? { headerName: 'x-preview' } : undefined,
  });

  new Shadow(chart('shadow'), 'Shadow', {
    ...common, name: `iris-shadow-${suffix}`, primary: iris('v1'), shadow: iris('v2'), mirrorPercentage: 25,
  });

  new ABTest(chart('abtest'), 'ABTest', {
    ...common,
    name: `iris-abtest-${suffix}`,
    // Header routes and sticky sessions are explicit routes; the operator splits by weight only.
    stickyCookie: mode === RoutingMode.ISTIO ? 'iris-arm' : undefined,
    variants: [
      { name: 'model-a', variant: iris('v1'), weight: 50 },
      {
        name: 'model-b',
        variant: iris('v2'),
        weight: 50,
        matches: mode === RoutingMode.ISTIO ? [{ headers: { 'x-group': StringMatch.exact('beta') } }] : undefined,
      },
    ],
  });
}

app.synth();
fs.writeFileSync('routes.md', RouteReport.fromApp(app).toDocument('Routes of the delivery-patterns example'));
