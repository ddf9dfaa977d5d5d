// Secured model serving, in two namespaces:
// - `models`: a Seldon canary (iris v1 → v2 at 10%) behind the seldon-gateway, with explicit
//   Istio routes, accepting only requests with a valid JWT, under STRICT mutual TLS;
// - `kubeflow`: the Kubeflow TF Serving rollout (inception v1 → v2 at 95/5) in the mesh, in a
//   namespace with sidecar injection, whose pods may reach Google Cloud Storage and nothing else outside.
import { App, Chart, Duration } from 'cdk8s';
import { Canary, CanaryTraffic, EndpointSecurity, Gateway, IstioSidecar, MeshNamespace, ModelServer, ModelStorageEgress, ModelVariant, RolloutHealth, Routing, TfServingServer } from '../../src';

const app = new App();
const issuer = { issuer: 'https://accounts.example.com', jwksUri: 'https://accounts.example.com/.well-known/jwks.json', audiences: ['models'] };

// JWT + mTLS protected Seldon canary. RoutingMode.ISTIO: the library writes the DestinationRules,
// so ISTIO_MUTUAL is merged into them (the operator runs with istio.enabled=false).
const models = new Chart(app, 'models', { namespace: 'models' });
new MeshNamespace(models, 'Namespace', { name: 'models', mutualTls: true });
const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://seldon-models/iris/${version}` },
});
const canary = new Canary(models, 'Iris', {
  name: 'iris',
  routing: Routing.istio(),
  hosts: ['iris.example.com'],
  sidecar: IstioSidecar.inject(),
  stable: iris('v1'),
  candidate: iris('v2'),
  traffic: CanaryTraffic.weight(10),
});
new EndpointSecurity(models, 'IrisSecurity', {
  endpoint: canary,
  jwt: [issuer],
  allow: [{ requestPrincipals: ['https://accounts.example.com/*'], claims: { groups: ['ml-clients'] } }],
});

// Kubeflow's rollout of model A to B: one Service, one Deployment per version, 95/5 by weight.
const kubeflow = new Chart(app, 'kubeflow', { namespace: 'kubeflow' });
new MeshNamespace(kubeflow, 'Namespace', { name: 'kubeflow' });
const inception = new TfServingServer(kubeflow, 'Inception', {
  name: 'inception',
  sidecar: IstioSidecar.fromNamespace(),
  versions: [
    { name: 'v1', modelBasePath: 'gs://kubeflow-models/inception/a' },
    { name: 'v2', modelBasePath: 'gs://kubeflow-models/inception/b' },
  ],
});
const rollout = new Canary(kubeflow, 'Rollout', {
  name: 'inception',
  routing: Routing.istio(),
  gateways: [Gateway.mesh()],
  serviceName: 'inception',
  stableName: 'v1',
  candidateName: 'v2',
  stable: ModelVariant.tfServing(inception, 'v1'),
  candidate: ModelVariant.tfServing(inception, 'v2'),
  traffic: CanaryTraffic.weight(5),
});
new ModelStorageEgress(kubeflow, 'Egress', { registryOnly: true });
// Health signals of the rollout, with tighter thresholds than Flagger's defaults.
new RolloutHealth(kubeflow, 'RolloutHealth', { endpoint: rollout, minSuccessRate: 99.5, maxLatencyP99: Duration.millis(300) });

app.synth();
