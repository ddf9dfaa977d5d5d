import { ApiObject, Lazy } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { appConstructsWhere } from '../core/app-generation';
import { IstioApiVersion } from '../core/istio-api-version';
import { metadataOf } from '../core/metadata';
import { isDns1123Label, MAX_LABEL_LENGTH } from '../core/names';
import { Problems, registerValidation, show, validatedApiObject } from '../core/validation';
import {
  ServiceEntrySpec, ServiceEntrySpecLocation, ServiceEntrySpecResolution, SidecarSpecOutboundTrafficPolicyMode,
  toJson_ServiceEntrySpec, toJson_SidecarSpec,
} from '../imports/networking.istio.io';
import { EGR_HOSTS, EGR_SCHEME } from '../rules/catalogue';

/** Options of `StorageHost.amazonS3`. */
export interface AmazonS3Options {
  /**
   * Bucket, for its virtual-hosted endpoints (`<bucket>.s3.amazonaws.com`), which AWS SDKs call by default.
   * @default the path-style endpoints only
   */
  readonly bucket?: string;

  /**
   * Regions whose endpoints are opened too (`s3.<region>.amazonaws.com`).
   * @default the global endpoint only
   */
  readonly regions?: string[];
}

/** Options of `StorageHost.custom`. */
export interface CustomStorageHostOptions {
  /**
   * Port, spoken with TLS.
   * @default 443
   */
  readonly port?: number;
}

/** External hosts that model servers download models from. */
export class StorageHost {
  /**
   * Google Cloud Storage: `storage.googleapis.com` (downloads), `www.googleapis.com` (the JSON API
   * TensorFlow's GCS file system lists and reads with) and `oauth2.googleapis.com` (tokens for
   * private buckets).
   */
  public static googleCloudStorage(): StorageHost {
    return new StorageHost(['oauth2.googleapis.com', 'storage.googleapis.com', 'www.googleapis.com'], 443);
  }

  /** Amazon S3: the global endpoint, and regional and bucket endpoints when given. */
  public static amazonS3(options: AmazonS3Options = {}): StorageHost {
    const endpoints = ['s3.amazonaws.com', ...(options.regions ?? []).map(r => `s3.${r}.amazonaws.com`)];
    const hosts = options.bucket ? [...endpoints, ...endpoints.map(e => `${options.bucket}.${e}`)] : endpoints;
    return new StorageHost(hosts, 443);
  }

  /** Another host (e.g. a MinIO or an artefact server), reached with TLS. */
  public static custom(host: string, options: CustomStorageHostOptions = {}): StorageHost {
    return new StorageHost([host], options.port ?? 443);
  }

  private constructor(
    /** The host names. */
    public readonly hosts: string[],
    /** The TLS port. */
    public readonly port: number,
  ) {}
}

/** Props of a `ModelStorageEgress`. */
export interface ModelStorageEgressProps {
  /**
   * Open the storage of every model URI of the app (`modelUri` of Seldon graphs, `modelBasePath`
   * of TF Serving versions): `gs://` opens Google Cloud Storage, `s3://<bucket>` Amazon S3,
   * `https://<host>` that host; `pvc://` and local paths need nothing. Read at synth time.
   * @default true
   */
  readonly fromModelUris?: boolean;

  /**
   * Regions of the S3 buckets found in model URIs, whose regional endpoints are opened too.
   * @default the global endpoint only
   */
  readonly s3Regions?: string[];

  /**
   * Further hosts to open.
   * @default none
   */
  readonly hosts?: StorageHost[];

  /**
   * Also refuse every other external host to the namespace's pods: a `Sidecar` named
   * `default` with `outboundTrafficPolicy.mode: REGISTRY_ONLY` (only known services and these
   * ServiceEntries are reachable).
   * @default false: Istio's default, any external host is reachable
   */
  readonly registryOnly?: boolean;

  /**
   * Name of the ServiceEntry (other ports add `-<port>`).
   * @default 'model-storage'
   */
  readonly name?: string;

  /**
   * Namespace of the objects.
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the objects.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/** A model URI somewhere in the app, with the construct that holds it. @internal */
export interface ModelUri {
  readonly uri: string;
  readonly where: string;
}

/** A construct whose models are downloaded from URIs (found by duck typing). @internal */
export interface IModelUriSource {
  _modelUris(): ModelUri[];
}

const GCS = StorageHost.googleCloudStorage();
const FQDN_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * Egress to model storage from inside the mesh: `ServiceEntry` objects (MESH_EXTERNAL, DNS
 * resolution, TLS) for the storage hosts the app's models are downloaded from, derived from
 * their URIs at synth time, plus any host given; optionally `REGISTRY_ONLY` for everything else.
 * Kubeflow's "Istio by default denies egress traffic" is no longer Istio's default, but
 * `REGISTRY_ONLY` meshes still need it.
 *
 * @see https://istio.io/latest/docs/tasks/traffic-management/egress/egress-control/
 */
export class ModelStorageEgress extends Construct {
  /** The ServiceEntry of the TLS hosts on port 443. */
  public readonly serviceEntry: ApiObject;
  /** ServiceEntries of custom hosts on other ports, one per port. */
  public readonly otherPortServiceEntries: ApiObject[] = [];
  /** The namespace's `Sidecar`, with `registryOnly`. */
  public readonly sidecar?: ApiObject;

  private readonly props: ModelStorageEgressProps;

