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
