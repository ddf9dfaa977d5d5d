/** Options of `CanaryTraffic.steps`. */
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
 */
export class CanaryTraffic {
  /** The candidate takes `percent` (an integer 0-100) of the traffic; stable takes the rest. */
  public static weight(percent: number): CanaryTraffic {
    return new CanaryTraffic(undefined, undefined, percent);
  }

  /**
   * A rollout plan: the candidate's weight at each step, increasing (e.g. `[5, 25, 50, 100]`),
   * and the step in force.
   */
  public static steps(steps: number[], options: CanaryStepsOptions = {}): CanaryTraffic {
    return new CanaryTraffic([...steps], options.current ?? 0, undefined);
  }

  private constructor(
    /** The plan's steps, for `CanaryTraffic.steps`. */
    public readonly stepWeights: number[] | undefined,
    /** The index of the step in force, for `CanaryTraffic.steps`. */
    public readonly currentStep: number | undefined,
    private readonly fixedWeight: number | undefined,
  ) {}

  /** The candidate's weight in force, as written (checked by the `Canary` that uses it). */
  public get candidateWeight(): number {
    if (this.stepWeights === undefined) return this.fixedWeight!;
    const step = this.stepWeights[this.currentStep!];
    return step === undefined ? 0 : step;
  }

  /**
   * What is wrong with the values, for the `Canary` to report under its path.
   * @internal
   */
  public _problems(): string[] {
    const problems: string[] = [];
    const share = (value: number) => Number.isInteger(value) && value >= 0 && value <= 100;
    if (this.stepWeights === undefined) {
      if (!share(this.fixedWeight!)) {
        problems.push(`CanaryTraffic.weight(${JSON.stringify(this.fixedWeight)}) must be an integer from 0 to 100: the candidate's share in percent (stable takes the rest)`);
      }
      return problems;
    }
    const steps = this.stepWeights;
    const current = this.currentStep!;
    if (steps.length === 0) problems.push('CanaryTraffic.steps([]) is empty: list the candidate weights of the rollout, e.g. [5, 25, 50, 100]');
    steps.forEach((s, i) => {
      if (!share(s)) problems.push(`steps[${i}] ${JSON.stringify(s)} must be an integer from 0 to 100`);
      if (i > 0 && s <= steps[i - 1]) problems.push(`steps ${JSON.stringify(steps)} must increase: step ${i} (${s}) is not above step ${i - 1} (${steps[i - 1]})`);
    });
    if (steps.length > 0 && (!Number.isInteger(current) || current < 0 || current >= steps.length)) {
      problems.push(`current step ${JSON.stringify(current)} is not a step of ${JSON.stringify(steps)}: use 0 to ${steps.length - 1}`);
    }
    return problems;
  }
}
