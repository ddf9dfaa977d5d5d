import { Chart } from 'cdk8s';
import { IstioApiVersion, ModelServer, ModelStorageEgress, ModelStorageEgressProps, SeldonDeployment, StorageHost, TfServingServer } from '../src';
import { errorOf, only, synth, testChart } from './util';

function withModels(chart: Chart, uris: string[]): void {
  new SeldonDeployment(chart, 'Sdep', {
    name: 'models',
    predictors: uris.map((modelUri, i) => ({ name: `p${i}`, traffic: i === 0 ? 100 : 0, graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri } })),
  });
}

function build(uris: string[], props: ModelStorageEgressProps = {}): any[] {
  const { app, chart } = testChart({ namespace: 'models' });
  withModels(chart, uris);
  new ModelStorageEgress(chart, 'Egress', props);
  return synth(app);
}

describe('ModelStorageEgress', () => {
  test('gs:// URIs open Google Cloud Storage: MESH_EXTERNAL, DNS, 443/TLS', () => {
    expect(only(build(['gs://seldon-models/iris/v1']), 'ServiceEntry')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'ServiceEntry',
      metadata: { name: 'model-storage', namespace: 'models' },
      spec: {
        hosts: ['oauth2.googleapis.com', 'storage.googleapis.com', 'www.googleapis.com'],
        location: 'MESH_EXTERNAL',
        resolution: 'DNS',
        ports: [{ number: 443, name: 'tls', protocol: 'TLS' }],
      },
    });
  });

  test('s3:// URIs open the global and regional endpoints, path-style and of the bucket; https:// its host; pvc:// nothing', () => {
    const se = only(build(['s3://iris-models/v1', 'https://models.example.com/iris.tar.gz', 'pvc://models/iris'], { s3Regions: ['eu-west-1'] }), 'ServiceEntry');
    expect(se.spec.hosts).toEqual([
      'iris-models.s3.amazonaws.com', 'iris-models.s3.eu-west-1.amazonaws.com', 'models.example.com', 's3.amazonaws.com', 's3.eu-west-1.amazonaws.com',
    ]);
  });

  test('TF Serving model paths are read too, and explicit hosts are added (other ports in their own ServiceEntry)', () => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    new TfServingServer(chart, 'S', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/inception' }] });
    new ModelStorageEgress(chart, 'Egress', { hosts: [StorageHost.amazonS3({ bucket: 'extra' }), StorageHost.custom('minio.example.com', { port: 9000 })] });
    const entries = synth(app).filter(m => m.kind === 'ServiceEntry');
    expect(entries.map(e => [e.metadata.name, e.spec.hosts, e.spec.ports])).toEqual([
      ['model-storage', ['extra.s3.amazonaws.com', 'oauth2.googleapis.com', 's3.amazonaws.com', 'storage.googleapis.com', 'www.googleapis.com'], [{ number: 443, name: 'tls', protocol: 'TLS' }]],
      ['model-storage-9000', ['minio.example.com'], [{ number: 9000, name: 'tls-9000', protocol: 'TLS' }]],
    ]);
  });

  test('fromModelUris: false keeps only the given hosts; registryOnly adds the namespace Sidecar', () => {
    const manifests = build(['gs://a/b'], { fromModelUris: false, hosts: [StorageHost.custom('artefacts.example.com')], registryOnly: true });
    expect(only(manifests, 'ServiceEntry').spec.hosts).toEqual(['artefacts.example.com']);
    expect(only(manifests, 'Sidecar')).toEqual({
      apiVersion: 'networking.istio.io/v1',
      kind: 'Sidecar',
      metadata: { name: 'default', namespace: 'models' },
      spec: { outboundTrafficPolicy: { mode: 'REGISTRY_ONLY' } },
    });
  });

  test('v1beta1', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    IstioApiVersion.use(chart, IstioApiVersion.V1BETA1);
    withModels(chart, ['gs://a/b']);
    new ModelStorageEgress(chart, 'Egress', { registryOnly: true });
    expect(synth(app).filter(m => m.kind !== 'SeldonDeployment').map(m => m.apiVersion)).toEqual(['networking.istio.io/v1beta1', 'networking.istio.io/v1beta1']);
  });

  test.each<[string, string[], ModelStorageEgressProps, RegExp]>([
    ['EGR001 an unknown storage scheme', ['gcs://typo/model'], {},
      /\[test\/Egress\] \[EGR001\] model URI 'gcs:\/\/typo\/model' of SeldonDeployment 'test\/Sdep' predictor 'p0' node 'classifier' has a storage scheme this egress cannot open: use gs:\/\//],
    ['EGR002 a host that is not an FQDN', ['pvc://a/b'], { hosts: [StorageHost.custom('*.example.com')] }, /\[EGR002\] .*host '\*.example.com' is not a fully qualified domain name/],
    ['EGR002 an S3 region that is not a region', ['s3://b/m'], { s3Regions: ['EU West'] }, /\[EGR002\] .*s3Regions: 'EU West' is not an AWS region name/],
    ['EGR002 nothing to open', ['pvc://a/b'], {}, /\[EGR002\] .*opens no host: no model URI of the app needs egress/],
  ])('%s', (_, uris, props, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    withModels(chart, uris);
    new ModelStorageEgress(chart, 'Egress', props);
    expect(errorOf(() => app.synthYaml())).toMatch(expected);
  });
});
