import { App, Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Canary, CanaryTraffic, Gateway, GatewayServer, ModelServer, ModelVariant, SeldonDeployment, SeldonEndpointType } from '../../../src';

export function build(app: App): void {
  // "Istio Gateway": seldon-gateway in istio-system, HTTP on port 80 for every host, and the
  // HTTPS variant with a TLS secret.
  const ingress = new Chart(app, 'ingress', { namespace: 'istio-system' });
  const gateway = new Gateway(ingress, 'SeldonGateway', {
    servers: [GatewayServer.http(), GatewayServer.https({ credentialName: 'seldon-ssl-cert' })],
  });

  // "Istio configuration annotations": gateway, host, retries and retry timeout of one model.
  const seldon = new Chart(app, 'seldon', { namespace: 'seldon' });
  new SeldonDeployment(seldon, 'Iris', {
    name: 'iris-model',
    gateway,
    hosts: ['iris.example.com'],
    retries: 3,
    retriesTimeout: Duration.seconds(2),
    predictors: [{ name: 'default', graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: 'gs://seldon-models/v1.19.0-dev/sklearn/iris' } }],
  });

  // "canary-example-1": a 75/25 canary inside the mesh, called as canary-example-1:8000.
  const mock = ModelVariant.seldon({
    graph: { name: 'classifier', endpointType: SeldonEndpointType.REST },
    componentSpecs: [{ terminationGracePeriodSeconds: 1, containers: [{ name: 'classifier', image: 'seldonio/mock_classifier:1.11.0', imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT }] }],
  });
  new Canary(new Chart(app, 'my-ns', { namespace: 'my-ns' }), 'Canary', {
    name: 'canary-example-1',
    labels: { app: 'seldon' },
    gateways: [Gateway.mesh()],
    serviceName: 'canary-example-1',
    podLabels: { 'sidecar.istio.io/inject': 'true' },
    stableName: 'main',
    stable: mock,
    candidate: mock,
    traffic: CanaryTraffic.weight(25),
  });
}
