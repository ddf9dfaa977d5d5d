import { CanaryStep } from './canary-step';

/** Options of `CanaryTraffic.steps` and `CanaryTraffic.plan`. */
export interface CanaryStepsOptions {
  /**
   * Index in the steps of the step in force; each GitOps commit of the rollout moves it by one.
   * @default 0
   */
  readonly current?: number;
}

/**
 * The candidate's share of a `Canary`: one fixed weight, or a rollout plan with the step in force.
 *
 * @example
 * CanaryTraffic.weight(5)                                  // 5 % to the candidate
 * CanaryTraffic.steps([5, 25, 50, 100], { current: 1 })    // the plan, at 25 %
 * CanaryTraffic.plan([CanaryStep.mirror(100), CanaryStep.weight(10), CanaryStep.weight(100)])  // mirror first, then shift
 */
export class CanaryTraffic {
  /** The candidate takes `percent` (an integer 0-100) of the traffic; stable takes the rest. */
  public static weight(percent: number): CanaryTraffic {
    return new CanaryTraffic(undefined, undefined, percent);
  }

  /**
   * A rollout plan of weights: the candidate's weight at each step, increasing (e.g.
   * `[5, 25, 50, 100]`), and the step in force.
   */
  public static steps(steps: number[], options: CanaryStepsOptions = {}): CanaryTraffic {
    return CanaryTraffic.plan(steps.map(s => CanaryStep.weight(s)), options);
  }

  /**
   * A rollout plan whose first steps may mirror requests to the candidate before any traffic
   * shifts to it, and the step in force.
   */
  public static plan(steps: CanaryStep[], options: CanaryStepsOptions = {}): CanaryTraffic {
    return new CanaryTraffic([...steps], options.current ?? 0, undefined);
  }

  /**
   * The first commit of a promotion: the candidate answers everything while the stable variant,
   * already given the candidate's version, starts its pods at full size; the next commit sends the
   * traffic back to stable and drops the candidate. Promoting in one commit would send every
   * request to stable while its pods are still being replaced (the old version answering again, at
   * the floor's size).
   */
  public static promoting(): CanaryTraffic {
    return new CanaryTraffic(undefined, undefined, 100, true);
  }

  private constructor(
    /** The plan's steps, for `CanaryTraffic.steps` and `CanaryTraffic.plan`. */
    public readonly planSteps: CanaryStep[] | undefined,
    /** The index of the step in force, for `CanaryTraffic.steps` and `CanaryTraffic.plan`. */
    public readonly currentStep: number | undefined,
    private readonly fixedWeight: number | undefined,
    /** True for `CanaryTraffic.promoting()`. */
    public readonly isPromoting: boolean = false,
  ) {}

  /** The step in force of a plan (undefined for a fixed weight, or a step that is not in the plan). */
  public get current(): CanaryStep | undefined {
    return this.planSteps?.[this.currentStep!];
  }

  /** The candidate's share of the answers in force, as written (checked by the `Canary` that uses it); 0 at a mirror step. */
  public get candidateWeight(): number {
    if (this.planSteps === undefined) return this.fixedWeight!;
    const step = this.current;
    return step === undefined || step.mirrored ? 0 : step.percent;
  }

  /** The percentage of the requests mirrored to the candidate in force: a mirror step's, else 0. */
  public get mirrorPercentage(): number {
    const step = this.current;
    return step?.mirrored ? step.percent : 0;
  }

  /**
   * What is wrong with the values, for the `Canary` to report under its path.
   * @internal
   */
  public _problems(): string[] {
    const problems: string[] = [];
    const share = (value: number, min: number) => Number.isInteger(value) && value >= min && value <= 100;
    if (this.planSteps === undefined) {
      if (!share(this.fixedWeight!, 0)) {
        problems.push(`CanaryTraffic.weight(${JSON.stringify(this.fixedWeight)}) must be an integer from 0 to 100: the candidate's share in percent (stable takes the rest)`);
      }
      return problems;
    }
    const steps = this.planSteps;
    const shown = `[${steps.join(', ')}]`;
    const current = this.currentStep!;
    if (steps.length === 0) problems.push('the rollout plan is empty: list the candidate weights of the rollout, e.g. [5, 25, 50, 100]');
    steps.forEach((s, i) => {
      if (s.mirrored && !share(s.percent, 1)) problems.push(`step ${i} (mirror ${JSON.stringify(s.percent)}) must mirror an integer from 1 to 100 percent of the requests`);
      if (!s.mirrored && !share(s.percent, 0)) problems.push(`steps[${i}] ${JSON.stringify(s.percent)} must be an integer from 0 to 100`);
      const before = steps[i - 1];
      if (!before) return;
      if (s.mirrored && !before.mirrored) {
        // Mirroring a candidate that already answers would send it some requests twice.
        problems.push(`steps ${shown}: step ${i} (${s}) mirrors after traffic has shifted: mirror steps come first`);
      } else if (s.mirrored === before.mirrored && s.percent <= before.percent) {
        problems.push(`steps ${shown} must increase: step ${i} (${s}) is not above step ${i - 1} (${before})`);
      }
    });
    if (steps.length > 0 && (!Number.isInteger(current) || current < 0 || current >= steps.length)) {
      problems.push(`current step ${JSON.stringify(current)} is not a step of ${shown}: use 0 to ${steps.length - 1}`);
    }
    return problems;
  }
}
