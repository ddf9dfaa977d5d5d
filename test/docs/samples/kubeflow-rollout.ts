import { App, Chart } from 'cdk8s';
import { Canary, CanaryTraffic, Gateway, IstioSidecar, MeshNamespace, ModelStorageEgress, ModelVariant, Routing, TfServingServer } from '../../../src';

export function build(app: App): void {
  const kubeflow = new Chart(app, 'kubeflow', { namespace: 'kubeflow' });
  // Sidecar injection for the namespace, as Kubeflow's guide labels it.
  new MeshNamespace(kubeflow, 'Namespace', { name: 'kubeflow' });
  const inception = new TfServingServer(kubeflow, 'Inception', {
    name: 'inception',
    sidecar: IstioSidecar.fromNamespace(),
    versions: [
      { name: 'v1', modelBasePath: 'gs://kubeflow-models/inception/a' },
      { name: 'v2', modelBasePath: 'gs://kubeflow-models/inception/b' },
    ],
  });
  // Model A keeps 95 %, model B takes 5 %.
  new Canary(kubeflow, 'Rollout', {
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
  // Egress to Google Cloud Storage, derived from the model URIs.
  new ModelStorageEgress(kubeflow, 'Egress', {});
}
