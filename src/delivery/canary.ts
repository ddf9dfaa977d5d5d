import { Construct } from 'constructs';
import { CanaryTraffic } from './canary-traffic';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';
import { WeightedVariant } from './traffic-model';
import { POL_PATTERN } from '../rules/catalogue';

/** Props of a `Canary`. */
export interface CanaryProps extends ModelEndpointProps {
  /** The version that serves today. */
  readonly stable: ModelVariant;

  /**
   * The version being rolled out. Without it the endpoint serves `stable` alone
   * (the state after a promotion).
   * @default none
   */
  readonly candidate?: ModelVariant;

  /**
   * The candidate's share: `CanaryTraffic.weight(5)`, or a rollout plan
   * `CanaryTraffic.steps([5, 25, 50, 100], { current: 1 })` whose step each GitOps commit advances.
   * @default CanaryTraffic.weight(0)
   */
  readonly traffic?: CanaryTraffic;

  /**
   * Name of the stable variant (its predictor name, and its subset).
   * @default 'stable'
   */
  readonly stableName?: string;

  /**
   * Name of the candidate variant.
   * @default 'canary'
   */
  readonly candidateName?: string;
}

/**
 * A canary rollout: a stable version and a candidate that takes a growing share of the
 * traffic, step by step. Promote by making the candidate the new `stable` and dropping
 * `candidate`: the stable variant's name, and so every object name, stays the same.
 *
 * @example
 * new Canary(chart, 'Iris', {
 *   name: 'iris', stable: ModelVariant.seldon({ graph: v1 }), candidate: ModelVariant.seldon({ graph: v2 }),
 *   traffic: CanaryTraffic.steps([5, 25, 50, 100], { current: 1 }),
 * });
 */
export class Canary extends ModelEndpoint {
  /** The candidate's weight in force (0 without a candidate). */
  public readonly candidateWeight: number;
  /** The candidate's share as given. */
  public readonly traffic: CanaryTraffic;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id, props);
    this.traffic = props.traffic ?? CanaryTraffic.weight(0);
    const problems = this.traffic._problems();
    // A share that is not 0-100 is reported as written, and the plan gets 0, so that no derived
    // weight (stable = 100 - 150) is reported too.
    const weight = problems.length === 0 ? this.traffic.candidateWeight : 0;
    if (!props.candidate && (weight !== 0 || this.traffic.stepWeights)) {
      problems.push(`the candidate takes ${weight}% but no candidate is given: set candidate, or drop traffic`);
    }
    this.candidateWeight = props.candidate ? weight : 0;
    if (problems.length > 0) {
      const tagged = problems.map(p => POL_PATTERN.tag(p));
      this.node.addValidation({ validate: () => tagged });
    }

    const stable: WeightedVariant = { name: props.stableName ?? 'stable', model: props.stable, weight: 100 - this.candidateWeight };
    this.renderPlan({
      variants: props.candidate
        ? [stable, { name: props.candidateName ?? 'canary', model: props.candidate, weight: this.candidateWeight }]
        : [stable],
    });
  }
}
