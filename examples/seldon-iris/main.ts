// The Seldon "Ingress with Istio" setup: the seldon-gateway (HTTP and HTTPS) in istio-system,
// and an iris model served by Seldon's prepackaged scikit-learn server behind it, with retries.
import { App, Chart, Duration } from 'cdk8s';
import { Gateway, GatewayServer, ModelServer, SeldonDeployment } from '../../src';

const app = new App();

const ingress = new Chart(app, 'ingress', { namespace: 'istio-system' });
const gateway = new Gateway(ingress, 'SeldonGateway', {
  servers: [
    GatewayServer.http(),
    GatewayServer.https({ credentialName: 'seldon-ssl-cert' }),
  ],
});

const models = new Chart(app, 'models', { namespace: 'seldon' });
new SeldonDeployment(models, 'Iris', {
  name: 'iris-model',
  gateway,
  hosts: ['iris.example.com'],
  retries: 3,
  retriesTimeout: Duration.seconds(2),
  predictors: [{
    name: 'default',
    replicas: 1,
    graph: {
      name: 'classifier',
      implementation: ModelServer.SKLEARN_SERVER,
      modelUri: 'gs://seldon-models/v1.19.0-dev/sklearn/iris',
    },
  }],
});

app.synth();
