/** Whose rule a synth-time check mirrors. @internal */
export enum RuleSource {
  /** Seldon Core v1's admission webhook (`seldondeployment_webhook.go`) or the operator's parsing. */
  SELDON = 'Seldon Core v1 webhook / operator',
  /** Istio's config validation (the `istiod` validating webhook, `istioctl validate`). */
  ISTIO_VALIDATION = 'Istio validation',
  /** An `istioctl analyze` analyzer: accepted by the API server, but wrong or ineffective. */
  ISTIO_ANALYZER = 'istioctl analyze',
  /** The Kubernetes API server (object names, label values). */
  KUBERNETES = 'Kubernetes API server',
  /** This library's own policy, stricter than the cluster: no upstream tool refuses it. */
  POLICY = 'policy',
}

/** What the catalogue says of a rule. @internal */
export interface RuleInfo {
  /** Stable id, printed in every error: `SDW001`, `ISV003`, `IST0101`, `POL002`... */
  readonly id: string;
  /** One line: what must hold. */
  readonly description: string;
  readonly source: RuleSource;
  /** The upstream rule mirrored: file/function, message or analyzer code; for policy, why. */
  readonly upstream: string;
  /** Where the check runs: `catalogue` (a function of the rule) or the construct that holds the data. */
  readonly checkedIn: string;
}

/**
 * A synth-time rule. Every problem it finds is reported as `[<id>] <message>`, and cdk8s
 * prefixes the construct path, so an error names the rule, the construct, the value and the fix.
 * `check` is the rule's own check when it is a function of values; rules about one construct's
 * shape are checked where that construct keeps its data, and only tagged here.
 * @internal
 */
export class Rule<A extends unknown[] = never[]> implements RuleInfo {
  public readonly id: string;
  public readonly description: string;
  public readonly source: RuleSource;
  public readonly upstream: string;
  public readonly checkedIn: string;

  constructor(info: Omit<RuleInfo, 'checkedIn'> & { readonly checkedIn?: string }, private readonly checker?: (...args: A) => string | undefined) {
    this.id = info.id;
    this.description = info.description;
    this.source = info.source;
    this.upstream = info.upstream;
    this.checkedIn = info.checkedIn ?? 'catalogue';
    RULES.push(this);
  }

  /** The rule's message for `args`, tagged with its id, or undefined when the rule holds. */
  public check(...args: A): string | undefined {
    const message = this.checker!(...args);
    return message === undefined ? undefined : this.tag(message);
  }

  /** `message` tagged with the rule's id. */
  public tag(message: string): string {
    return `[${this.id}] ${message}`;
  }
}

/** Every rule, in definition order. @internal */
export const RULES: RuleInfo[] = [];
