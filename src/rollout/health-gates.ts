import { healthSeriesQuery, HealthSeriesLabels } from '../monitoring/promql';
import { HealthSeries } from '../monitoring/rollout-health';

/** Thresholds of the gates (RolloutHealth's defaults: Flagger's). @internal */
export interface GateThresholds {
  readonly minSuccessRate: number;
  readonly maxLatencyP99Ms: number;
  readonly window: string;
}

/** One gate's verdict. @internal */
export interface GateResult {
  readonly gate: string;
  readonly value?: number;
  readonly passed: boolean;
  readonly why: string;
}

/**
 * The candidate's health from the recording rules `RolloutHealth` writes, through Prometheus's
 * HTTP API (`/api/v1/query`). A gate without data fails: a candidate that served no requests is
 * not healthy. @internal
 */
export async function checkGates(
  prometheus: string, where: HealthSeriesLabels, thresholds: GateThresholds,
): Promise<GateResult[]> {
  const query = async (series: string): Promise<number | undefined> => {
    const url = `${prometheus.replace(/\/$/, '')}/api/v1/query?query=${encodeURIComponent(healthSeriesQuery(series, thresholds.window, where))}`;
    const response = await fetch(url);
    if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
    const body = await response.json() as any;
    if (body.status !== 'success') throw new Error(`${url}: ${body.error ?? body.status}`);
    const value = body.data?.result?.[0]?.value?.[1];
    const n = value === undefined ? undefined : Number(value);
    return n === undefined || Number.isNaN(n) ? undefined : n;
  };
  const [rate, ratio, p99] = await Promise.all([HealthSeries.REQUEST_RATE, HealthSeries.SUCCESS_RATIO, HealthSeries.LATENCY_P99].map(query));
  const noData = (gate: string) => ({ gate, passed: false, why: `no data for variant ${where.variant}: a candidate that served no requests is not healthy` });
  return [
    rate === undefined ? noData('request rate') : { gate: 'request rate', value: rate, passed: rate > 0, why: `${rate.toFixed(3)} req/s ${rate > 0 ? '> 0' : 'is 0'}` },
    ratio === undefined ? noData('success rate')
      : { gate: 'success rate', value: ratio * 100, passed: ratio * 100 >= thresholds.minSuccessRate, why: `${(ratio * 100).toFixed(2)} % ${ratio * 100 >= thresholds.minSuccessRate ? '>=' : '<'} ${thresholds.minSuccessRate} %` },
    p99 === undefined ? noData('p99 latency')
      : { gate: 'p99 latency', value: p99, passed: p99 <= thresholds.maxLatencyP99Ms, why: `${p99.toFixed(1)} ms ${p99 <= thresholds.maxLatencyP99Ms ? '<=' : '>'} ${thresholds.maxLatencyP99Ms} ms` },
  ];
}
