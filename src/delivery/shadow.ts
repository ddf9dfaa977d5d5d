import { Construct } from 'constructs';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';

/** Props of a `Shadow`. */
export interface ShadowProps extends ModelEndpointProps {
  /** The version that answers every request. */
  readonly stable: ModelVariant;

  /** The version that receives a copy of the requests; its responses are dropped. */
  readonly shadow: ModelVariant;

  /**
   * Percentage of the requests mirrored to the shadow, 0-100.
   * @default 100
   */
  readonly mirrorPercentage?: number;

  /**
   * Name of the stable variant.
   * @default 'stable'
   */
  readonly stableName?: string;

  /**
   * Name of the shadow variant.
   * @default 'shadow'
   */
  readonly shadowName?: string;
}

/**
 * A shadow deployment: the stable version answers, a candidate gets a mirror of the traffic
 * (Seldon operator: a predictor with `shadow: true`; Istio routing: a route mirror). The stable
 * variant has the name it has in a `Canary` ('stable'), so moving on from the shadow to a canary
 * keeps its objects.
 */
export class Shadow extends ModelEndpoint {
  /** Percentage of the requests mirrored to the shadow. */
  public readonly mirrorPercentage: number;

  constructor(scope: Construct, id: string, props: ShadowProps) {
    super(scope, id, props);
    this.mirrorPercentage = props.mirrorPercentage ?? 100;
    this.renderPlan({
      variants: [{ name: props.stableName ?? 'stable', model: props.stable, weight: 100 }],
      mirrors: [{ name: props.shadowName ?? 'shadow', model: props.shadow, percentage: this.mirrorPercentage }],
    });
  }
}
