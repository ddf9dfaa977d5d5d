import { Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { bumpGeneration } from '../core/app-generation';
import { ModelWorkload } from '../core/model-workloads';
import { Problems, registerValidation, show } from '../core/validation';
import { IstioSidecar } from '../istio/sidecar';
import { K8S_NAME, K8S_REPLICAS, K8S_SERVICE_NAME, TFS_MODEL_PATH, TFS_NAMES, TFS_VERSIONS } from '../rules/catalogue';

/** One version of the model: its own Deployment `<server>-<version>`. */
export interface TfServingVersion {
  /** Version name, a DNS-1123 label (`v1`, `v2`): the pods' `version` label and the Deployment's suffix. */
  readonly name: string;

  /**
   * Where the model is: a directory whose numbered subdirectories hold SavedModels
   * (`gs://bucket/models/inception`).
   */
  readonly modelBasePath: string;

  /**
   * Replicas of the version's pods.
   * @default 1
   */
  readonly replicas?: number;
}

/** Props of a `TfServingServer`. */
export interface TfServingServerProps {
  /**
   * Name of the server: its Service, the pods' `app` label, and the prefix of its Deployments.
   * A DNS-1035 label (it names a Service).
   */
  readonly name: string;

  /**
   * Namespace of the server's objects.
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Name the model is served under (`/v1/models/<modelName>`).
   * @default the server's name
   */
  readonly modelName?: string;

  /**
   * Versions of the model. More can be added with `addVersion`.
   * @default none
   */
  readonly versions?: TfServingVersion[];

  /**
   * Image of the model server.
   * @default `tensorflow/serving:2.18.0`
   */
  readonly image?: string;

  /**
   * Resources of the model server container.
   * @default requests 500m CPU and 1 GiB memory, limits 2 CPUs and 2 GiB memory
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Environment variables of the model server (e.g. storage credentials settings).
   * @default none
   */
  readonly env?: { [name: string]: string };

  /**
   * How the pods get their Istio sidecar.
   * @default IstioSidecar.inject()
   */
  readonly sidecar?: IstioSidecar;

  /**
   * Labels of every object of the server.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/** The pinned default image. */
const DEFAULT_IMAGE = 'tensorflow/serving:2.18.0';
/** Where the monitoring config file is mounted. */
const MONITORING_DIR = '/etc/tfserving';
const MONITORING_FILE = 'monitoring_config.txt';

/**
 * TensorFlow Serving for one model, the Kubeflow way: one Service `<name>` (gRPC 8500,
 * REST 8501) in front of one Deployment per model version (`<name>-v1`, `<name>-v2`) whose
 * pods are labelled `app: <name>` and `version: <version>`, so that Istio routes can split
 * the traffic between versions (`ModelVariant.tfServing(server, 'v2')` in a `Canary`).
 *
 * Every version exports Prometheus metrics at `/monitoring/prometheus/metrics` on port 8501
 * (a monitoring config file from a ConfigMap, and the `prometheus.io` scrape annotations),
 * reports ready once `/v1/models/<model>` answers, and gets an Istio sidecar.
 *
 * The containers keep cdk8s-plus' hardened security context (non-root, read-only root
 * file system, no privilege escalation).
 *
 * @see https://www.tensorflow.org/tfx/serving/docker
 */
export class TfServingServer extends Construct {
  /** Port of the gRPC API. */
  public static readonly GRPC_PORT = 8500;
  /** Port of the REST API (and of the metrics). */
  public static readonly REST_PORT = 8501;
  /** Path of the Prometheus metrics on the REST port. */
  public static readonly METRICS_PATH = '/monitoring/prometheus/metrics';

  /** The Service in front of every version. */
  public readonly service: kplus.Service;
  /** The ConfigMap that holds TF Serving's monitoring config. */
  public readonly monitoringConfig: kplus.ConfigMap;
  /** Name of the server (its Service and `app` label). */
  public readonly name: string;
  /** Namespace of the server's objects. */
  public readonly namespace: string;
  /** Name the model is served under. */
  public readonly modelName: string;
  /** Image of the model server. */
  public readonly image: string;

  private readonly props: TfServingServerProps;
  private readonly versions: TfServingVersion[] = [];
  private readonly deploymentList: kplus.Deployment[] = [];
  private readonly extraPodAnnotations: Record<string, string> = {};
  private readonly monitoringVolume: kplus.Volume;
  private readonly tmpVolume: kplus.Volume;

  constructor(scope: Construct, id: string, props: TfServingServerProps) {
    super(scope, id);
    this.props = props;
    this.name = props.name;
    this.namespace = props.namespace ?? Chart.of(this).namespace ?? 'default';
    this.modelName = props.modelName ?? props.name;
    this.image = props.image ?? DEFAULT_IMAGE;
    registerValidation(this, () => this.problems());

    this.monitoringConfig = new kplus.ConfigMap(this, 'Monitoring', {
      metadata: { name: `${this.name}-monitoring`, namespace: props.namespace, labels: this.objectLabels() },
      data: { [MONITORING_FILE]: `prometheus_config {\n  enable: true,\n  path: "${TfServingServer.METRICS_PATH}"\n}\n` },
    });
    this.monitoringVolume = kplus.Volume.fromConfigMap(this, 'MonitoringVolume', this.monitoringConfig, { name: 'monitoring-config' });
    this.tmpVolume = kplus.Volume.fromEmptyDir(this, 'TmpVolume', 'tmp');

    this.service = new kplus.Service(this, 'Service', {
      metadata: { name: this.name, namespace: props.namespace, labels: this.objectLabels() },
      // Istio picks the protocol from the port name: gRPC on 8500, HTTP on 8501.
      ports: [
        { name: 'grpc', port: TfServingServer.GRPC_PORT },
        { name: 'http', port: TfServingServer.REST_PORT },
      ],
    });
    this.service.selectLabel('app', this.name);

    for (const version of props.versions ?? []) this.addVersion(version);
  }

  /** Adds a version (a Deployment `<name>-<version>`) and returns its Deployment. */
  public addVersion(version: TfServingVersion): kplus.Deployment {
    bumpGeneration(this);
    // Indexed ids: a repeated version name is reported at synth with its fix, not as a construct id clash.
    const deployment = new kplus.Deployment(this, `Version${this.versions.length}`, {
      metadata: { name: `${this.name}-${version.name}`, namespace: this.props.namespace, labels: { ...this.objectLabels(), ...this.versionLabels(version.name) } },
      replicas: version.replicas ?? 1,
      select: false,
      securityContext: this.sidecar.rootProxy
        // Istio <= 1.6 only: the injected proxy inherits the pod's user and must be root.
        // The model server container keeps its own non-root user below.
        ? { ensureNonRoot: false, user: 0 }
        : undefined,
    });
    this.versions.push(version);
    this.deploymentList.push(deployment);
    const labels = this.versionLabels(version.name);
    deployment.select(kplus.LabelSelector.of({ labels }));
    for (const [k, v] of Object.entries({ ...labels, ...this.sidecar.podLabels })) deployment.podMetadata.addLabel(k, v);
    const annotations = {
      ...this.sidecar.podAnnotations,
      'prometheus.io/scrape': 'true',
      'prometheus.io/port': String(TfServingServer.REST_PORT),
      'prometheus.io/path': TfServingServer.METRICS_PATH,
      ...this.extraPodAnnotations,
    };
    for (const [k, v] of Object.entries(annotations)) deployment.podMetadata.addAnnotation(k, v);

    const container = deployment.addContainer({
      name: 'tensorflow-serving',
      image: this.image,
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      // The image's entrypoint appends its own --model_name/--model_base_path from env vars;
      // calling the server directly keeps exactly these flags.
      command: ['tensorflow_model_server'],
      args: [
        `--port=${TfServingServer.GRPC_PORT}`,
        `--rest_api_port=${TfServingServer.REST_PORT}`,
        `--model_name=${this.modelName}`,
        `--model_base_path=${version.modelBasePath}`,
        `--monitoring_config_file=${MONITORING_DIR}/${MONITORING_FILE}`,
      ],
      ports: [
        { name: 'grpc', number: TfServingServer.GRPC_PORT },
        { name: 'http', number: TfServingServer.REST_PORT },
      ],
      envVariables: Object.fromEntries(Object.entries(this.props.env ?? {}).sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
      readiness: kplus.Probe.fromHttpGet(`/v1/models/${this.modelName}`, { port: TfServingServer.REST_PORT }),
      resources: this.props.resources ?? {
        cpu: { request: kplus.Cpu.millis(500), limit: kplus.Cpu.units(2) },
        memory: { request: Size.gibibytes(1), limit: Size.gibibytes(2) },
      },
      // cdk8s-plus' defaults (non-root, read-only root file system, no privilege escalation)
      // are kept. The image declares no user and would start as root, which the non-root
      // check refuses: run it as an unprivileged uid/gid instead.
      securityContext: { user: 1000, group: 1000 },
    });
    container.mount(MONITORING_DIR, this.monitoringVolume, { readOnly: true });
    // The root file system stays read-only; temporary files (file system caches) go here.
    container.mount('/tmp', this.tmpVolume);
    return deployment;
  }

  /** Names of the versions, in order. */
  public get versionNames(): string[] {
    return this.versions.map(v => v.name);
  }

  /** The Deployments, one per version, in order. */
  public get deployments(): kplus.Deployment[] {
    return [...this.deploymentList];
  }

  /** The Deployment of a version. */
  public deploymentOf(versionName: string): kplus.Deployment {
    const i = this.versionNames.indexOf(versionName);
    if (i < 0) throw new Error(`[${this.node.path}] has no version ${show(versionName)}: its versions are ${show(this.versionNames)}`);
    return this.deploymentList[i];
  }

  /** Labels every pod of the server carries (the Service's selector). */
  public get podSelector(): { [key: string]: string } {
    return { app: this.name };
  }

  /** Labels of the pods of one version. */
  public versionLabels(versionName: string): { [key: string]: string } {
    return { app: this.name, version: versionName };
  }

  /**
   * Adds an annotation to the pods of every version (present and future).
   * @internal
   */
  public _addPodAnnotation(key: string, value: string): void {
    bumpGeneration(this);
    this.extraPodAnnotations[key] = value;
    for (const d of this.deploymentList) d.podMetadata.addAnnotation(key, value);
  }

  /** @internal */
  public _modelUris(): Array<{ uri: string; where: string }> {
    return this.versions.map(v => ({ uri: v.modelBasePath, where: `TfServingServer '${this.node.path}' version '${v.name}'` }));
  }

  /** @internal */
  public _modelWorkloads(): ModelWorkload[] {
    return [{
      description: `TfServingServer '${this.name}'`,
      namespace: this.namespace,
      podLabels: this.podSelector,
      scrape: { paths: [TfServingServer.METRICS_PATH], ports: [TfServingServer.REST_PORT] },
      podAnnotations: () => ({ ...this.extraPodAnnotations }),
    }];
  }

  private get sidecar(): IstioSidecar {
    return this.props.sidecar ?? IstioSidecar.inject();
  }

  private objectLabels(): Record<string, string> {
    return { ...(this.props.labels ?? {}), app: this.props.name };
  }

  private problems(): string[] {
    const problems = new Problems();
    problems.add(K8S_SERVICE_NAME.check('server name', this.name));
    // TFS006: the model name is a path segment of the REST API.
    problems.check(TFS_NAMES, /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(this.modelName),
      () => `modelName ${show(this.modelName)} is not usable in TF Serving's URL /v1/models/<name>: use letters, digits, '_', '.' and '-'`);
    // TFS005
    problems.check(TFS_VERSIONS, this.versions.length > 0, 'has no version: add one with the versions prop or addVersion(), e.g. { name: \'v1\', modelBasePath: \'gs://bucket/model\' }');
    const seen = new Set<string>();
    for (const version of this.versions) {
      // TFS002
      const vp = K8S_NAME.check('version name', version.name);
      if (vp) {problems.add(vp);} else if (`${this.name}-${version.name}`.length > 63) {
        problems.add(TFS_NAMES.tag(`Deployment name '${this.name}-${version.name}' is longer than 63 characters: shorten the server or version name`));
      }
      // TFS001
      problems.check(TFS_VERSIONS, !seen.has(version.name),
        () => `version ${show(version.name)} is defined twice (two Deployments '${this.name}-${version.name}'): give each version its own name, e.g. 'v${this.versions.length + 1}'`);
      seen.add(version.name);
      if (version.replicas !== undefined) {
        problems.add(K8S_REPLICAS.check(`version ${show(version.name)}: replicas`, version.replicas));
      }
      problems.addAll(modelBasePathProblems(`version ${show(version.name)}`, version.modelBasePath, this.props.image === undefined));
    }
    return problems.all;
  }
}

/**
 * TFS003: the storage TF Serving can read. The stock images since 2.7 have no `s3://` file
 * system (tensorflow/serving#1963: "File system scheme 's3' not implemented").
 */
function modelBasePathProblems(where: string, path: string, stockImage: boolean): string[] {
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(path)?.[1]?.toLowerCase();
  if (scheme === undefined) {
    return path.startsWith('/') ? [] : [TFS_MODEL_PATH.tag(`${where}: modelBasePath ${show(path)} is neither a URI nor an absolute path: use e.g. 'gs://bucket/models/inception'`)];
  }
  if (scheme === 'gs') return [];
  if (scheme === 's3') {
    return stockImage
      ? [TFS_MODEL_PATH.tag(`${where}: modelBasePath ${show(path)}: the pinned ${DEFAULT_IMAGE} image cannot read s3:// (TF Serving dropped it in 2.7, tensorflow/serving#1963): copy the model to gs:// or set image to a build with S3 support`)]
      : [];
  }
  return [TFS_MODEL_PATH.tag(`${where}: modelBasePath ${show(path)} has scheme '${scheme}://', which TF Serving cannot read: use gs://, s3:// (with an image that supports it) or an absolute path`)];
}
