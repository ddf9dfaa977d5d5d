import { Construct } from 'constructs';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';

/** Props of a `Shadow`. */
export interface ShadowProps extends ModelEndpointProps {
  /** The version that answers every request. */
  readonly primary: ModelVariant;

  /** The version that receives a copy of the requests; its responses are dropped. */
  readonly shadow: ModelVariant;

  /**
   * Percentage of the requests mirrored to the shadow, 0-100.
   * @default 100
   */
  readonly mirrorPercentage?: number;

  /**
   * Name of the primary variant.
   * @default 'main'
   */
  readonly primaryName?: string;

  /**
   * Name of the shadow variant.
   * @default 'shadow'
   */
  readonly shadowName?: string;
}

/**
 * A shadow deployment: the primary version answers, a candidate gets a mirror of the
 * traffic (Seldon mode: a predictor with `shadow: true`; Istio mode: a route mirror).
 */
export class Shadow extends ModelEndpoint {
  /** Percentage of the requests mirrored to the shadow. */
  public readonly mirrorPercentage: number;

  constructor(scope: Construct, id: string, props: ShadowProps) {
    super(scope, id, props);
    this.mirrorPercentage = props.mirrorPercentage ?? 100;
    this._render({
      ...props,
      namespace: this.namespace,
      variants: [{ name: props.primaryName ?? 'main', variant: props.primary, weight: 100 }],
      mirrors: [{ name: props.shadowName ?? 'shadow', variant: props.shadow, percentage: this.mirrorPercentage }],
      routes: [],
    });
  }
}
