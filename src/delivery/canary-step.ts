/**
 * One step of a canary's rollout plan: the candidate either takes a share of the live traffic, or
 * (a "mirror first" step, before any shift) receives a copy of a share of the requests while stable
 * answers every one of them, so its health is measured on real requests before any user sees it.
 *
 * @example
 * CanaryTraffic.plan([CanaryStep.mirror(100), CanaryStep.weight(10), CanaryStep.weight(50), CanaryStep.weight(100)])
 */
export class CanaryStep {
  /** The candidate answers `percent` (an integer 0-100) of the requests; stable answers the rest. */
  public static weight(percent: number): CanaryStep {
    return new CanaryStep(percent, false);
  }

  /**
   * Stable answers every request; `percent` (an integer 1-100) of them are also sent to the
   * candidate, whose answers are dropped. Mirror steps come before the first weight step.
   */
  public static mirror(percent: number): CanaryStep {
    return new CanaryStep(percent, true);
  }

  private constructor(
    /** The candidate's share in percent: of the answers, or of the requests mirrored to it. */
    public readonly percent: number,
    /** True when the candidate only receives a mirror of the requests at this step. */
    public readonly mirrored: boolean,
  ) {}

  /** The step as people read it: `10 %` or `mirror 100 %`. */
  public toString(): string {
    return `${this.mirrored ? 'mirror ' : ''}${this.percent} %`;
  }
}
