// The reference for the smoke test: two charts, each with one delivery pattern, synthesized
// from the library's TypeScript source into the folder named by the first argument.
// smoke/python, smoke/java and smoke/go build the same charts through the jsii packages
// (dist/python, dist/java, dist/go); smoke/run.sh fails unless their YAML is byte-identical.
import { App, Chart, Duration } from 'cdk8s';
import { AbTest, Canary, CanaryTraffic, ModelServer, ModelVariant, Routing, StringMatch } from '../../src';

const outdir = process.argv[2];
if (!outdir) {
  throw new Error('usage: main.ts OUTDIR');
}

const app = new App({ outdir });
const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/${version}` },
});
const hosts = ['models.example.com'];
const retries = { attempts: 3, perTryTimeout: Duration.seconds(2) };

// A canary in Seldon-managed mode: the operator writes the Istio routes from the SeldonDeployment.
new Canary(new Chart(app, 'canary-seldon', { namespace: 'models' }), 'Canary', {
  routing: Routing.seldonOperator({ retries }),
  name: 'iris-canary',
  hosts,
  stable: iris('v1'),
  candidate: iris('v2'),
  traffic: CanaryTraffic.steps([5, 25, 50, 100], { current: 1 }),
});

// A header A/B test in explicit Istio mode: the library writes the VirtualService itself.
new AbTest(new Chart(app, 'abtest-istio', { namespace: 'models' }), 'AbTest', {
  routing: Routing.istio({ retries }),
  name: 'iris-abtest',
  hosts,
  variants: [
    { name: 'model-a', model: iris('v1'), weight: 50 },
    { name: 'model-b', model: iris('v2'), weight: 50, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] },
  ],
});

app.synth();
