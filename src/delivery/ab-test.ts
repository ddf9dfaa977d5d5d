import { Construct } from 'constructs';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';
import { registerValidation } from '../core/validation';
import { HttpMatch } from '../istio/route-types';
import { POL_PATTERN } from '../rules/catalogue';

/** One arm of an A/B test. */
export interface AbTestVariant {
  /** Name of the arm (a DNS-1123 label), e.g. 'model-a': its predictor or subset name. */
  readonly name: string;

  /** The model version this arm serves. */
  readonly model: ModelVariant;

  /**
   * Share of the unmatched traffic, 0-100; the weights of all arms sum to 100.
   * @default 0
   */
  readonly weight?: number;

  /**
   * Requests that match any of these go to this arm, before the weighted split
   * (header, cookie, caller labels in the mesh, authority). `Routing.istio()` only.
   * @default none
   */
  readonly matches?: HttpMatch[];
}

/** Props of an `AbTest`. */
export interface AbTestProps extends ModelEndpointProps {
  /** The arms, in order: their match routes come first, in this order; the weighted split last. */
  readonly variants: AbTestVariant[];
}

/**
 * An A/B test between two or more versions: by weight, by request attributes (e.g. header
 * `x-group: beta` sees model B), or both; sticky sessions with `Routing.istio({ stickyCookie })`.
 */
export class AbTest extends ModelEndpoint {
  constructor(scope: Construct, id: string, props: AbTestProps) {
    super(scope, id, props);
    if (props.variants.length < 2) {
      registerValidation(this, () => [POL_PATTERN.tag(`an A/B test needs at least two variants, got ${props.variants.length}: add another`)]);
    }
    this.renderPlan({
      variants: props.variants.map(v => ({ name: v.name, model: v.model, weight: v.weight ?? 0 })),
      routes: props.variants
        .filter(v => v.matches && v.matches.length > 0)
        .map(v => ({ name: `match-${v.name}`, matches: v.matches!, target: v.name })),
    });
  }
}
