import { Construct } from 'constructs';
import { CanaryTraffic } from './canary-traffic';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';
import { ReplicasFollowTraffic } from './replicas-follow-traffic';
import { MirroredVariant, WeightedVariant } from './traffic-model';
import { registerValidation } from '../core/validation';
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
   * `CanaryTraffic.steps([5, 25, 50, 100], { current: 1 })` whose step each GitOps commit advances
   * (`CanaryTraffic.plan` for a plan that mirrors requests to the candidate first).
   * @default CanaryTraffic.weight(0)
   */
  readonly traffic?: CanaryTraffic;

  /**
   * Each variant's replicas follow its share of the requests, with a floor; the variants' own
   * `replicas` must then be left unset.
   * @default none: each variant runs its own replicas
   */
  readonly replicasFollowTraffic?: ReplicasFollowTraffic;

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
  /** The candidate's weight in force (0 without a candidate, and at a mirror step). */
  public readonly candidateWeight: number;
  /** The percentage of the requests mirrored to the candidate at a mirror step (0 otherwise). */
  public readonly mirrorPercentage: number;
  /** The candidate's share as given. */
  public readonly traffic: CanaryTraffic;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id, props);
    this.traffic = props.traffic ?? CanaryTraffic.weight(0);
    const problems = this.traffic._problems();
    // A share that is not 0-100 is reported as written, and the plan gets 0, so that no derived
    // weight (stable = 100 - 150) is reported too.
    const weight = problems.length === 0 ? this.traffic.candidateWeight : 0;
    const mirror = problems.length === 0 ? this.traffic.mirrorPercentage : 0;
    if (!props.candidate && (weight !== 0 || this.traffic.planSteps)) {
      problems.push(`the candidate takes ${weight}% but no candidate is given: set candidate, or drop traffic`);
    }
    this.candidateWeight = props.candidate ? weight : 0;
    this.mirrorPercentage = props.candidate ? mirror : 0;
    const scaling = props.replicasFollowTraffic;
    if (scaling) {
      problems.push(...replicasFollowTrafficProblems(scaling));
      for (const [role, model] of [['stable', props.stable], ['candidate', props.candidate]] as const) {
        const own = model?._seldon?.replicas;
        if (own !== undefined) problems.push(`${role} sets replicas ${own} and replicasFollowTraffic sets them too: drop one`);
      }
    }
    if (problems.length > 0) {
      const tagged = problems.map(p => POL_PATTERN.tag(p));
      registerValidation(this, () => tagged);
    }

    // Replicas only when the scaling is valid, so that its errors are not repeated as replica errors.
    const valid = scaling !== undefined && replicasFollowTrafficProblems(scaling).length === 0;
    const replicas = (percent: number) => valid ? replicasForShare(scaling!, percent) : undefined;
    const stableWeight = 100 - this.candidateWeight;
    // While promoting, stable is sized for the traffic the next commit gives it back.
    const stableReplicas = replicas(this.traffic.isPromoting ? 100 : stableWeight);
    const stable: WeightedVariant = { name: props.stableName ?? 'stable', model: props.stable, weight: stableWeight, replicas: stableReplicas };
    const name = props.candidateName ?? 'canary';
    const candidate = props.candidate;
    // At a mirror step the candidate keeps its name (and so its objects): only its role changes.
    const mirrored = candidate !== undefined && this.mirrorPercentage > 0;
    const mirrors: MirroredVariant[] = mirrored
      ? [{ name, model: candidate, percentage: this.mirrorPercentage, replicas: replicas(this.mirrorPercentage) }]
      : [];
    this.renderPlan({
      variants: candidate && !mirrored
        ? [stable, { name, model: candidate, weight: this.candidateWeight, replicas: replicas(this.candidateWeight) }]
        : [stable],
      mirrors,
    });
  }
}

/** The replicas of a variant with `percent` of the requests, never below the floor. */
function replicasForShare(scaling: ReplicasFollowTraffic, percent: number): number {
  return Math.max(scaling.minReplicas ?? 1, Math.ceil((scaling.replicas * percent) / 100));
}

/** What is wrong with the scaling, for the `Canary` to report under its path. */
function replicasFollowTrafficProblems(scaling: ReplicasFollowTraffic): string[] {
  const problems: string[] = [];
  const min = scaling.minReplicas ?? 1;
  if (!Number.isInteger(scaling.replicas) || scaling.replicas < 1) {
    problems.push(`replicasFollowTraffic.replicas ${JSON.stringify(scaling.replicas)} must be an integer >= 1: the replicas of a variant that takes all the traffic`);
  }
  if (!Number.isInteger(min) || min < 1) {
    problems.push(`replicasFollowTraffic.minReplicas ${JSON.stringify(min)} must be an integer >= 1: a variant at 0 % must answer at once when an abort sends it traffic`);
  } else if (min > scaling.replicas) {
    problems.push(`replicasFollowTraffic.minReplicas ${min} is above replicas ${JSON.stringify(scaling.replicas)}: the floor cannot exceed the replicas at 100 %`);
  }
  return problems;
}