  constructor(scope: Construct, id: string, props: ModelStorageEgressProps = {}) {
    super(scope, id);
    this.props = props;
    const name = props.name ?? 'model-storage';
    const assertValid = registerValidation(this, () => this.problems());
    const metadata = (suffix: string) => metadataOf({ name: `${name}${suffix}`, namespace: props.namespace, labels: props.labels });
    this.serviceEntry = validatedApiObject(this, 'ServiceEntry', {
      apiVersion: IstioApiVersion.of(this).networking,
      kind: 'ServiceEntry',
      metadata: metadata(''),
    }, assertValid, () => toJson_ServiceEntrySpec(serviceEntrySpec(this.hostsOnPort(443), 443)));
    const otherPorts = [...new Set((props.hosts ?? []).map(h => h.port).filter(p => p !== 443))].sort((a, b) => a - b);
    for (const port of otherPorts) {
      this.otherPortServiceEntries.push(new ApiObject(this, `ServiceEntry${port}`, {
        apiVersion: IstioApiVersion.of(this).networking,
        kind: 'ServiceEntry',
        metadata: metadata(`-${port}`),
        spec: Lazy.any({ produce: () => toJson_ServiceEntrySpec(serviceEntrySpec(this.hostsOnPort(port), port)) }),
      }));
    }
    if (props.registryOnly) {
      this.sidecar = new ApiObject(this, 'Sidecar', {
        apiVersion: IstioApiVersion.of(this).networking,
        kind: 'Sidecar',
        // Istio allows one Sidecar without workloadSelector per namespace; `default` by convention.
        metadata: metadataOf({ name: 'default', namespace: props.namespace, labels: props.labels }),
        spec: toJson_SidecarSpec({ outboundTrafficPolicy: { mode: SidecarSpecOutboundTrafficPolicyMode.REGISTRY_UNDERSCORE_ONLY } }),
      });
    }
  }

  /** The hosts opened on port 443, sorted (read at synth time). */
  public get hosts(): string[] {
    return this.hostsOnPort(443);
  }

  private hostsOnPort(port: number): string[] {
    const explicit = (this.props.hosts ?? []).filter(h => h.port === port).flatMap(h => h.hosts);
    const derived = port === 443 ? this.derived().hosts : [];
    return [...new Set([...explicit, ...derived])].sort();
  }

  /** Hosts derived from the app's model URIs, and the URIs whose scheme is not known. */
  private derived(): { hosts: string[]; unknown: ModelUri[] } {
    if (this.props.fromModelUris === false) return { hosts: [], unknown: [] };
    const hosts: string[] = [];
    const unknown: ModelUri[] = [];
    for (const model of modelUris(this)) {
      const match = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/]*)/.exec(model.uri);
      const scheme = match?.[1].toLowerCase();
      const authority = match?.[2] ?? '';
      if (scheme === undefined) {
        // A local path (baked into the image or mounted): nothing to open.
        if (!model.uri.startsWith('/')) unknown.push(model);
      } else if (scheme === 'gs') {
        hosts.push(...GCS.hosts);
      } else if (scheme === 's3') {
        hosts.push(...StorageHost.amazonS3({ bucket: authority || undefined, regions: this.props.s3Regions }).hosts);
      } else if (scheme === 'https') {
        hosts.push(authority.replace(/:443$/, ''));
      } else if (scheme !== 'pvc') {
        unknown.push(model);
      }
    }
    return { hosts, unknown };
  }

  private problems(): string[] {
    const problems = new Problems();
    const { unknown } = this.derived();
    // EGR001
    for (const model of unknown) {
      problems.add(EGR_SCHEME.tag(`model URI ${show(model.uri)} of ${model.where} has a storage scheme this egress cannot open: use gs://, s3://, https:// or pvc://, or set fromModelUris: false and list its hosts with StorageHost.custom(...)`));
    }
    // EGR002: DNS resolution without endpoints needs fully qualified names (Istio's ServiceEntry validation).
    for (const host of [...this.hostsOnPort(443), ...(this.props.hosts ?? []).filter(h => h.port !== 443).flatMap(h => h.hosts)]) {
      const labels = host.split('.');
      problems.check(EGR_HOSTS, host.length <= 253 && labels.length >= 2 && labels.every(l => l.length <= MAX_LABEL_LENGTH && FQDN_LABEL.test(l)),
        () => `host ${show(host)} is not a fully qualified domain name, which a ServiceEntry with DNS resolution needs: use e.g. 'minio.example.com' (no wildcard, scheme or port)`);
    }
    for (const region of this.props.s3Regions ?? []) {
      problems.check(EGR_HOSTS, isDns1123Label(region), () => `s3Regions: ${show(region)} is not an AWS region name: use e.g. 'eu-west-1'`);
    }
    for (const h of this.props.hosts ?? []) {
      problems.check(EGR_HOSTS, Number.isInteger(h.port) && h.port >= 1 && h.port <= 65535, () => `host ${show(h.hosts[0])}: port ${show(h.port)} is not a port: use an integer from 1 to 65535`);
    }
    // EGR003, as Istio: "service entry must have at least one host".
    problems.check(EGR_HOSTS, this.hostsOnPort(443).length > 0,
      'opens no host: no model URI of the app needs egress (gs://, s3://, https://) and no host is given: add hosts, or remove the ModelStorageEgress');
    return problems.all;
  }
}

function serviceEntrySpec(hosts: string[], port: number): ServiceEntrySpec {
  return {
    hosts,
    location: ServiceEntrySpecLocation.MESH_UNDERSCORE_EXTERNAL,
    resolution: ServiceEntrySpecResolution.DNS,
    ports: [{ number: port, name: port === 443 ? 'tls' : `tls-${port}`, protocol: 'TLS' }],
  };
}

/** Every model URI of the app `scope` belongs to, in tree order. */
function modelUris(scope: IConstruct): ModelUri[] {
  return appConstructsWhere(scope, 'IModelUriSource', (c): c is IConstruct & IModelUriSource => typeof (c as any)._modelUris === 'function')
    .flatMap(c => c._modelUris());
}
