import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { AuthorizationPolicy } from './authorization-policy';
import { PeerAuthentication } from './peer-authentication';
import { registerValidation } from '../core/validation';
import { K8S_NAME } from '../rules/catalogue';

/** Props of a `MeshNamespace`. */
export interface MeshNamespaceProps {
  /** Name of the namespace. */
  readonly name: string;

  /**
   * Label the namespace `istio-injection=enabled`, so that every pod created in it gets an
   * Istio sidecar.
   * @default true
   */
  readonly sidecarInjection?: boolean;

  /**
   * Require mutual TLS of every pod of the namespace (a STRICT `PeerAuthentication` named
   * `default`). Every DestinationRule this app writes for a host of the namespace then sends `ISTIO_MUTUAL`.
   * @default false
   */
  readonly mutualTls?: boolean;

  /**
   * Refuse every request to the namespace's pods that no ALLOW policy allows (an
   * `AuthorizationPolicy` named `allow-nothing` without rules). Every model server of the app in
   * the namespace then needs an allowance for its callers and for Prometheus (`EndpointSecurity`).
   * @default false
   */
  readonly denyByDefault?: boolean;

  /**
   * Further labels of the namespace.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * A namespace in the Istio mesh: sidecar injection by label (Kubeflow's
 * `kubectl label namespace <ns> istio-injection=enabled`), and optionally mutual TLS and
 * deny-by-default for all of it.
 */
export class MeshNamespace extends Construct {
  /** The label that turns on sidecar injection for a namespace. */
  public static readonly INJECTION_LABEL = 'istio-injection';

  /** The Namespace object. */
  public readonly namespace: kplus.Namespace;
  /** Name of the namespace. */
  public readonly name: string;
  /** The namespace-wide STRICT PeerAuthentication, with `mutualTls`. */
  public readonly peerAuthentication?: PeerAuthentication;
  /** The namespace-wide "allow nothing" AuthorizationPolicy, with `denyByDefault`. */
  public readonly authorizationPolicy?: AuthorizationPolicy;

  constructor(scope: Construct, id: string, props: MeshNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    registerValidation(this, () => {
      const problem = K8S_NAME.check('namespace name', props.name);
      return problem ? [problem] : [];
    });
    const labels: Record<string, string> = { ...(props.labels ?? {}) };
    if (props.sidecarInjection ?? true) labels[MeshNamespace.INJECTION_LABEL] = 'enabled';
    this.namespace = new kplus.Namespace(this, 'Namespace', { metadata: { name: props.name, labels } });
    // A Namespace is cluster-scoped: the chart's namespace must not be written on it.
    if (Chart.of(this).namespace !== undefined) ApiObject.of(this.namespace).addJsonPatch(JsonPatch.remove('/metadata/namespace'));
    if (props.mutualTls) {
      // `default` is the name Istio's documentation gives the namespace-wide policy.
      this.peerAuthentication = new PeerAuthentication(this, 'MutualTls', { name: 'default', namespace: props.name });
    }
    if (props.denyByDefault) {
      this.authorizationPolicy = new AuthorizationPolicy(this, 'DenyByDefault', { name: 'allow-nothing', namespace: props.name });
    }
  }
}
