/**
 * Each variant of a `Canary` runs replicas in proportion to its share of the requests (Argo
 * Rollouts' `setCanaryScale` with `matchTrafficWeight`), so a candidate at 5 % does not hold as
 * many pods as stable while it waits, and stable gives back its pods as the candidate grows.
 * A candidate at a mirror step handles a copy of its mirrored share, and is sized for it.
 */
export interface ReplicasFollowTraffic {
  /** Replicas of a variant that takes all the traffic: a variant runs this × its share / 100, rounded up. */
  readonly replicas: number;

  /**
   * The fewest replicas a variant runs, whatever its share (at least 1: a variant at 0 % must
   * answer at once when an abort or a promotion sends it traffic, before an autoscaler could react).
   * @default 1
   */
  readonly minReplicas?: number;
}

/** The replicas of a variant with `percent` of the requests, never below the floor. @internal */
export function replicasForShare(scaling: ReplicasFollowTraffic, percent: number): number {
  return Math.max(scaling.minReplicas ?? 1, Math.ceil((scaling.replicas * percent) / 100));
}

/** What is wrong with the scaling, for the `Canary` to report under its path. @internal */
export function replicasFollowTrafficProblems(scaling: ReplicasFollowTraffic): string[] {
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
