import * as kplus from 'cdk8s-plus-27';
import { SeldonGraph } from './graph';

/** A container of a predictor's pod (a custom model image, or an override of a prepackaged server's container). */
export interface SeldonContainer {
  /** Container name; a graph node without implementation runs the container of its own name. */
  readonly name: string;

  /**
   * Image. Omit it to override settings of the container of a prepackaged server.
   * @default the image the operator chooses for the graph node's implementation
   */
  readonly image?: string;

  /**
   * Image pull policy.
   * @default Kubernetes' default for the image tag
   */
  readonly imagePullPolicy?: kplus.ImagePullPolicy;

  /**
   * Environment variables.
   * @default none
   */
  readonly env?: { [name: string]: string };

  /**
   * Resource requests and limits, as for a cdk8s-plus container (memory is written in `Mi`).
   * @default none
   */
  readonly resources?: kplus.ContainerResources;

  /**
   * Security context of the container, as for a cdk8s-plus container. Only the fields given are
   * written (cdk8s-plus's own defaults, e.g. a read-only root file system, are not added: a
   * prepackaged server's container keeps the operator's settings for the rest).
   * @default none: the operator's and the cluster's defaults
   */
  readonly securityContext?: kplus.ContainerSecurityContextProps;
}

/** One entry of a predictor's `componentSpecs`: the pod that runs (some of) its graph nodes. */
export interface SeldonComponentSpec {
  /**
   * Containers of the pod.
   * @default none
   */
  readonly containers?: SeldonContainer[];

  /**
   * Seconds the pod is given to shut down.
   * @default Kubernetes' default (30)
   */
  readonly terminationGracePeriodSeconds?: number;

  /**
   * Replicas of this component, overriding the predictor's.
   * @default the predictor's replicas
   */
  readonly replicas?: number;

  /**
   * Service account of the pods (e.g. one bound to a cloud identity that may read the model's bucket).
   * @default the namespace's `default` service account
   */
  readonly serviceAccountName?: string;

  /**
   * Node labels the pods must run on (e.g. `{ 'cloud.google.com/gke-accelerator': 'nvidia-tesla-t4' }`).
   * Other pod spec fields: a JSON patch on the SeldonDeployment's `apiObject`
   * (`sdep.addJsonPatch(JsonPatch.add('/spec/predictors/0/componentSpecs/0/spec/tolerations', [...]))`).
   * @default any node
   */
  readonly nodeSelector?: { [key: string]: string };
}

/**
 * A predictor of a SeldonDeployment: an inference graph with its pods, and its share of
 * the traffic.
 */
export interface SeldonPredictorProps {
  /** Predictor name, a DNS-1123 label; unique in the SeldonDeployment. */
  readonly name: string;

  /** The inference graph. */
  readonly graph: SeldonGraph;

  /**
   * Pods that run the graph's nodes (containers named after the nodes).
   * @default none: prepackaged servers need none
   */
  readonly componentSpecs?: SeldonComponentSpec[];

  /**
   * Replicas of the predictor's pods.
   * @default the SeldonDeployment's replicas, else 1
   */
  readonly replicas?: number;

  /**
   * Percentage of the traffic (0-100). The traffic of all non-shadow predictors must sum to
   * 100 when there are several; a lone predictor takes 100.
   * @default unset: the operator gives a lone predictor 100%
   */
  readonly traffic?: number;

  /**
   * Run this predictor as a shadow: it receives a mirror of the traffic (its `traffic`
   * is the mirror percentage) and its responses are dropped.
   * @default false
   */
  readonly shadow?: boolean;

  /**
   * Name of the Kubernetes Service the operator creates for this predictor
   * (annotation `seldon.io/svc-name`). Needed in mesh mode, where the VirtualService host is
   * this Service.
   * @default `<seldondeployment>-<predictor>`
   */
  readonly serviceName?: string;

  /**
   * Labels of the predictor's pods (e.g. `{ 'sidecar.istio.io/inject': 'true' }`).
   * @default none (the operator adds `version: <predictor>`)
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the predictor.
   * @default none
   */
  readonly annotations?: { [key: string]: string };
}
