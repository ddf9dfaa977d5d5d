import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { parse } from 'yaml';
import { AbTest, Canary, CanaryProps, CanaryTraffic, Gateway, ModelServer, ModelVariant, Routing, SeldonEndpointType, StringMatch } from '../src';
import { errorOf, only, synth, testChart } from './util';

// The seed's canary-example-1 (Seldon "Ingress with Istio", mesh section), verbatim.
const SEED_CANARY_EXAMPLE_1 = parse(`
apiVersion: machinelearning.seldon.io/v1
kind: SeldonDeployment
metadata:
  labels:
    app: seldon
  name: canary-example-1
  namespace: my-ns
spec:
  annotations:
    seldon.io/istio-gateway: mesh # NOTE
    seldon.io/istio-host: canary-example-1 # NOTE
  name: canary-example-1
  predictors:
  - annotations:
      seldon.io/svc-name: canary-example-1   # NOTE
    componentSpecs:
    - spec:
        containers:
        - image: seldonio/mock_classifier:1.11.0
          imagePullPolicy: IfNotPresent
          name: classifier
          securityContext:
            readOnlyRootFilesystem: false
        terminationGracePeriodSeconds: 1
    graph:
      endpoint:
        type: REST
      name: classifier
      type: MODEL
    labels:
      sidecar.istio.io/inject: "true"
    name: main
    replicas: 1
    traffic: 75
  - componentSpecs:
    - spec:
        containers:
        - image: seldonio/mock_classifier:1.11.0
          imagePullPolicy: IfNotPresent
          name: classifier
        terminationGracePeriodSeconds: 1
    graph:
      endpoint:
        type: REST
      name: classifier
      type: MODEL
    labels:
      sidecar.istio.io/inject: "true"
    name: canary
    replicas: 1
    traffic: 25
`);

function mockClassifier(securityContext?: kplus.ContainerSecurityContextProps): ModelVariant {
  return ModelVariant.seldon({
    graph: { name: 'classifier', endpointType: SeldonEndpointType.REST },
    componentSpecs: [{
      terminationGracePeriodSeconds: 1,
      containers: [{ name: 'classifier', image: 'seldonio/mock_classifier:1.11.0', imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT, securityContext }],
    }],
  });
}

const sklearn = (uri: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: uri } });
const v1 = sklearn('gs://models/iris/v1');
const v2 = sklearn('gs://models/iris/v2');

function synthCanary(props: CanaryProps, namespace = 'models'): any[] {
  const { app, chart } = testChart({ namespace });
  new Canary(chart, 'Canary', props);
  return synth(app);
}

describe('Canary, Seldon-managed', () => {
  test('reproduces the seed canary-example-1 field by field', () => {
    const manifests = synthCanary({
      name: 'canary-example-1',
      labels: { app: 'seldon' },
      gateways: [Gateway.mesh()],
      serviceName: 'canary-example-1',
      podLabels: { 'sidecar.istio.io/inject': 'true' },
      stableName: 'main',
      stable: mockClassifier({ readOnlyRootFilesystem: false }),
      candidate: mockClassifier(),
      traffic: CanaryTraffic.weight(25),
    }, 'my-ns');
    expect(manifests).toEqual([SEED_CANARY_EXAMPLE_1]);
  });

  test('steps: the current step sets the weights; names stay the same', () => {
    const at = (currentStep: number) => only(synthCanary({ name: 'iris', stable: v1, candidate: v2, traffic: CanaryTraffic.steps([5, 25, 50, 100], { current: currentStep }) }), 'SeldonDeployment');
    expect(at(0).spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['stable', 95], ['canary', 5]]);
    expect(at(2).spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['stable', 50], ['canary', 50]]);
    expect(at(3).spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['stable', 0], ['canary', 100]]);
  });

  test('promotion: the candidate becomes the stable variant under the same name', () => {
    const sdep = only(synthCanary({ name: 'iris', stable: v2 }), 'SeldonDeployment');
    expect(sdep.spec.predictors).toEqual([{
      name: 'stable',
      replicas: 1,
      traffic: 100,
      graph: { name: 'classifier', type: 'MODEL', implementation: 'SKLEARN_SERVER', modelUri: 'gs://models/iris/v2' },
    }]);
  });

  test('retries become the operator annotations', () => {
    const sdep = only(synthCanary({ name: 'iris', stable: v1, candidate: v2, traffic: CanaryTraffic.weight(10), routing: Routing.seldonOperator({ retries: { attempts: 3, perTryTimeout: Duration.seconds(2) } }) }), 'SeldonDeployment');
    expect(sdep.spec.annotations).toEqual({ 'seldon.io/istio-retries': '3', 'seldon.io/istio-retries-timeout': '2' });
  });

  test('the canary exposes what it made', () => {
    const { chart } = testChart({ namespace: 'models' });
    const canary = new Canary(chart, 'Canary', { name: 'iris', stable: v1, candidate: v2, traffic: CanaryTraffic.weight(10) });
    expect(canary.seldonDeployment?.name).toBe('iris');
    expect(canary.seldonDeployment?.predictorServiceHost('canary')).toBe('iris-canary.models.svc.cluster.local');
    expect(canary.virtualService).toBeUndefined();
    expect(canary.candidateWeight).toBe(10);
  });
});

