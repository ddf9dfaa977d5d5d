/**
 * Every PrometheusRule the examples synthesize, through the real Prometheus tooling:
 * `promtool check rules` on its groups, then `promtool test rules` with unit tests written here
 * from the rules themselves. The tests feed Istio's raw metrics (`istio_requests_total`,
 * `istio_request_duration_milliseconds_bucket`) for each variant, so the recording rules are
 * exercised too, and prove that each candidate alert
 *   - fires for an unhealthy candidate (5xx answers, slow answers, or no traffic at all), and
 *   - stays silent for a healthy candidate, and when only the stable variant is unhealthy.
 *
 * Usage: ts-node scripts/check-prometheus-rules.ts DIR...   (prints counts; exits 1 on any failure)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parseAllDocuments, stringify } from 'yaml';

interface Rule { record?: string; alert?: string; expr: string; for?: string; labels?: Record<string, string>; annotations?: Record<string, string> }
interface Group { name: string; rules: Rule[] }

const REQUEST_RATE = /^endpoint_variant:istio_requests:rate/;
const BUCKETS = ['100', '250', '500', '1000', '+Inf'];

/** The Istio label matchers of each variant, read from its request-rate recording rule. */
function variantSelectors(group: Group): Map<string, string> {
  const selectors = new Map<string, string>();
  for (const rule of group.rules.filter(r => r.record && REQUEST_RATE.test(r.record))) {
    const matchers = /istio_requests_total\{([^}]*)\}/.exec(rule.expr)?.[1];
    if (!matchers || !rule.labels?.variant) throw new Error(`${group.name}: cannot read the selector of ${rule.record}`);
    selectors.set(rule.labels.variant, matchers.replace(/,?response_code![=~]"[^"]*"/, ''));
  }
  return selectors;
}

/** Input series of one variant over 10 minutes: `rps` requests per second, a share `errors` of 5xx, all at `latencyMs`. */
function seriesOf(selector: string, health: { errors: number; latencyMs: number }): Array<{ series: string; values: string }> {
  const perMinute = 600;
  const bad = Math.round(perMinute * health.errors);
  const counter = (increase: number) => `0+${increase}x10`;
  return [
    { series: `istio_requests_total{${selector},response_code="200"}`, values: counter(perMinute - bad) },
    { series: `istio_requests_total{${selector},response_code="500"}`, values: counter(bad) },
    ...BUCKETS.map(le => ({
      series: `istio_request_duration_milliseconds_bucket{${selector},le="${le}"}`,
      values: counter(le === '+Inf' || Number(le) >= health.latencyMs ? perMinute : 0),
    })),
  ];
}

const HEALTHY = { errors: 0, latencyMs: 50 };
const FAILING = { errors: 0.1, latencyMs: 900 };

interface Case { name: string; variants: Record<string, { errors: number; latencyMs: number } | undefined>; firing: (alert: Rule) => boolean }

interface TestFile { rule_files: string[]; evaluation_interval: string; tests: any[] }

