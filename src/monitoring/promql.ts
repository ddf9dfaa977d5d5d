import { Duration } from 'cdk8s';

/** A Prometheus duration (`1m`, `90s`, `2h`): the largest whole unit. @internal */
export function durationToPromQl(duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${Math.round(seconds)}s`;
}

/**
 * The default window of the recorded rates and of the alerts' `for` (Flagger's default interval),
 * which the rollout command's gates read too. @internal
 */
export const DEFAULT_HEALTH_WINDOW = Duration.minutes(1);

/** Where a recorded health series belongs: the labels `RolloutHealth` puts on it. @internal */
export interface HealthSeriesLabels {
  readonly namespace: string;
  readonly endpoint: string;
  readonly variant: string;
}

/**
 * One variant's recorded health series, as `RolloutHealth` names and labels it and the rollout
 * command queries it (one function, so the two cannot drift apart). @internal
 */
export function healthSeriesQuery(series: string, window: string, where: HealthSeriesLabels): string {
  return `${series}${window}{namespace="${where.namespace}",endpoint="${where.endpoint}",variant="${where.variant}"}`;
}
