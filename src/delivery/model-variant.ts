import * as kplus from 'cdk8s-plus-27';
import { SeldonGraph } from '../seldon/graph';
import { SeldonComponentSpec } from '../seldon/predictor';
import { TfServingServer } from '../tfserving/tf-serving-server';

/** A version of a model served as a Seldon predictor. */
export interface SeldonVariantProps {
  /** The inference graph of this version. */
  readonly graph: SeldonGraph;

  /**
   * Pods that run the graph's nodes.
   * @default none: prepackaged servers need none
   */
  readonly componentSpecs?: SeldonComponentSpec[];

  /**
   * Replicas of the predictor's pods.
   * @default 1
   */
  readonly replicas?: number;

  /**
   * Labels of the predictor's pods, added to the endpoint's `podLabels`.
   * @default none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the predictor.
   * @default none
   */
  readonly annotations?: { [key: string]: string };
}

/** How a version's pods are picked among the pods behind a Kubernetes Service. */
export interface ServiceSelectionOptions {
  /** Labels that select this version's pods among the Service's, e.g. `{ version: 'v2' }`. */
  readonly labels: { [key: string]: string };

  /**
   * Port of the Service the routes send traffic to.
   * @default the port the client called (each port of the Service is routed)
   */
  readonly port?: number;

  /**
   * Labels that every pod behind the Service carries, whatever its version (typically the
   * Service's selector, e.g. `{ app: 'flowers' }`). `EndpointSecurity` selects the pods by them.
   * @default unknown: `EndpointSecurity` cannot protect this variant
   */
  readonly podSelector?: { [key: string]: string };
}

/**
 * A version of a model served by pods behind a Kubernetes Service that is not part of the app
 * (for a cdk8s-plus `Service` of the app, use `ModelVariant.fromService`).
 */
export interface ServiceVariantProps extends ServiceSelectionOptions {
  /** Name of the Kubernetes Service in the endpoint's namespace. */
  readonly serviceName: string;
}

/** What serves a `ModelVariant`. */
export enum VariantBackend {
  /** A predictor of the endpoint's SeldonDeployment. */
  SELDON_PREDICTOR = 'SELDON_PREDICTOR',
  /** Labelled pods behind a Kubernetes Service. */
  SERVICE = 'SERVICE',
  /** A version of a `TfServingServer` (labelled pods behind its two-port Service). */
  TF_SERVING = 'TF_SERVING',
}

/**
 * A Service backend as the traffic model holds it: names, labels and ports only, no construct.
 * @internal
 */
export interface ServiceBackend extends ServiceVariantProps {
  /** The TF Serving server and version, for `ModelVariant.tfServing`. */
  readonly tfServing?: {
    readonly version: string;
    readonly restPort: number;
    readonly grpcPort: number;
  };
}

/**
 * One version of a model that a delivery pattern routes traffic to: a Seldon predictor
 * (`ModelVariant.seldon`), a version of a `TfServingServer` (`ModelVariant.tfServing`), or the
 * labelled pods of a Kubernetes Service (`ModelVariant.fromService`, `ModelVariant.service`).
 * A variant is plain data: it holds names and labels, never a construct.
 */
export class ModelVariant {
  /** A version served as a Seldon predictor (both routings). */
  public static seldon(props: SeldonVariantProps): ModelVariant {
    return new ModelVariant(VariantBackend.SELDON_PREDICTOR, props, undefined);
  }

  /**
   * A version served by labelled pods behind a cdk8s-plus `Service` of the app (`Routing.istio()` only).
   *
   * @example
   * ModelVariant.fromService(service, { labels: { version: 'v2' }, port: 8080, podSelector: { app: 'flowers' } })
   */
  public static fromService(service: kplus.Service, options: ServiceSelectionOptions): ModelVariant {
    return ModelVariant.service({ ...options, serviceName: service.name });
  }

  /** A version served by labelled pods behind a Kubernetes Service known by name (`Routing.istio()` only). */
  public static service(props: ServiceVariantProps): ModelVariant {
    return new ModelVariant(VariantBackend.SERVICE, undefined, {
      serviceName: props.serviceName,
      labels: { ...props.labels },
      port: props.port,
      podSelector: props.podSelector ? { ...props.podSelector } : undefined,
    });
  }

  /**
   * A version of a `TfServingServer` (`Routing.istio()` only): its Service, the pods
   * labelled `version: <version>`, on the port each client calls (gRPC 8500 and REST 8501 are
   * both split by the routes). At synth, the server must run that version in the endpoint's namespace.
   *
   * @example
   * new Canary(chart, 'Rollout', {
   *   name: 'inception', routing: Routing.istio(), gateways: [Gateway.mesh()], serviceName: 'inception',
   *   stable: ModelVariant.tfServing(server, 'v1'), candidate: ModelVariant.tfServing(server, 'v2'),
   *   traffic: CanaryTraffic.weight(5),
   * });
   */
  public static tfServing(server: TfServingServer, version: string): ModelVariant {
    return new ModelVariant(VariantBackend.TF_SERVING, undefined, {
      serviceName: server.name,
      labels: { version },
      podSelector: server.podSelector,
      tfServing: { version, restPort: TfServingServer.REST_PORT, grpcPort: TfServingServer.GRPC_PORT },
    });
  }

  private constructor(
    /** What serves this version. */
    public readonly backend: VariantBackend,
    /** @internal */
    public readonly _seldon: SeldonVariantProps | undefined,
    /** @internal */
    public readonly _service: ServiceBackend | undefined,
  ) {}

  /** True for a Seldon predictor. */
  public get isSeldon(): boolean {
    return this.backend === VariantBackend.SELDON_PREDICTOR;
  }

  /** Name of the Kubernetes Service in front of this version (undefined for a Seldon predictor, whose Service the operator names). */
  public get serviceName(): string | undefined {
    return this._service?.serviceName;
  }

  /**
   * Labels every pod behind the Service carries (Service and TF Serving variants; undefined when
   * not given, and for a Seldon predictor, whose pods the SeldonDeployment selects).
   */
  public get podSelector(): { [key: string]: string } | undefined {
    return this._service?.podSelector ? { ...this._service.podSelector } : undefined;
  }

  /** Labels that pick this version's pods among the Service's (undefined for a Seldon predictor). */
  public get versionLabels(): { [key: string]: string } | undefined {
    return this._service ? { ...this._service.labels } : undefined;
  }
}
