import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { DeferredSpec, instanceofByPrototype, istioObjectProps } from '../core/library-object';
import { ISTIO_ROOT_NAMESPACE, selects } from '../core/model-workloads';
import { registerMutualTls } from '../core/mutual-tls';
import { registerValidation } from '../core/validation';
import { PeerAuthenticationSpec, PeerAuthenticationSpecMtlsMode, toJson_PeerAuthenticationSpec } from '../imports/security.istio.io';
import { SEC_PROTECTS } from '../rules/catalogue';

/** How the selected pods' sidecars accept connections. */
export enum MutualTlsMode {
  /** Only mutual TLS: plain-text callers (outside the mesh, or without a sidecar) are refused. */
  STRICT = 'STRICT',
  /** Mutual TLS and plain text (Istio's default). */
  PERMISSIVE = 'PERMISSIVE',
  /** Plain text only. */
  DISABLE = 'DISABLE',
}

/** Props of a `PeerAuthentication`. */
export interface PeerAuthenticationProps {
  /**
   * How the pods accept connections.
   * @default MutualTlsMode.STRICT
   */
  readonly mode?: MutualTlsMode;

  /**
   * Labels of the pods it applies to.
   * @default every pod of the namespace (of the mesh, in `istio-system`)
   */
  readonly selector?: { [key: string]: string };

  /**
   * Name of the PeerAuthentication.
   * @default a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the PeerAuthentication.
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the PeerAuthentication object.
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/**
 * An Istio `PeerAuthentication`: whether the selected pods require mutual TLS.
 *
 * A STRICT one also makes every `DestinationRule` of this app for the pods it covers send
 * `ISTIO_MUTUAL` (merged into the rule's own traffic policy, never as a second rule), and
 * fails the synth when such a rule asks for another TLS mode.
 *
 * @see https://istio.io/latest/docs/reference/config/security/peer_authentication/
 */
export class PeerAuthentication extends ApiObject {
  /** Namespace of the PeerAuthentication, when known. */
  public readonly namespace?: string;
  /** The mode. */
  public readonly mode: MutualTlsMode;
  /** Labels of the pods it applies to (undefined: the namespace). */
  public readonly selector?: { [key: string]: string };

  constructor(scope: Construct, id: string, props: PeerAuthenticationProps = {}) {
    const spec = new DeferredSpec();
    super(scope, id, istioObjectProps(scope, 'security', 'PeerAuthentication', props, spec));
    this.namespace = this.metadata.namespace;
    this.mode = props.mode ?? MutualTlsMode.STRICT;
    this.selector = props.selector ? { ...props.selector } : undefined;
    const assertValid = registerValidation(this, () => (this.selector && Object.keys(this.selector).length === 0
      ? [SEC_PROTECTS.tag('selector is empty: leave it unset for the whole namespace, or select the pods by label')] : []));
    spec.bind(assertValid, () => toJson_PeerAuthenticationSpec(this.toSpec()));
    registerMutualTls({ construct: this, enforcesOn: (namespace, podLabels) => this._enforcesOn(namespace, podLabels) });
  }

  /**
   * True when this requires mutual TLS of every pod in `namespace` that carries `podLabels`.
   * @internal
   */
  public _enforcesOn(namespace: string, podLabels: Record<string, string> | undefined): boolean {
    if (this.mode !== MutualTlsMode.STRICT) return false;
    if (this.selector === undefined) return this.namespace === ISTIO_ROOT_NAMESPACE || this.namespace === namespace;
    return this.namespace === namespace && podLabels !== undefined && selects(this.selector, podLabels);
  }

  private toSpec(): PeerAuthenticationSpec {
    return {
      selector: this.selector ? { matchLabels: { ...this.selector } } : undefined,
      mtls: { mode: this.mode as string as PeerAuthenticationSpecMtlsMode },
    };
  }
}
instanceofByPrototype(PeerAuthentication);