function testsFor(group: Group, rulesFile: string): { tests: TestFile; fired: number; silent: number } {
  const selectors = variantSelectors(group);
  const alerts = group.rules.filter(r => r.alert);
  const stable = [...selectors.keys()][0]!;
  const candidates = [...new Set(alerts.map(a => a.labels!.variant!))];
  const cases: Case[] = [];
  for (const candidate of candidates) {
    const others = (health: { errors: number; latencyMs: number }) => Object.fromEntries([...selectors.keys()].map(v => [v, health]));
    cases.push({ name: `${candidate} healthy`, variants: others(HEALTHY), firing: () => false });
    cases.push({
      name: `${candidate} failing (10 % 5xx, 900 ms)`,
      variants: { ...others(HEALTHY), [candidate]: FAILING },
      firing: a => a.labels!.variant === candidate && a.alert !== 'CandidateNoTraffic',
    });
    cases.push({
      name: `${candidate} serves nothing`,
      variants: { ...others(HEALTHY), [candidate]: undefined },
      firing: a => a.labels!.variant === candidate && a.alert === 'CandidateNoTraffic',
    });
    cases.push({ name: `only ${stable} failing`, variants: { ...others(HEALTHY), [stable]: FAILING }, firing: () => false });
  }
  let fired = 0;
  let silent = 0;
  const tests = cases.map(c => ({
    name: `${group.name}: ${c.name}`,
    interval: '1m',
    input_series: Object.entries(c.variants).flatMap(([v, health]) => (health ? seriesOf(selectors.get(v)!, health) : [])),
    alert_rule_test: alerts.map(a => {
      const fires = c.firing(a);
      if (fires) fired++;
      else silent++;
      return {
        eval_time: '8m',
        alertname: a.alert!,
        exp_alerts: fires ? [{ exp_labels: { ...a.labels }, exp_annotations: { ...a.annotations } }] : [],
      };
    }),
  }));
  // Alerts of one name exist once per candidate: a test names the alert and expects exactly the
  // firing ones, so merge the expectations of the same alert name within a test.
  for (const t of tests) {
    const byName = new Map<string, any>();
    for (const r of t.alert_rule_test) {
      const merged = byName.get(r.alertname);
      if (merged) merged.exp_alerts.push(...r.exp_alerts);
      else byName.set(r.alertname, { ...r, exp_alerts: [...r.exp_alerts] });
    }
    t.alert_rule_test = [...byName.values()];
  }
  return { tests: { rule_files: [rulesFile], evaluation_interval: '1m', tests }, fired, silent };
}

function yamlFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap(e => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? yamlFiles(p) : e.name.endsWith('.yaml') ? [p] : [];
  });
}

function main(dirs: string[]): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'promtool-'));
  const counts = { objects: 0, groups: 0, rules: 0, records: 0, alerts: 0, testCases: 0, fired: 0, silent: 0 };
  for (const file of dirs.flatMap(yamlFiles).sort()) {
    const rules = parseAllDocuments(fs.readFileSync(file, 'utf-8')).map(d => d.toJS()).filter(m => m?.kind === 'PrometheusRule');
    for (const rule of rules) {
      counts.objects++;
      const base = path.join(work, `${rule.metadata.namespace}-${rule.metadata.name}`);
      const groups: Group[] = rule.spec.groups;
      fs.writeFileSync(`${base}.rules.yaml`, stringify({ groups }));
      execFileSync('promtool', ['check', 'rules', `${base}.rules.yaml`], { stdio: ['ignore', 'pipe', 'inherit'] });
      counts.groups += groups.length;
      for (const group of groups) {
        counts.rules += group.rules.length;
        counts.records += group.rules.filter(r => r.record).length;
        counts.alerts += group.rules.filter(r => r.alert).length;
        const { tests, fired, silent } = testsFor(group, `${base}.rules.yaml`);
        fs.writeFileSync(`${base}.${group.name}.test.yaml`, stringify(tests));
        execFileSync('promtool', ['test', 'rules', `${base}.${group.name}.test.yaml`], { stdio: ['ignore', 'pipe', 'inherit'] });
        counts.testCases += tests.tests.length;
        counts.fired += fired;
        counts.silent += silent;
      }
      process.stdout.write(`promtool: ${path.relative(process.cwd(), file)} ${rule.metadata.namespace}/${rule.metadata.name}: check rules ok, test rules ok\n`);
    }
  }
  if (counts.objects === 0) throw new Error(`no PrometheusRule in ${dirs.join(', ')}`);
  process.stdout.write(`promtool: ${counts.objects} PrometheusRules, ${counts.groups} groups, ${counts.rules} rules (${counts.records} recording, ${counts.alerts} alerting), `
    + `${counts.testCases} test cases: alerts proven to fire ${counts.fired} times and to stay silent ${counts.silent} times\n`);
  fs.rmSync(work, { recursive: true, force: true });
}

main(process.argv.slice(2));
