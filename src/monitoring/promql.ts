import { Duration } from 'cdk8s';

/** A Prometheus duration (`1m`, `90s`, `2h`): the largest whole unit. @internal */
export function durationToPromQl(duration: Duration): string {
  const seconds = duration.toSeconds({ integral: false });
  if (seconds % 3600 === 0) return `${seconds / 3600}h`;
  if (seconds % 60 === 0) return `${seconds / 60}m`;
  return `${Math.round(seconds)}s`;
}