describe('Canary, explicit Istio routes', () => {
  // Synthesized in each test (not while jest collects them) so mutation testing sees which tests cover the code.
  let manifests: any[];
  let vs: any;
  beforeEach(() => {
    manifests = synthCanary({ name: 'iris', routing: Routing.istio(), stableName: 'main', stable: v1, candidate: v2, traffic: CanaryTraffic.weight(25) });
    vs = only(manifests, 'VirtualService');
  });

  test('routes match, route for route, the VirtualService the operator would generate (domain reference §1)', () => {
    // Written from the reference, not from our output: REST prefix + rewrite on port 8000,
    // gRPC regex + seldon/namespace headers on port 5001, one weighted destination per predictor.
    const dest = (predictor: string, port: number, weight: number) => ({
      destination: { host: `iris-${predictor}.models.svc.cluster.local`, subset: predictor, port: { number: port } }, weight,
    });
    const operatorRoutes = [
      { match: [{ uri: { prefix: '/seldon/models/iris/' } }], rewrite: { uri: '/' }, route: [dest('main', 8000, 75), dest('canary', 8000, 25)] },
      {
        match: [{ uri: { regex: '.*tensorflow.*|.*seldon.protos.*|.*inference.*' }, headers: { seldon: { exact: 'iris' }, namespace: { exact: 'models' } } }],
        route: [dest('main', 5001, 75), dest('canary', 5001, 25)],
      },
    ];
    expect(vs.spec.http.map(({ name, ...rest }: any) => rest)).toEqual(operatorRoutes);
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['default-rest', 'default-grpc']);
    expect(vs.spec.gateways).toEqual(['istio-system/seldon-gateway']);
    expect(vs.spec.hosts).toEqual(['*']);
  });

  test('one DestinationRule per predictor host, as the operator writes it, under a name it never uses', () => {
    const rules = manifests.filter(m => m.kind === 'DestinationRule');
    expect(rules.map(r => r.metadata.name)).toEqual(['iris-main-subsets', 'iris-canary-subsets']);
    expect(rules[0].spec).toEqual({
      host: 'iris-main.models.svc.cluster.local',
      subsets: [{ name: 'main', labels: { version: 'main' } }],
      trafficPolicy: { connectionPool: { http: { idleTimeout: '60s' } } },
    });
  });

  test('no object is named like the operator\'s (<sdep>, <sdep>-<predictor>)', () => {
    const operatorNames = new Set(['iris', 'iris-main', 'iris-canary']);
    const istioObjects = manifests.filter(m => m.apiVersion.startsWith('networking.istio.io'));
    expect(istioObjects.length).toBe(3);
    for (const m of istioObjects) expect(operatorNames.has(m.metadata.name)).toBe(false);
  });

  test('the SeldonDeployment carries no Istio annotation', () => {
    expect(only(manifests, 'SeldonDeployment').spec.annotations).toBeUndefined();
  });

  test('timeout and custom retries land on every route', () => {
    const out = synthCanary({
      name: 'iris',
      stable: v1,
      candidate: v2,
      traffic: CanaryTraffic.weight(5),
      routing: Routing.istio({ timeout: Duration.millis(1500), retries: { attempts: 2, perTryTimeout: Duration.millis(500), retryOn: ['5xx'] } }),
    });
    for (const route of only(out, 'VirtualService').spec.http) {
      expect(route.timeout).toBe('1500ms');
      expect(route.retries).toEqual({ attempts: 2, perTryTimeout: '500ms', retryOn: '5xx' });
    }
  });
});

describe('Canary errors', () => {
  test.each<[string, Partial<CanaryProps>, RegExp]>([
    ['steps that do not increase', { traffic: CanaryTraffic.steps([5, 50, 25], { current: 0 }) }, /steps \[5 %, 50 %, 25 %\] must increase: step 2 \(25 %\) is not above step 1 \(50 %\)/],
    ['a current step outside the plan', { traffic: CanaryTraffic.steps([5, 25], { current: 2 }) }, /current step 2 is not a step of \[5 %, 25 %\]: use 0 to 1/],
    ['empty steps', { traffic: CanaryTraffic.steps([]) }, /the rollout plan is empty/],
    ['weight out of range', { traffic: CanaryTraffic.weight(120) }, /CanaryTraffic.weight\(120\) must be an integer from 0 to 100/],
    ['a fractional weight', { traffic: CanaryTraffic.weight(2.5) }, /CanaryTraffic.weight\(2.5\) must be an integer/],
    ['mesh with the * host', { traffic: CanaryTraffic.weight(5), gateways: [Gateway.mesh()], hosts: ['*'] }, /include '\*', which Istio refuses/],
    ['mesh without a host', { traffic: CanaryTraffic.weight(5), gateways: [Gateway.mesh()] }, /bound to the 'mesh' gateway without hosts: set serviceName/],
    ['several gateways in Seldon mode', { traffic: CanaryTraffic.weight(5), gateways: [Gateway.fromName('a/b'), Gateway.fromName('c/d')] }, /2 gateways: the Seldon operator binds its VirtualService to one gateway/],
    ['same name for both variants', { traffic: CanaryTraffic.weight(5), stableName: 'v', candidateName: 'v' }, /variant name 'v' is used twice/],
  ])('%s', (_, extra, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Canary', { name: 'iris', stable: v1, candidate: v2, ...extra });
    expect(errorOf(() => app.synthYaml())).toMatch(expected);
  });

  test('a header match in Seldon mode names the explicit mode', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new AbTest(chart, 'AB', {
      name: 'iris',
      variants: [{ name: 'a', model: v1, weight: 100 }, { name: 'b', model: v2, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] }],
    });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/AB\] \[SDO002\] route "match-b" matches requests \(header, cookie, URI or caller\), which the Seldon operator cannot express .* use routing: Routing\.istio\(\)/);
  });
});
