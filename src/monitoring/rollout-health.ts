import { ApiObject, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { DEFAULT_HEALTH_WINDOW, durationToPromQl, healthSeriesQuery } from './promql';
import { metadataOf } from '../core/metadata';
import { SELDON_SCRAPE } from '../core/model-workloads';
import { Problems, registerValidation, show } from '../core/validation';
import { EndpointVariant, ModelEndpoint } from '../delivery/model-endpoint';
import { VariantBackend } from '../delivery/model-variant';
import {
  PodMonitor, PodMonitorSpecPodMetricsEndpoints, PrometheusRule, PrometheusRuleSpecGroupsRules, PrometheusRuleSpecGroupsRulesExpr,
} from '../imports/monitoring.coreos.com';
import { POL_PATTERN } from '../rules/catalogue';
import { TfServingServer } from '../tfserving/tf-serving-server';

/** Pods the endpoint runs, by what selects them, with the model server's metrics endpoints. */
interface PodSet {
  readonly key: string;
  readonly name: string;
  readonly selector: Record<string, string>;
  readonly endpoints: PodMonitorSpecPodMetricsEndpoints[];
}

/** Props of a `RolloutHealth`. */
export interface RolloutHealthProps {
  /** The endpoint whose variants are watched: a `Canary`, `BlueGreen`, `Shadow` or `AbTest`. */
  readonly endpoint: ModelEndpoint;

  /**
   * Lowest healthy request success rate of a candidate, in percent (non-5xx answers / all).
   * @default 99 (Flagger's default)
   */
  readonly minSuccessRate?: number;

  /**
   * Highest healthy 99th-percentile latency of a candidate.
   * @default 500 ms (Flagger's default)
   */
  readonly maxLatencyP99?: Duration;

  /**
   * How far, in percentage points, a candidate's success rate may fall below the stable variant's.
   * @default 1
   */
  readonly maxSuccessRateDrop?: number;

  /**
   * The window of the rates and how long a condition must hold before its alert fires.
   * @default 1 minute (Flagger's default interval)
   */
  readonly interval?: Duration;

  /**
   * Labels of the PodMonitors and the PrometheusRule, for the Prometheus that selects them
   * (e.g. `{ release: 'kube-prometheus-stack' }`).
   * @default none
   */
  readonly labels?: { [key: string]: string };
}

/** Names of the recorded series, one per variant, each labelled `namespace`, `endpoint` and `variant`. */
export class HealthSeries {
  /** Requests per second the variant answered. */
  public static readonly REQUEST_RATE = 'endpoint_variant:istio_requests:rate';
  /** Share (0-1) of the variant's answers that were not 5xx. */
  public static readonly SUCCESS_RATIO = 'endpoint_variant:istio_requests_success:ratio_rate';
  /** Median latency in milliseconds. */
  public static readonly LATENCY_P50 = 'endpoint_variant:istio_request_duration_milliseconds:p50_rate';
  /** 99th-percentile latency in milliseconds. */
  public static readonly LATENCY_P99 = 'endpoint_variant:istio_request_duration_milliseconds:p99_rate';

  private constructor() {}
}

/**
 * The health signals of a rollout, as manifests a Prometheus Operator reads: what to scrape
 * (the Istio sidecar's standard metrics and the model server's own), recording rules per variant
 * from Istio's metrics (`reporter="destination"`, selected by namespace, Service and the `version`
 * label the subsets use): request rate, success rate, p50 and p99 latency; and alerts for every
 * candidate (every variant but the first, and the mirrors; none while stable serves alone): success rate below the threshold,
 * p99 above it, success rate worse than the stable variant's by more than a margin, and no traffic
 * while its weight says it should have some. The thresholds default to Flagger's.
 *
 * @example
 * const canary = new Canary(chart, 'Iris', { name: 'iris', stable, candidate, traffic: CanaryTraffic.weight(10) });
 * new RolloutHealth(chart, 'IrisHealth', { endpoint: canary, labels: { release: 'prometheus' } });
 */
export class RolloutHealth extends Construct {
  /** The PodMonitors (`monitoring.coreos.com/v1`): the Istio sidecars' metrics, and the model servers' own. */
  public readonly podMonitors: ApiObject[] = [];
  /** The PrometheusRule (`monitoring.coreos.com/v1`): the recording rules and alerts. */
  public readonly prometheusRule: ApiObject;
  /** Name of the rule group (also the PrometheusRule's name). */
  public readonly ruleGroupName: string;

  private readonly props: RolloutHealthProps;

  constructor(scope: Construct, id: string, props: RolloutHealthProps) {
    super(scope, id);
    this.props = props;
    const endpoint = props.endpoint;
    const namespace = endpoint.namespace;
    this.ruleGroupName = `${endpoint.name}-rollout-health`;
    registerValidation(this, () => this.problems());

    const metadata = (name: string) => metadataOf({ name, namespace, labels: props.labels });
    for (const pods of this.podSets()) {
      this.podMonitors.push(new PodMonitor(this, `${pods.key}-istio-proxy`, {
        metadata: metadata(`${pods.name}-istio-proxy`),
        // The sidecar serves Istio's standard metrics on its own port, which it never intercepts:
        // mutual TLS and AuthorizationPolicies of the pod do not apply to this scrape.
        spec: { selector: { matchLabels: pods.selector }, podMetricsEndpoints: [{ port: 'http-envoy-prom', path: '/stats/prometheus' }] },
      }));
      // The model's own metrics (ports and paths EndpointSecurity allows Prometheus to GET). A plain
      // Service variant's are unknown: its sidecar, scraped above, is all there is.
      if (pods.endpoints.length === 0) continue;
      this.podMonitors.push(new PodMonitor(this, `${pods.key}-model`, {
        metadata: metadata(`${pods.name}-model`),
        spec: { selector: { matchLabels: pods.selector }, podMetricsEndpoints: pods.endpoints },
      }));
    }
    this.prometheusRule = new PrometheusRule(this, 'Rule', {
      metadata: metadata(this.ruleGroupName),
      spec: { groups: [{ name: this.ruleGroupName, rules: this.rules() }] },
    });
  }

  /** The variants watched, as the endpoint names them: the first is stable, the others candidates. */
  private get watched(): EndpointVariant[] {
    return this.props.endpoint.variants;
  }

  private get window(): string {
    return durationToPromQl(this.props.interval ?? DEFAULT_HEALTH_WINDOW);
  }

  /** The pods behind the endpoint, by what selects them, with the model server's metrics endpoints. */
  private podSets(): PodSet[] {
    const endpoint = this.props.endpoint;
    const sdep = endpoint.seldonDeployment;
    if (sdep) {
      return [{
        key: 'seldon',
        name: endpoint.name,
        selector: sdep.podSelector,
        endpoints: SELDON_SCRAPE.ports.map(port => ({ portNumber: port, path: SELDON_SCRAPE.paths[0] })),
      }];
    }
    const byService = new Map<string, PodSet>();
    for (const { model } of this.watched) {
      const service = model.serviceName;
      const selector = model.podSelector;
      if (!service || !selector || byService.has(service)) continue;
      byService.set(service, {
        key: service,
        name: service,
        selector,
        endpoints: model.backend === VariantBackend.TF_SERVING ? [{ portNumber: TfServingServer.REST_PORT, path: TfServingServer.METRICS_PATH }] : [],
      });
    }
    return [...byService.values()];
  }

  /** The Istio metric selector of one variant's answers, as the destination sidecar reports them. */
  private selector(variant: EndpointVariant): string {
    const endpoint = this.props.endpoint;
    const service = endpoint.seldonDeployment ? endpoint.seldonDeployment.predictorServiceName(variant.name) : variant.model.serviceName;
    return `reporter="destination",destination_workload_namespace="${endpoint.namespace}",destination_service_name="${service}",destination_version="${variant.version}"`;
  }

  private rules(): PrometheusRuleSpecGroupsRules[] {
    const endpoint = this.props.endpoint;
    const w = this.window;
    const rules: PrometheusRuleSpecGroupsRules[] = [];
    const labelsOf = (v: EndpointVariant) => ({ namespace: endpoint.namespace, endpoint: endpoint.name, variant: v.name });
    const record = (name: string, v: EndpointVariant, expr: string) => rules.push({
      record: `${name}${w}`, expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr), labels: labelsOf(v),
    });
    const watched = this.watched.filter(v => v.version !== undefined);
    for (const v of watched) {
      const s = this.selector(v);
      record(HealthSeries.REQUEST_RATE, v, `sum(rate(istio_requests_total{${s}}[${w}]))`);
      record(HealthSeries.SUCCESS_RATIO, v, `sum(rate(istio_requests_total{${s},response_code!~"5.."}[${w}])) / sum(rate(istio_requests_total{${s}}[${w}]))`);
      record(HealthSeries.LATENCY_P50, v, `histogram_quantile(0.5, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${s}}[${w}])))`);
      record(HealthSeries.LATENCY_P99, v, `histogram_quantile(0.99, sum by (le) (rate(istio_request_duration_milliseconds_bucket{${s}}[${w}])))`);
    }
    const [stable, ...candidates] = watched;
    const minRatio = (this.props.minSuccessRate ?? 99) / 100;
    const maxP99 = (this.props.maxLatencyP99 ?? Duration.millis(500)).toMilliseconds();
    const drop = (this.props.maxSuccessRateDrop ?? 1) / 100;
    const series = (name: string, v: EndpointVariant) =>
      healthSeriesQuery(name, w, { namespace: endpoint.namespace, endpoint: endpoint.name, variant: v.name });
    const alert = (name: string, v: EndpointVariant, expr: string, summary: string) => rules.push({
      alert: name,
      expr: PrometheusRuleSpecGroupsRulesExpr.fromString(expr),
      for: w,
      labels: { ...labelsOf(v), severity: 'critical' },
      annotations: { summary },
    });
    for (const c of candidates) {
      const where = `${endpoint.namespace}/${endpoint.name} variant ${c.name}`;
      alert('CandidateSuccessRateLow', c, `${series(HealthSeries.SUCCESS_RATIO, c)} < ${minRatio}`,
        `${where}: success rate below ${minRatio * 100} % over ${w}`);
      alert('CandidateLatencyHigh', c, `${series(HealthSeries.LATENCY_P99, c)} > ${maxP99}`,
        `${where}: p99 latency above ${maxP99} ms over ${w}`);
      alert('CandidateWorseThanStable', c,
        `${series(HealthSeries.SUCCESS_RATIO, c)} < ignoring(variant) (${series(HealthSeries.SUCCESS_RATIO, stable)} - ${drop})`,
        `${where}: success rate more than ${drop * 100} points below ${stable.name}'s over ${w}`);
      if (c.weight > 0) {
        // A candidate that should take traffic and served none is not healthy: no series, or rate 0.
        alert('CandidateNoTraffic', c, `absent(${series(HealthSeries.REQUEST_RATE, c)}) or ${series(HealthSeries.REQUEST_RATE, c)} == 0`,
          `${where}: no requests over ${w} while it should take ${c.weight} %`);
      }
    }
    return rules;
  }

  private problems(): string[] {
    const problems = new Problems();
    const props = this.props;
    const variants = this.watched;
    // A lone stable variant (between rollouts, after a promotion) is recorded and has no alert, so
    // the app's code need not change when a rollout ends; an endpoint without variants is an error.
    problems.check(POL_PATTERN, variants.length >= 1, () => `endpoint ${show(props.endpoint.node.path)} has no variant to watch`);
    for (const v of variants.filter(x => x.version === undefined)) {
      problems.add(POL_PATTERN.tag(`variant ${show(v.name)} has no 'version' label among its labels: Istio reports a variant by it (destination_version); give the Service variant labels { version: ... }`));
    }
    const minSuccessRate = props.minSuccessRate ?? 99;
    problems.check(POL_PATTERN, minSuccessRate > 0 && minSuccessRate <= 100, () => `minSuccessRate ${show(minSuccessRate)} must be a percentage above 0 and at most 100`);
    const drop = props.maxSuccessRateDrop ?? 1;
    problems.check(POL_PATTERN, drop >= 0 && drop < 100, () => `maxSuccessRateDrop ${show(drop)} must be percentage points from 0 to below 100`);
    const interval = (props.interval ?? DEFAULT_HEALTH_WINDOW).toSeconds({ integral: false });
    problems.check(POL_PATTERN, Number.isInteger(interval) && interval >= 30,
      () => `interval ${show(interval)}s must be whole seconds and at least 30 s (two scrapes at Prometheus's default 15 s interval)`);
    return problems.all;
  }
}
