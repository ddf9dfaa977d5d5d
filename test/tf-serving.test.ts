import { Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Canary, CanaryTraffic, Gateway, ModelVariant, Routing, TfServingServer, TfServingServerProps } from '../src';
import { errorOf, only, synth, testChart } from './util';

const VERSIONS = [{ name: 'v1', modelBasePath: 'gs://kubeflow-models/inception/a' }, { name: 'v2', modelBasePath: 'gs://kubeflow-models/inception/b' }];

function build(props: Partial<TfServingServerProps> = {}, extra?: (chart: Chart, server: TfServingServer) => void): any[] {
  const { app, chart } = testChart({ namespace: 'kubeflow' });
  const server = new TfServingServer(chart, 'Inception', { name: 'inception', versions: VERSIONS, ...props });
  extra?.(chart, server);
  return synth(app);
}

const DNS1123 = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const IANA_SVC_NAME = /^(?=.*[a-z])[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const quantity = (q: string | number): number => {
  const s = String(q);
  const units: Record<string, number> = { m: 1e-3, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };
  const unit = Object.keys(units).find(u => s.endsWith(u));
  return unit ? Number(s.slice(0, -unit.length)) * units[unit] : Number(s);
};

/**
 * The Kubernetes 1.27 API server's checks that apply to these Deployments (apps/v1
 * ValidateDeployment and core ValidatePodTemplateSpec), as far as our fields go.
 */
function k127Problems(d: any): string[] {
  const problems: string[] = [];
  const check = (ok: boolean, msg: string) => { if (!ok) problems.push(msg); };
  check(d.apiVersion === 'apps/v1' && d.kind === 'Deployment', 'apps/v1 Deployment');
  check(DNS1123.test(d.metadata.name) && d.metadata.name.length <= 253, 'name is a DNS-1123 subdomain');
  const template = d.spec.template;
  const selector = d.spec.selector.matchLabels;
  check(Object.keys(selector).length > 0, 'selector is not empty');
  check(Object.entries(selector).every(([k, v]) => template.metadata.labels[k] === v), '`selector` does not match template `labels`');
  for (const v of Object.values<string>(template.metadata.labels)) check(LABEL_VALUE.test(v) && v.length <= 63, `label value ${v}`);
  check(Object.values(template.metadata.annotations ?? {}).every(v => typeof v === 'string'), 'annotation values are strings');
  const pod = template.spec;
  check(['Always', undefined].includes(pod.restartPolicy), 'a Deployment\'s restartPolicy is Always');
  const volumes = new Set(pod.volumes.map((v: any) => v.name));
  check(volumes.size === pod.volumes.length, 'volume names unique');
  for (const c of pod.containers) {
    check(DNS1123.test(c.name) && c.name.length <= 63, `container name ${c.name}`);
    check(typeof c.image === 'string' && c.image.length > 0, 'image set');
    check(['Always', 'IfNotPresent', 'Never'].includes(c.imagePullPolicy), 'imagePullPolicy');
    const ports = c.ports ?? [];
    check(new Set(ports.map((p: any) => p.name)).size === ports.length, 'port names unique');
    for (const p of ports) {
      check(IANA_SVC_NAME.test(p.name) && p.name.length <= 15, `port name ${p.name} is an IANA_SVC_NAME`);
      check(Number.isInteger(p.containerPort) && p.containerPort > 0 && p.containerPort < 65536, 'containerPort in range');
    }
    const probePort = c.readinessProbe.httpGet.port;
    check(ports.some((p: any) => p.containerPort === probePort || p.name === probePort), 'readiness probe targets a declared port');
    check(c.readinessProbe.httpGet.path.startsWith('/'), 'probe path absolute');
    for (const m of c.volumeMounts) check(volumes.has(m.name), `mount ${m.name} refers to a volume`);
    for (const r of ['cpu', 'memory']) {
      const [request, limit] = [c.resources?.requests?.[r], c.resources?.limits?.[r]];
      if (request !== undefined && limit !== undefined) check(quantity(request) <= quantity(limit), `${r} request <= limit`);
    }
    const sc = { ...pod.securityContext, ...c.securityContext };
    check(!(sc.runAsNonRoot === true && sc.runAsUser === 0), 'runAsNonRoot with runAsUser 0 cannot start');
  }
  return problems;
}

describe('TfServingServer', () => {
  // Synthesized in each test (not while jest collects them) so mutation testing sees which tests cover the code.
  let manifests: any[];
  beforeEach(() => {
    manifests = build();
  });

  test('one Service X with gRPC 8500 and REST 8501, selecting app: X', () => {
    const svc = only(manifests, 'Service');
    expect(svc.metadata).toEqual({ name: 'inception', namespace: 'kubeflow', labels: { app: 'inception' } });
    expect(svc.spec.selector).toEqual({ app: 'inception' });
    expect(svc.spec.ports).toEqual([{ name: 'grpc', port: 8500 }, { name: 'http', port: 8501 }]);
  });

  test('the monitoring ConfigMap enables Prometheus at /monitoring/prometheus/metrics', () => {
    const cm = only(manifests, 'ConfigMap');
    expect(cm.metadata.name).toBe('inception-monitoring');
    expect(cm.data['monitoring_config.txt']).toBe('prometheus_config {\n  enable: true,\n  path: "/monitoring/prometheus/metrics"\n}\n');
  });

  test('one Deployment per version, X-v1 and X-v2, pods labelled app and version', () => {
    const deployments = manifests.filter(m => m.kind === 'Deployment');
    expect(deployments.map(d => d.metadata.name)).toEqual(['inception-v1', 'inception-v2']);
    deployments.forEach((d, i) => {
      const version = `v${i + 1}`;
      expect(d.spec.replicas).toBe(1);
      expect(d.spec.selector.matchLabels).toEqual({ app: 'inception', version });
      expect(d.spec.template.metadata.labels).toMatchObject({ 'app': 'inception', version, 'sidecar.istio.io/inject': 'true' });
      expect(d.spec.template.metadata.annotations).toEqual({
        'sidecar.istio.io/inject': 'true',
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': '8501',
        'prometheus.io/path': '/monitoring/prometheus/metrics',
      });
      const [c] = d.spec.template.spec.containers;
      expect(c.image).toBe('tensorflow/serving:2.18.0');
      expect(c.command).toEqual(['tensorflow_model_server']);
      expect(c.args).toEqual([
        '--port=8500', '--rest_api_port=8501', '--model_name=inception', `--model_base_path=${VERSIONS[i].modelBasePath}`,
        '--monitoring_config_file=/etc/tfserving/monitoring_config.txt',
      ]);
      expect(c.readinessProbe.httpGet).toEqual({ path: '/v1/models/inception', port: 8501, scheme: 'HTTP' });
      expect(c.resources).toEqual({ requests: { cpu: '500m', memory: '1024Mi' }, limits: { cpu: '2', memory: '2048Mi' } });
      // cdk8s-plus' hardened defaults are kept; only a non-root uid is added.
      expect(c.securityContext).toEqual({
        allowPrivilegeEscalation: false, privileged: false, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 1000, runAsGroup: 1000,
      });
      expect(c.volumeMounts).toEqual([{ mountPath: '/etc/tfserving', name: 'monitoring-config', readOnly: true }, { mountPath: '/tmp', name: 'tmp' }]);
      expect(d.spec.template.spec.volumes).toEqual([{ name: 'monitoring-config', configMap: { name: 'inception-monitoring' } }, { name: 'tmp', emptyDir: {} }]);
    });
  });

  test('the Deployments are valid Kubernetes 1.27 objects', () => {
    for (const d of manifests.filter(m => m.kind === 'Deployment')) expect(k127Problems(d)).toEqual([]);
  });

  test('model name, image, resources, env and replicas are props', () => {
    const d = only(build({
      modelName: 'inception_v3',
      image: 'registry.example.com/tf-serving:2.18.0-s3',
      env: { AWS_REGION: 'eu-west-1' },
      resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.millis(500) }, memory: {} },
      versions: [{ name: 'v3', modelBasePath: 's3://models/inception', replicas: 3 }],
    }), 'Deployment');
    const [c] = d.spec.template.spec.containers;
    expect(d.spec.replicas).toBe(3);
    expect(c.image).toBe('registry.example.com/tf-serving:2.18.0-s3');
    expect(c.args).toContain('--model_name=inception_v3');
    expect(c.readinessProbe.httpGet.path).toBe('/v1/models/inception_v3');
    expect(c.env).toEqual([{ name: 'AWS_REGION', value: 'eu-west-1' }]);
    expect(c.resources).toEqual({ requests: { cpu: '250m' }, limits: { cpu: '500m' } });
    expect(k127Problems(d)).toEqual([]);
  });

  test('the Kubeflow rollout A → B at 95/5 is a Canary of two TF Serving versions', () => {
    const out = build({}, (chart, server) => new Canary(chart, 'Rollout', {
      name: 'inception',
      routing: Routing.istio(),
      gateways: [Gateway.mesh()],
      serviceName: 'inception',
      stableName: 'v1',
      candidateName: 'v2',
      stable: ModelVariant.tfServing(server, 'v1'),
      candidate: ModelVariant.tfServing(server, 'v2'),
      traffic: CanaryTraffic.weight(5),
    }));
    expect(only(out, 'DestinationRule').spec).toEqual({
      host: 'inception.kubeflow.svc.cluster.local',
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    // Each port named: gRPC calls (by content type) to 8500, the rest to 8501, both split 95/5.
    const split = (port: number) => [
      { destination: { host: 'inception.kubeflow.svc.cluster.local', subset: 'v1', port: { number: port } }, weight: 95 },
      { destination: { host: 'inception.kubeflow.svc.cluster.local', subset: 'v2', port: { number: port } }, weight: 5 },
    ];
    expect(only(out, 'VirtualService').spec).toEqual({
      gateways: ['mesh'],
      hosts: ['inception'],
      http: [
        { name: 'default-grpc', match: [{ headers: { 'content-type': { prefix: 'application/grpc' } } }], route: split(8500) },
        { name: 'default-rest', route: split(8501) },
      ],
    });
    // Every subset selects the pods of exactly one Deployment.
    const deployments = out.filter(m => m.kind === 'Deployment');
    for (const subset of only(out, 'DestinationRule').spec.subsets) {
      const matching = deployments.filter(d => Object.entries<string>(subset.labels).every(([k, v]) => d.spec.template.metadata.labels[k] === v));
      expect(matching.map(d => d.metadata.name)).toEqual([`inception-${subset.name}`]);
    }
  });

  test('the server exposes what it made', () => {
    const { chart } = testChart({ namespace: 'kubeflow' });
    const server = new TfServingServer(chart, 'S', { name: 'inception', versions: VERSIONS });
    server.addVersion({ name: 'v3', modelBasePath: 'gs://m/c' });
    expect(server.versionNames).toEqual(['v1', 'v2', 'v3']);
    expect(server.deployments.map(d => d.name)).toEqual(['inception-v1', 'inception-v2', 'inception-v3']);
    expect(server.deploymentOf('v2').name).toBe('inception-v2');
    expect(server.service.name).toBe('inception');
    expect(server.versionLabels('v3')).toEqual({ app: 'inception', version: 'v3' });
  });
});

describe('TfServingServer errors', () => {
  test.each<[string, Partial<TfServingServerProps>, RegExp]>([
    ['TFS001 two versions with the same name', { versions: [VERSIONS[0], { ...VERSIONS[1], name: 'v1' }] },
      /\[test\/Inception\] \[TFS001\] version 'v1' is defined twice \(two Deployments 'inception-v1'\): give each version its own name/],
    ['K8S001 a version name that is not a DNS label', { versions: [{ name: 'V_1', modelBasePath: 'gs://m/a' }] }, /\[K8S001\] .*version name 'V_1' is not a valid DNS-1123 label/],
    ['TFS003 s3:// with the stock image', { versions: [{ name: 'v1', modelBasePath: 's3://models/inception' }] },
      /\[TFS003\] .*modelBasePath 's3:\/\/models\/inception': the pinned tensorflow\/serving:2.18.0 image cannot read s3:\/\/ .*tensorflow\/serving#1963/],
    ['TFS003 an unknown scheme', { versions: [{ name: 'v1', modelBasePath: 'hdfs://nn/models' }] },
      /\[TFS003\] .*modelBasePath 'hdfs:\/\/nn\/models' has scheme 'hdfs:\/\/', which TF Serving cannot read: use gs:\/\//],
    ['TFS001 no version', { versions: [] }, /\[TFS001\] .*has no version: add one/],
    ['TFS002 a model name unusable in the URL', { modelName: 'my model' }, /\[TFS002\] .*modelName 'my model' is not usable in TF Serving's URL/],
    ['a server name that is not a Service name', { name: '1nception' }, /server name '1nception' is not a valid Service name/],
  ])('%s', (_, props, expected) => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    new TfServingServer(chart, 'Inception', { name: 'inception', versions: VERSIONS, ...props });
    expect(errorOf(() => app.synthYaml())).toMatch(expected);
  });

  test('TFS004 a variant of a version the server does not run', () => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = new TfServingServer(chart, 'Inception', { name: 'inception', versions: VERSIONS });
    new Canary(chart, 'Rollout', { name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1'), candidate: ModelVariant.tfServing(server, 'v9'), traffic: CanaryTraffic.weight(5) });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/Rollout\] \[TFS004\] variant 'canary' routes to version 'v9' of TfServingServer 'test\/Inception', which has only \["v1","v2"\]/);
  });

  test('TFS004 a variant of a server in another namespace', () => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = new TfServingServer(chart, 'Inception', { name: 'inception', namespace: 'other', versions: VERSIONS });
    new Canary(chart, 'Rollout', { name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1') });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[TFS004\] .*TfServingServer 'test\/Inception' is in namespace 'other', not 'kubeflow'/);
  });

  test('TF Serving variants need the explicit Istio renderer', () => {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = new TfServingServer(chart, 'Inception', { name: 'inception', versions: VERSIONS });
    new Canary(chart, 'Rollout', { name: 'inception', stable: ModelVariant.tfServing(server, 'v1') });
    expect(errorOf(() => app.synthYaml())).toMatch(/Service variants are not Seldon predictors.*Routing\.istio\(\)/);
  });
});
