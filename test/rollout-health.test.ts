import { Duration } from 'cdk8s';
import {
  AbTest, Canary, CanaryTraffic, HealthSeries, ModelServer, ModelVariant, RolloutHealth, Routing, Shadow, TfServingServer,
} from '../src';
import { crdValidators, schemaErrors } from './conformance/crd-schemas';
import { errorOf, only, synth, testChart } from './util';

const iris = (v: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${v}` } });

function rulesOf(manifests: any[]): any[] {
  return only(manifests, 'PrometheusRule').spec.groups[0].rules;
}

describe('RolloutHealth of a Seldon canary', () => {
  const { app, chart } = testChart({ namespace: 'models' });
  const canary = new Canary(chart, 'Iris', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10) });
  const health = new RolloutHealth(chart, 'Health', { endpoint: canary, labels: { release: 'prometheus' } });
  const manifests = synth(app);
  const rules = rulesOf(manifests);

  test('scrapes the sidecars and the Seldon containers of the SeldonDeployment\'s pods', () => {
    const monitors = manifests.filter(m => m.kind === 'PodMonitor');
    expect(monitors.map(m => [m.metadata.name, m.metadata.labels, m.spec.selector.matchLabels])).toEqual([
      ['iris-istio-proxy', { release: 'prometheus' }, { 'seldon-deployment-id': 'iris' }],
      ['iris-model', { release: 'prometheus' }, { 'seldon-deployment-id': 'iris' }],
    ]);
    expect(monitors[0].spec.podMetricsEndpoints).toEqual([{ port: 'http-envoy-prom', path: '/stats/prometheus' }]);
    expect(monitors[1].spec.podMetricsEndpoints.map((e: any) => [e.portNumber, e.path])).toEqual([[6000, '/prometheus'], [8000, '/prometheus'], [6001, '/prometheus']]);
    expect(health.podMonitors).toHaveLength(2);
  });

  test('records request rate, success ratio, p50 and p99 per variant from the destination sidecar\'s Istio metrics', () => {
    const records = rules.filter(r => r.record);
    expect(records.map(r => [r.record, r.labels.variant])).toEqual([
      [`${HealthSeries.REQUEST_RATE}1m`, 'stable'], [`${HealthSeries.SUCCESS_RATIO}1m`, 'stable'],
      [`${HealthSeries.LATENCY_P50}1m`, 'stable'], [`${HealthSeries.LATENCY_P99}1m`, 'stable'],
      [`${HealthSeries.REQUEST_RATE}1m`, 'canary'], [`${HealthSeries.SUCCESS_RATIO}1m`, 'canary'],
      [`${HealthSeries.LATENCY_P50}1m`, 'canary'], [`${HealthSeries.LATENCY_P99}1m`, 'canary'],
    ]);
    // The Service and `version` label the operator's subsets route to.
    expect(records[4].expr).toBe('sum(rate(istio_requests_total{reporter="destination",destination_workload_namespace="models",destination_service_name="iris-canary",destination_version="canary"}[1m]))');
    expect(records[5].expr).toContain('response_code!~"5.."');
    expect(records[7].expr).toMatch(/^histogram_quantile\(0\.99, sum by \(le\) \(rate\(istio_request_duration_milliseconds_bucket\{/);
  });

  test('every object is valid against the vendored Prometheus Operator CRDs', () => {
    const validators = crdValidators();
    const monitoring = manifests.filter(m => m.apiVersion === 'monitoring.coreos.com/v1');
    expect(monitoring.map(m => m.kind)).toEqual(['PodMonitor', 'PodMonitor', 'PrometheusRule']);
    for (const m of monitoring) expect(schemaErrors(validators, m)).toEqual([]);
    // The validators do check these kinds: a port number as a string is refused.
    const broken = { ...monitoring[1], spec: { ...monitoring[1].spec, podMetricsEndpoints: [{ portNumber: 'eight thousand' }] } };
    expect(schemaErrors(validators, broken)).not.toEqual([]);
  });

  test('alerts on the candidate only, with Flagger\'s defaults: 99 %, 500 ms, 1 m', () => {
    const alerts = rules.filter(r => r.alert);
    expect(alerts.map(a => [a.alert, a.labels.variant, a.for])).toEqual([
      ['CandidateSuccessRateLow', 'canary', '1m'], ['CandidateLatencyHigh', 'canary', '1m'],
      ['CandidateWorseThanStable', 'canary', '1m'], ['CandidateNoTraffic', 'canary', '1m'],
    ]);
    expect(alerts[0].expr).toMatch(/ < 0\.99$/);
    expect(alerts[1].expr).toMatch(/ > 500$/);
    expect(alerts[2].expr).toContain('< ignoring(variant) (endpoint_variant:istio_requests_success:ratio_rate1m{namespace="models",endpoint="iris",variant="stable"} - 0.01)');
    expect(alerts[3].expr).toMatch(/^absent\(.*variant="canary"\}\) or .* == 0$/);
  });
});

describe('RolloutHealth options and other endpoints', () => {
  test('thresholds and interval are props', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const canary = new Canary(chart, 'Iris', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10) });
    new RolloutHealth(chart, 'Health', { endpoint: canary, minSuccessRate: 99.5, maxLatencyP99: Duration.millis(300), maxSuccessRateDrop: 2, interval: Duration.minutes(2) });
    const alerts = rulesOf(synth(app)).filter(r => r.alert);
    expect(alerts.map(a => a.expr.split(' ').pop())).toEqual(['0.995', '300', '0.02)', '0']);
    expect(alerts.every(a => a.for === '2m' && a.expr.includes('rate2m'))).toBe(true);
  });

  test('a candidate at 0 % has no no-traffic alert; a shadow is a candidate by its mirror share', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const idle = new Canary(chart, 'Idle', { name: 'idle', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(0) });
    const shadow = new Shadow(chart, 'Shadow', { name: 'shadowed', stable: iris('v1'), shadow: iris('v2'), mirrorPercentage: 25 });
    new RolloutHealth(chart, 'IdleHealth', { endpoint: idle });
    new RolloutHealth(chart, 'ShadowHealth', { endpoint: shadow });
    const [idleRule, shadowRule] = synth(app).filter(m => m.kind === 'PrometheusRule');
    expect(idleRule.spec.groups[0].rules.filter((r: any) => r.alert).map((a: any) => a.alert)).not.toContain('CandidateNoTraffic');
    expect(shadowRule.spec.groups[0].rules.filter((r: any) => r.alert).map((a: any) => [a.alert, a.labels.variant])).toContainEqual(['CandidateNoTraffic', 'shadow']);
  });

  test('TF Serving: its Service and version labels, and its metrics path on the REST port', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const server = new TfServingServer(chart, 'Inception', {
      name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }, { name: 'v2', modelBasePath: 'gs://m/v2' }],
    });
    const canary = new Canary(chart, 'Rollout', {
      name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1'), candidate: ModelVariant.tfServing(server, 'v2'), traffic: CanaryTraffic.weight(5),
    });
    new RolloutHealth(chart, 'Health', { endpoint: canary });
    const manifests = synth(app);
    const model = manifests.find(m => m.kind === 'PodMonitor' && m.metadata.name === 'inception-model');
    expect(model.spec).toEqual({ selector: { matchLabels: server.podSelector }, podMetricsEndpoints: [{ portNumber: 8501, path: '/monitoring/prometheus/metrics' }] });
    expect(rulesOf(manifests)[4].expr).toContain('destination_service_name="inception",destination_version="v2"');
  });

  test('a plain Service variant: its sidecar is scraped once, by one PodMonitor (two would double every recorded rate)', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const flowers = (v: string) => ModelVariant.service({ serviceName: 'flowers', labels: { version: v }, port: 8080, podSelector: { app: 'flowers' } });
    const test = new AbTest(chart, 'AB', {
      name: 'flowers',
      routing: Routing.istio(),
      hosts: ['flowers'],
      gateways: [],
      variants: [{ name: 'a', model: flowers('v1'), weight: 50 }, { name: 'b', model: flowers('v2'), weight: 50 }],
    });
    new RolloutHealth(chart, 'Health', { endpoint: test });
    const monitors = synth(app).filter(m => m.kind === 'PodMonitor');
    expect(monitors.map(m => [m.metadata.name, m.spec.selector.matchLabels, m.spec.podMetricsEndpoints])).toEqual([
      ['flowers-istio-proxy', { app: 'flowers' }, [{ port: 'http-envoy-prom', path: '/stats/prometheus' }]],
    ]);
  });

  test('stable alone (between rollouts): its series are recorded, no alert is written, the same code synthesizes', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new RolloutHealth(chart, 'Health', { endpoint: new Canary(chart, 'E', { name: 'e', stable: iris('v1') }) });
    const rules = rulesOf(synth(app));
    expect(rules.map((r: any) => r.record ?? `alert ${r.alert}`)).toEqual([
      `${HealthSeries.REQUEST_RATE}1m`, `${HealthSeries.SUCCESS_RATIO}1m`, `${HealthSeries.LATENCY_P50}1m`, `${HealthSeries.LATENCY_P99}1m`,
    ]);
    expect(rules.every((r: any) => r.labels.variant === 'stable')).toBe(true);
  });

  test.each<[string, (chart: any) => any, Partial<Record<string, unknown>>, RegExp]>([
    ['a success rate above 100', chart => new Canary(chart, 'E', { name: 'e', stable: iris('v1'), candidate: iris('v2') }), { minSuccessRate: 101 }, /minSuccessRate 101 must be a percentage/],
    ['an interval under 30 s', chart => new Canary(chart, 'E', { name: 'e', stable: iris('v1'), candidate: iris('v2') }), { interval: Duration.seconds(10) }, /interval 10s must be whole seconds and at least 30 s/],
    ['a Service variant without version label', chart => new AbTest(chart, 'E', {
      name: 'e',
      routing: Routing.istio(),
      variants: [
        { name: 'a', model: ModelVariant.service({ serviceName: 'svc', labels: { track: 'a' }, port: 80 }), weight: 50 },
        { name: 'b', model: ModelVariant.service({ serviceName: 'svc', labels: { track: 'b' }, port: 80 }), weight: 50 },
      ],
    }), {}, /variant 'a' has no 'version' label/],
  ])('%s is refused, naming the construct', (_, endpoint, options, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new RolloutHealth(chart, 'Health', { endpoint: endpoint(chart), ...options });
    const message = errorOf(() => app.synthYaml());
    expect(message).toMatch(/\[test\/Health\] \[POL003\] /);
    expect(message).toMatch(expected);
  });
});
