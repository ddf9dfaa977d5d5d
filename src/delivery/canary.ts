import { Construct } from 'constructs';
import { ModelEndpoint, ModelEndpointProps } from './model-endpoint';
import { ModelVariant } from './model-variant';
import { EndpointModel } from './traffic-model';
import { show } from '../core/validation';
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
   * Percentage of the traffic the candidate takes (0-100), when no `steps` are given.
   * @default 0
   */
  readonly candidateWeight?: number;

  /**
   * The rollout plan: the candidate's weight at each step, increasing (e.g. `[5, 25, 50, 100]`).
   * Each GitOps commit advances `currentStep` by one.
   * @default none: `candidateWeight` applies
   */
  readonly steps?: number[];

  /**
   * Index in `steps` of the step in force.
   * @default 0
   */
  readonly currentStep?: number;

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
 *   steps: [5, 25, 50, 100], currentStep: 1,
 * });
 */
export class Canary extends ModelEndpoint {
  /** The candidate's weight in force (0 without a candidate). */
  public readonly candidateWeight: number;

  constructor(scope: Construct, id: string, props: CanaryProps) {
    super(scope, id, props);
    const stableName = props.stableName ?? 'stable';
    const candidateName = props.candidateName ?? 'canary';
    const problems: string[] = [];
    // A share the user wrote that is not 0-100 is reported as what they wrote (candidateWeight or
    // steps[i]), and the model gets 0, so that no derived weight (stable = 100 - 150) is reported too.
    const share = (value: number) => (Number.isInteger(value) && value >= 0 && value <= 100 ? value : 0);
    if (props.candidateWeight !== undefined && share(props.candidateWeight) !== props.candidateWeight) {
      problems.push(`candidateWeight ${show(props.candidateWeight)} must be an integer from 0 to 100: the candidate's share in percent (stable takes the rest)`);
    }
    let weight = share(props.candidateWeight ?? 0);
    if (props.steps) {
      const steps = props.steps;
      const current = props.currentStep ?? 0;
      if (props.candidateWeight !== undefined) problems.push('set either candidateWeight or steps, not both');
      if (steps.length === 0) problems.push('steps is empty: list the candidate weights of the rollout, e.g. [5, 25, 50, 100]');
      steps.forEach((s, i) => {
        if (!Number.isInteger(s) || s < 0 || s > 100) problems.push(`steps[${i}] ${show(s)} must be an integer from 0 to 100`);
        if (i > 0 && s <= steps[i - 1]) problems.push(`steps ${show(steps)} must increase: step ${i} (${s}) is not above step ${i - 1} (${steps[i - 1]})`);
      });
      if (!Number.isInteger(current) || current < 0 || current >= steps.length) {
        problems.push(`currentStep ${show(current)} is not a step of ${show(steps)}: use 0 to ${steps.length - 1}`);
      } else {
        weight = share(steps[current]);
      }
    } else if (props.currentStep !== undefined) {
      problems.push('currentStep is set without steps: give the steps of the rollout');
    }
    if (!props.candidate && (weight !== 0 || props.steps)) {
      problems.push(`the candidate takes ${weight}% but no candidate is given: set candidate, or drop candidateWeight and steps`);
    }
    this.candidateWeight = props.candidate ? weight : 0;
    const tagged = problems.map(p => POL_PATTERN.tag(p));
    this.node.addValidation({ validate: () => tagged });

    const model: EndpointModel = {
      ...props,
      namespace: this.namespace,
      variants: props.candidate
        ? [
          { name: stableName, variant: props.stable, weight: 100 - this.candidateWeight },
          { name: candidateName, variant: props.candidate, weight: this.candidateWeight },
        ]
        : [{ name: stableName, variant: props.stable, weight: 100 }],
      mirrors: [],
      routes: [],
    };
    this._render(model);
  }
}
