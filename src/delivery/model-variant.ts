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

/**
 * A version of a model served by pods behind an existing Kubernetes Service (for example a
 * TensorFlow Serving Deployment per model version behind one Service): the Service routes
 * to every version, and a DestinationRule subset selects this version's pods by label.
 */
export interface ServiceVariantProps {
  /** Name of the Kubernetes Service in the endpoint's namespace. */
  readonly serviceName: string;

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
 * One version of a model that a delivery pattern routes traffic to: a Seldon predictor
 * (`ModelVariant.seldon`) or the pods of a Kubernetes Service selected by label
 * (`ModelVariant.service`).
 */
export class ModelVariant {
  /** A version served as a Seldon predictor (both routing modes). */
  public static seldon(props: SeldonVariantProps): ModelVariant {
    return new ModelVariant(props, undefined);
  }

  /** A version served by labelled pods behind a Kubernetes Service (`RoutingMode.ISTIO` only). */
  public static service(props: ServiceVariantProps): ModelVariant {
    return new ModelVariant(undefined, props);
  }

  /**
   * A version of a `TfServingServer` (`RoutingMode.ISTIO` only): its Service, the pods
   * labelled `version: <version>`, on the port each client calls (gRPC 8500 and REST 8501 are
   * both split by the routes).
   *
   * @example
   * new Canary(chart, 'Rollout', {
   *   name: 'inception', mode: RoutingMode.ISTIO, gateways: [Gateway.mesh()], serviceName: 'inception',
   *   stable: ModelVariant.tfServing(server, 'v1'), candidate: ModelVariant.tfServing(server, 'v2'), candidateWeight: 5,
   * });
   */
  public static tfServing(server: TfServingServer, version: string): ModelVariant {
    return new ModelVariant(undefined, {
      serviceName: server.name,
      labels: { version },
      podSelector: server.podSelector,
    }, server, version);
  }

  private constructor(
    /** The predictor settings, for a Seldon variant. */
    public readonly seldonProps?: SeldonVariantProps,
    /** The Service settings, for a Service variant. */
    public readonly serviceProps?: ServiceVariantProps,
    /** The TF Serving server, for a TF Serving variant. */
    public readonly tfServingServer?: TfServingServer,
    /** The version of the TF Serving server, for a TF Serving variant. */
    public readonly tfServingVersion?: string,
  ) {}

  /** True for a Seldon predictor. */
  public get isSeldon(): boolean {
    return this.seldonProps !== undefined;
  }
}
