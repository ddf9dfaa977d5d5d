import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Gateway, ModelServer, SeldonDeployment, SeldonDeploymentProps, SeldonEndpointType, SeldonParameterType, SeldonPredictorProps, SeldonProtocol, SeldonTransport, SeldonUnitType } from '../src';
import { errorOf, only, synth, testChart } from './util';
import { SeldonDeployment as GeneratedSeldonDeployment } from '../src/imports/machinelearning.seldon.io';
import { SELDON_DEPLOYMENT_GVK } from '../src/seldon/deployment';

const iris: SeldonPredictorProps = {
  name: 'default',
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: 'gs://seldon-models/sklearn/iris' },
};

function render(props: SeldonDeploymentProps, namespace: string | undefined = 'seldon'): any {
  const { app, chart } = testChart({ namespace });
  new SeldonDeployment(chart, 'Model', props);
  return only(synth(app), 'SeldonDeployment');
}

describe('SeldonDeployment', () => {
  // The library writes the GVK out instead of loading the generated module for it (see
  // SELDON_DEPLOYMENT_GVK): a re-import of another CRD version must show up here.
  test('writes the group, version and kind of the generated import', () => {
    expect(SELDON_DEPLOYMENT_GVK).toEqual(GeneratedSeldonDeployment.GVK);
  });

  test('an iris SKLEARN_SERVER model with gateway, host and retry annotations in spec.annotations', () => {
    const manifest = render({
      name: 'iris',
      gateway: Gateway.fromName('istio-system/seldon-gateway'),
      hosts: ['iris.example.com'],
      retries: 3,
      retriesTimeout: Duration.seconds(2),
      predictors: [{ ...iris, replicas: 2 }],
    });
    expect(manifest.apiVersion).toBe('machinelearning.seldon.io/v1');
    expect(manifest.kind).toBe('SeldonDeployment');
    expect(manifest.metadata).toEqual({ name: 'iris', namespace: 'seldon' });
    expect(manifest.spec).toEqual({
      name: 'iris',
      annotations: {
        'seldon.io/istio-gateway': 'istio-system/seldon-gateway',
        'seldon.io/istio-host': 'iris.example.com',
        'seldon.io/istio-retries': '3',
        'seldon.io/istio-retries-timeout': '2',
      },
      predictors: [{
        name: 'default',
        replicas: 2,
        graph: { name: 'classifier', type: 'MODEL', implementation: 'SKLEARN_SERVER', modelUri: 'gs://seldon-models/sklearn/iris' },
      }],
    });
  });

  test('without Istio props it writes no annotation (the operator defaults apply)', () => {
    const manifest = render({ name: 'iris', predictors: [iris] });
    expect(manifest.spec.annotations).toBeUndefined();
    expect(manifest.metadata.annotations).toBeUndefined();
  });

  test('a Gateway construct is referenced as namespace/name', () => {
    const { app, chart } = testChart({ namespace: 'seldon' });
    const gw = new Gateway(chart, 'Gateway', { namespace: 'istio-system', name: 'models' });
    new SeldonDeployment(chart, 'Model', { name: 'iris', gateway: gw, predictors: [iris] });
    const sdep = only(synth(app), 'SeldonDeployment');
    expect(sdep.spec.annotations['seldon.io/istio-gateway']).toBe('istio-system/models');
  });

  test('a shadow beside a lone predictor with partial traffic is accepted, as by the webhook', () => {
    const manifest = render({ name: 'iris', predictors: [{ ...iris, name: 'main', traffic: 90 }, { ...iris, name: 'shadow', shadow: true, traffic: 10 }] });
    expect(manifest.spec.predictors.map((p: any) => p.traffic)).toEqual([90, 10]);
  });

  test('protocol, transport, replicas, parameters, endpoint types, child nodes, component specs, labels', () => {
    const manifest = render({
      name: 'graph',
      protocol: SeldonProtocol.V2,
      transport: SeldonTransport.GRPC,
      replicas: 2,
      labels: { team: 'ml' },
      annotations: { owner: 'ml-platform' },
      specAnnotations: { 'seldon.io/engine-log-level': 'debug' },
      predictors: [{
        name: 'main',
        labels: { 'sidecar.istio.io/inject': 'true' },
        annotations: { 'predictor-note': 'x' },
        traffic: 100,
        graph: {
          name: 'transformer',
          type: SeldonUnitType.TRANSFORMER,
          endpointType: SeldonEndpointType.GRPC,
          parameters: [{ name: 'scale', value: '2', type: SeldonParameterType.INT }, { name: 'mode', value: 'fast' }],
          children: [{ name: 'model', implementation: ModelServer.TRITON_SERVER, modelUri: 's3://models/triton', envSecretRefName: 's3-creds' }],
        },
        componentSpecs: [{
          replicas: 3,
          terminationGracePeriodSeconds: 1,
          containers: [{
            name: 'transformer',
            image: 'example/transformer:1.0',
            imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
            env: { LOG_LEVEL: 'info' },
            resources: { cpu: { request: kplus.Cpu.millis(100) }, memory: { limit: Size.gibibytes(1) } },
            securityContext: { readOnlyRootFilesystem: false, user: 1000, capabilities: { drop: [kplus.Capability.CHOWN] } },
          }],
          serviceAccountName: 'models',
          nodeSelector: { pool: 'cpu' },
        }],
      }],
    });
    expect(manifest.metadata).toEqual({ name: 'graph', namespace: 'seldon', labels: { team: 'ml' }, annotations: { owner: 'ml-platform' } });
    expect(manifest.spec.protocol).toBe('v2');
    expect(manifest.spec.transport).toBe('grpc');
    expect(manifest.spec.replicas).toBe(2);
    expect(manifest.spec.annotations).toEqual({ 'seldon.io/engine-log-level': 'debug' });
    const [p] = manifest.spec.predictors;
    expect(p.labels).toEqual({ 'sidecar.istio.io/inject': 'true' });
    expect(p.annotations).toEqual({ 'predictor-note': 'x' });
    expect(p.traffic).toBe(100);
    expect(p.graph).toEqual({
      name: 'transformer',
      type: 'TRANSFORMER',
      endpoint: { type: 'GRPC' },
      parameters: [{ name: 'scale', value: '2', type: 'INT' }, { name: 'mode', value: 'fast', type: 'STRING' }],
      children: [{ name: 'model', type: 'MODEL', implementation: 'TRITON_SERVER', modelUri: 's3://models/triton', envSecretRefName: 's3-creds' }],
    });
    expect(p.componentSpecs).toEqual([{
      replicas: 3,
      spec: {
        serviceAccountName: 'models',
        nodeSelector: { pool: 'cpu' },
        terminationGracePeriodSeconds: 1,
        containers: [{
          name: 'transformer',
          image: 'example/transformer:1.0',
          imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
          env: [{ name: 'LOG_LEVEL', value: 'info' }],
          resources: { requests: { cpu: '100m' }, limits: { memory: '1024Mi' } },
          securityContext: { readOnlyRootFilesystem: false, runAsUser: 1000, capabilities: { drop: ['CAP_CHOWN'] } },
        }],
      },
    }]);
  });

  test('serviceName is written as the predictor annotation seldon.io/svc-name (mesh mode as in the seed)', () => {
    const manifest = render({
      name: 'canary-example-1',
      gateway: Gateway.mesh(),
      hosts: ['canary-example-1'],
      predictors: [
        { ...iris, name: 'main', traffic: 75, serviceName: 'canary-example-1' },
        { ...iris, name: 'canary', traffic: 25 },
      ],
    }, 'my-ns');
    expect(manifest.spec.annotations).toEqual({ 'seldon.io/istio-gateway': 'mesh', 'seldon.io/istio-host': 'canary-example-1' });
    expect(manifest.spec.predictors.map((p: any) => [p.name, p.traffic, p.annotations])).toEqual([
      ['main', 75, { 'seldon.io/svc-name': 'canary-example-1' }],
      ['canary', 25, undefined],
    ]);
  });

  test('predictors added after construction land in the manifest', () => {
    const { app, chart } = testChart({ namespace: 'seldon' });
    const sdep = new SeldonDeployment(chart, 'Model', { name: 'iris', predictors: [{ ...iris, name: 'main', traffic: 100 }] });
    sdep.addPredictor({ ...iris, name: 'shadow', shadow: true, traffic: 10 });
    const manifest = only(synth(app), 'SeldonDeployment');
    expect(manifest.spec.predictors.map((p: any) => [p.name, p.traffic, p.shadow])).toEqual([['main', 100, undefined], ['shadow', 10, true]]);
  });

  test('exposes the names the operator will give its objects', () => {
    const { chart } = testChart({ namespace: 'seldon' });
    const sdep = new SeldonDeployment(chart, 'Model', {
      name: 'iris',
      predictors: [{ ...iris, name: 'main' }, { ...iris, name: 'canary', serviceName: 'iris-canary-svc' }],
    });
    expect(sdep.virtualServiceName).toBe('iris');
    expect(sdep.predictorNames).toEqual(['main', 'canary']);
    expect(sdep.predictorServiceName('main')).toBe('iris-main');
    expect(sdep.predictorServiceName('canary')).toBe('iris-canary-svc');
    expect(sdep.predictorServiceHost('main')).toBe('iris-main.seldon.svc.cluster.local');
    expect(errorOf(() => sdep.predictorServiceName('nope'))).toMatch(/\[test\/Model\] has no predictor 'nope': its predictors are \["main","canary"\]/);
  });

  test('long predictor Service names are shortened the way the operator does', () => {
    const { chart } = testChart({ namespace: 'seldon' });
    const sdep = new SeldonDeployment(chart, 'Model', { name: 'a'.repeat(40), predictors: [{ ...iris, name: 'b'.repeat(30) }] });
    expect(sdep.predictorServiceName('b'.repeat(30))).toMatch(/^seldon-[0-9a-f]{32}$/);
  });

  test('the host needs a namespace', () => {
    const { chart } = testChart({});
    const sdep = new SeldonDeployment(chart, 'Model', { name: 'iris', predictors: [iris] });
    expect(errorOf(() => sdep.predictorServiceHost('default'))).toMatch(/needs a namespace: set 'namespace'/);
  });

  test('a generated name is a valid DNS label', () => {
    const { app, chart } = testChart({ namespace: 'seldon' });
    const sdep = new SeldonDeployment(chart, 'Model', { predictors: [iris] });
    expect(sdep.name).toMatch(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    expect(only(synth(app), 'SeldonDeployment').metadata.name).toBe(sdep.name);
  });

  describe('bad input is an error at synth naming the construct, the value and the fix', () => {
    const cases: Array<[string, SeldonDeploymentProps, RegExp]> = [
      ['invalid name', { name: 'Iris_Model', predictors: [iris] }, /\[test\/Model\] \[K8S001\] SeldonDeployment name 'Iris_Model' is not a valid DNS-1123 label/],
      ['invalid namespace', { name: 'iris', namespace: 'Seldon NS', predictors: [iris] }, /namespace 'Seldon NS' is not a valid DNS-1123 label/],
      ['empty predictors', { name: 'iris' }, /has no predictors: add one/],
      ['duplicate predictor names', { name: 'iris', predictors: [{ ...iris, traffic: 50 }, { ...iris, traffic: 50 }] }, /Duplicate predictor name 'default'/],
      ['invalid predictor name', { name: 'iris', predictors: [{ ...iris, name: 'Main' }] }, /predictor name 'Main' is not a valid DNS-1123 label/],
      ['malformed gateway reference', { name: 'iris', gateway: Gateway.fromName('istio-system//seldon-gateway'), predictors: [iris] }, /gateway 'istio-system\/\/seldon-gateway' is not a valid gateway reference: use '<namespace>\/<name>'/],
      ['gateway reference with uppercase', { name: 'iris', gateway: Gateway.fromName('Istio/gw'), predictors: [iris] }, /gateway 'Istio\/gw' is not a valid gateway reference/],
      ['negative retries', { name: 'iris', retries: -1, predictors: [iris] }, /retries -1 must be an integer >= 0/],
      ['non-integer retries', { name: 'iris', retries: 1.5, predictors: [iris] }, /retries 1.5 must be an integer >= 0/],
      ['sub-second retry timeout', { name: 'iris', retries: 2, retriesTimeout: Duration.millis(500), predictors: [iris] }, /retriesTimeout 500ms must be a whole number of seconds >= 1/],
      ['retry timeout without retries', { name: 'iris', retriesTimeout: Duration.seconds(2), predictors: [iris] }, /retriesTimeout is set but retries is 'unset'/],
      ['mesh with the * host', { name: 'iris', gateway: Gateway.mesh(), predictors: [iris] }, /include '\*', which Istio refuses for a VirtualService bound to the 'mesh' gateway/],
      ['invalid host', { name: 'iris', hosts: ['iris model'], predictors: [iris] }, /host 'iris model' is not a valid host/],
      ['traffic not summing to 100', { name: 'iris', predictors: [{ ...iris, name: 'a', traffic: 60 }, { ...iris, name: 'b', traffic: 30 }] }, /Traffic must sum to 100 for multiple predictors: a=60 \+ b=30 = 90/],
      ['lone predictor with partial traffic', { name: 'iris', predictors: [{ ...iris, traffic: 50 }] }, /Traffic must sum be 100 for a single predictor when set: predictor 'default' has traffic 50/],
      ['traffic out of range', { name: 'iris', predictors: [{ ...iris, name: 'a', traffic: 150 }, { ...iris, name: 'b', traffic: -50 }] }, /traffic 150 must be an integer from 0 to 100/],
      ['two shadows', { name: 'iris', predictors: [{ ...iris, name: 'a' }, { ...iris, name: 'b', shadow: true }, { ...iris, name: 'c', shadow: true }] }, /Multiple shadows are not allowed/],
      ['shadow alone', { name: 'iris', predictors: [{ ...iris, shadow: true }] }, /Shadow can not exist as only predictor/],
      ['missing modelUri', { name: 'iris', predictors: [{ name: 'default', graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER } }] }, /uses SKLEARN_SERVER, which needs modelUri/],
      ['node without implementation or container', { name: 'iris', predictors: [{ name: 'default', graph: { name: 'classifier' } }] }, /has no implementation and no container named 'classifier'/],
      ['tensorflow protocol on sklearn', { name: 'iris', protocol: SeldonProtocol.TENSORFLOW, predictors: [iris] }, /uses SKLEARN_SERVER, which Seldon refuses with the 'tensorflow' protocol/],
      ['duplicate svc-name', { name: 'iris', predictors: [{ ...iris, name: 'a', traffic: 50, serviceName: 'svc' }, { ...iris, name: 'b', traffic: 50, serviceName: 'svc' }] }, /Service name 'svc' is also the Service of predictor 'a'/],
      ['invalid svc-name', { name: 'iris', predictors: [{ ...iris, serviceName: '1svc' }] }, /serviceName '1svc' is not a valid Service name/],
      ['negative replicas', { name: 'iris', predictors: [{ ...iris, replicas: -1 }] }, /replicas -1 must be an integer >= 0/],
      ['typed prop and free annotation disagree', { name: 'iris', retries: 2, specAnnotations: { 'seldon.io/istio-retries': '5' }, predictors: [iris] }, /specAnnotations sets seldon.io\/istio-retries='5' which the typed prop already sets to '2'/],
      ['metadata and spec annotations disagree', { name: 'iris', annotations: { 'seldon.io/istio-host': 'a' }, specAnnotations: { 'seldon.io/istio-host': 'b' }, predictors: [iris] }, /seldon.io\/istio-host is 'a' in annotations but 'b' in specAnnotations/],
      ['svc-name twice', { name: 'iris', predictors: [{ ...iris, serviceName: 'x', annotations: { 'seldon.io/svc-name': 'y' } }] }, /use serviceName only/],
    ];
    test.each(cases)('%s', (_, props, expected) => {
      const { app, chart } = testChart({ namespace: 'seldon' });
      new SeldonDeployment(chart, 'Model', props);
      expect(errorOf(() => app.synthYaml())).toMatch(expected);
    });

    test('every problem of the app is reported at once', () => {
      const { app, chart } = testChart({ namespace: 'seldon' });
      new SeldonDeployment(chart, 'A', { name: 'Bad_Name', predictors: [iris] });
      new SeldonDeployment(chart, 'B', { name: 'b', retries: -2, predictors: [iris] });
      const message = errorOf(() => app.synthYaml());
      expect(message).toMatch(/\[test\/A\] \[K8S001\] SeldonDeployment name 'Bad_Name'/);
      expect(message).toMatch(/\[test\/B\] \[SDO001\] retries -2/);
    });
  });
});
