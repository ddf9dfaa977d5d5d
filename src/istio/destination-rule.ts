import { ApiObject, Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { durationToIstio } from './route-types';
import { DeferredSpec, instanceofByPrototype, istioObjectProps } from '../core/library-object';
import { mutualTlsRequiredFor } from '../core/mutual-tls';
import { Problems, registerValidation, show } from '../core/validation';
import { DestinationRuleSpec, DestinationRuleSpecTrafficPolicyTlsMode, toJson_DestinationRuleSpec } from '../imports/networking.istio.io';
import { registerResource, resourceChanged } from '../rules/analyzers';
import { ISV_DUPLICATE_SUBSETS, ISV_DURATION, ISV_HOST, ISV_REQUIRED, ISV_SUBSET_NAME, POL_SHAPE, SEC_TLS_CONFLICT } from '../rules/catalogue';

/** A named subset of a host's endpoints, selected by pod labels (typically `version`). */
export interface Subset {
  /** Subset name, a DNS-1123 label, referenced by routes. */
  readonly name: string;
  /** Pod labels that select the subset's endpoints, e.g. `{ version: 'v2' }`. */
  readonly labels: { [key: string]: string };
}

/** TLS mode of the traffic to a host. */
export enum ClientTlsMode {
  /** Plain text. */
  DISABLE = 'DISABLE',
  /** Mutual TLS with Istio's workload certificates: the mode that goes with a STRICT PeerAuthentication. */
  ISTIO_MUTUAL = 'ISTIO_MUTUAL',
}

/** Props of a `DestinationRule`. */
export interface DestinationRuleProps {
  /** Host the rule applies to, e.g. `iris-main.models.svc.cluster.local`. */
  readonly host: string;

  /**
   * Name of the DestinationRule.
   * @default a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the DestinationRule.
   * @default the chart's namespace
   */
  readonly namespace?: string;

  /**
   * Labels of the DestinationRule object.
   * @default none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Subsets. More can be added with `addSubset`.
   * @default none
   */
  readonly subsets?: Subset[];

  /**
   * Idle timeout of upstream HTTP connections (`trafficPolicy.connectionPool.http.idleTimeout`).
   * @default unset (Envoy's default, 1h)
   */
  readonly idleTimeout?: Duration;

  /**
   * TLS mode of the traffic to the host (`trafficPolicy.tls.mode`).
   * @default `ISTIO_MUTUAL` when a STRICT `PeerAuthentication` of the app covers the host's
   * pods, else unset (Istio's auto mTLS decides)
   */
  readonly tlsMode?: ClientTlsMode;
}

/**
 * An Istio `DestinationRule`: the subsets of a host and the policy of the traffic to it.
 *
 * @see https://istio.io/latest/docs/reference/config/networking/destination-rule/
 */
export class DestinationRule extends ApiObject {
  /** Host the rule applies to. */
  public readonly host: string;

  /**
   * Labels every pod behind the host carries, when the library knows them (the renderers set
   * it): a workload-wide STRICT PeerAuthentication then reaches this rule too.
   * @internal
   */
  public _workloadLabels?: Record<string, string>;

  private readonly subsets: Subset[];
  private readonly trafficPolicy: DestinationRuleProps;

  constructor(scope: Construct, id: string, props: DestinationRuleProps) {
    const spec = new DeferredSpec();
    super(scope, id, istioObjectProps(scope, 'networking', 'DestinationRule', props, spec));
    this.trafficPolicy = props;
    this.host = props.host;
    this.subsets = [...(props.subsets ?? [])];
    const assertValid = registerValidation(this, () => this.problems());
    registerResource(this, () => ({
      kind: 'DestinationRule', namespace: this.metadata.namespace ?? 'default', name: this.name, host: this.host, subsets: this.subsetNames,
    }));
    spec.bind(assertValid, () => toJson_DestinationRuleSpec(this.toSpec()));
  }

  /** Adds a subset. */
  public addSubset(subset: Subset): void {
    this.subsets.push(subset);
    resourceChanged(this);
  }

  /** Names of the subsets, in order. */
  public get subsetNames(): string[] {
    return this.subsets.map(s => s.name);
  }

  private problems(): string[] {
    const problems = new Problems();
    problems.add(ISV_HOST.check('host', this.host, false));
    problems.check(ISV_REQUIRED, this.host !== '*', "host '*' is not allowed in a DestinationRule: name the Service host");
    const seen = new Set<string>();
    for (const subset of this.subsets) {
      problems.add(ISV_SUBSET_NAME.check('subset name', subset.name));
      problems.check(ISV_DUPLICATE_SUBSETS, !seen.has(subset.name), `subset ${show(subset.name)} is defined twice: give each subset its own name`);
      seen.add(subset.name);
      problems.check(POL_SHAPE, Object.keys(subset.labels).length > 0, `subset ${show(subset.name)} has no labels: select its pods, e.g. { version: '${subset.name}' }`);
    }
    if (this.trafficPolicy.idleTimeout) problems.add(ISV_DURATION.check('idleTimeout', this.trafficPolicy.idleTimeout));
    problems.addAll(this.mutualTlsProblems());
    return problems.all;
  }

  /** The STRICT PeerAuthentications of the app that cover this host's pods. */
  private strictMtls() {
    return mutualTlsRequiredFor(this, this.host, this.namespace, this._workloadLabels);
  }

  private get namespace(): string | undefined {
    return this.trafficPolicy.namespace ?? Chart.of(this).namespace;
  }

  /**
   * Under STRICT mutual TLS the client side must send ISTIO_MUTUAL: a rule that asks for
   * another mode would make callers speak plain text to pods that refuse it. (A second rule
   * for the same host is XRS003, checked for every host.)
   */
  private mutualTlsProblems(): string[] {
    const strict = this.strictMtls();
    if (strict.length === 0) return [];
    const problems = new Problems();
    const { tlsMode } = this.trafficPolicy;
    problems.check(SEC_TLS_CONFLICT, tlsMode === undefined || tlsMode === ClientTlsMode.ISTIO_MUTUAL,
      () => `tlsMode ${show(tlsMode)} conflicts with the STRICT mutual TLS that PeerAuthentication '${strict[0].node.path}' requires of host ${show(this.host)}: `
        + 'remove tlsMode (ISTIO_MUTUAL is then set for you) or set ClientTlsMode.ISTIO_MUTUAL');
    return problems.all;
  }

  private toSpec(): DestinationRuleSpec {
    const { idleTimeout } = this.trafficPolicy;
    // Under STRICT mutual TLS the mode is merged into this rule's own policy, not a second rule.
    const tlsMode = this.trafficPolicy.tlsMode ?? (this.strictMtls().length > 0 ? ClientTlsMode.ISTIO_MUTUAL : undefined);
    const trafficPolicy = idleTimeout || tlsMode
      ? {
        connectionPool: idleTimeout ? { http: { idleTimeout: durationToIstio(idleTimeout) } } : undefined,
        tls: tlsMode ? { mode: tlsMode as string as DestinationRuleSpecTrafficPolicyTlsMode } : undefined,
      }
      : undefined;
    return {
      host: this.host,
      subsets: this.subsets.length > 0 ? this.subsets.map(s => ({ name: s.name, labels: { ...s.labels } })) : undefined,
      trafficPolicy,
    };
  }
}
instanceofByPrototype(DestinationRule);
