/**
 * Fuzzing the public API: 10,000 generated configurations of every pattern, in both routing
 * modes, with gateways, hosts, matches, retries, timeouts, weights near the edges and names at
 * the length limits. Each one is either refused at synth by a catalogued rule (its errors all
 * carry a rule id of the catalogue), or every manifest it emits passes the schema of the
 * vendored CRDs (strict: no unknown field). Anything else is a failure.
 *
 * With CONFORMANCE_CORPUS_DIR set, a sample of the emitted apps is written there as YAML (one
 * namespace per case, so cases do not interact) for istioctl and kubectl-validate in CI.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Chart, Duration, Yaml } from 'cdk8s';
import * as fc from 'fast-check';
import { crdValidators, schemaErrors } from './crd-schemas';
import {
  AbTest, BlueGreen, BlueGreenColour, Canary, CanaryTraffic, Gateway, HttpMatch, IGateway, ModelEndpointProps, ModelServer, ModelVariant, Routing,
  RoutingMode, Shadow, StringMatch, TfServingServer,
} from '../../src';
import { RULES } from '../../src/rules/rule';
import { checkBehaviour, endpointsOf } from '../behaviour';

const RUNS = Number(process.env.CONFORMANCE_RUNS ?? 10_000);
const CORPUS_DIR = process.env.CONFORMANCE_CORPUS_DIR;
const CORPUS_EVERY = 25;
const RULE_IDS = new Set(RULES.map(r => r.id));
const validators = crdValidators();

// ---------------------------------------------------------------- generators

const label = fc.stringMatching(/^[a-z]([a-z0-9-]{0,10}[a-z0-9])?$/);
const name = fc.oneof(
  { weight: 12, arbitrary: label },
  { weight: 1, arbitrary: fc.constantFrom('m'.repeat(63), 'm'.repeat(57), 'm'.repeat(64)) },
  { weight: 1, arbitrary: fc.constantFrom('Bad_Name', '-x', 'x-', '', '9start') },
);
const host = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('models.example.com', 'iris.example.com', '*.example.com') },
  { weight: 2, arbitrary: label },
  { weight: 1, arbitrary: fc.constantFrom('*', 'bad host', 'UPPER.example.com', `${'h'.repeat(64)}.example.com`) },
);
const gateway: fc.Arbitrary<IGateway> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(Gateway.mesh()) },
  { weight: 4, arbitrary: fc.constantFrom('istio-system/seldon-gateway', 'seldon-gateway', 'ingress/public').map(Gateway.fromName) },
  { weight: 1, arbitrary: fc.constantFrom('a/b/c', 'Istio/Gw', '').map(Gateway.fromName) },
);
const millis = fc.oneof({ weight: 20, arbitrary: fc.integer({ min: 1, max: 5000 }) }, { weight: 1, arbitrary: fc.constant(0) });
const retries = fc.record({
  attempts: fc.oneof({ weight: 10, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.constantFrom(-1, 0) }),
  perTryTimeout: fc.option(millis.map(Duration.millis), { nil: undefined }),
  retryOn: fc.option(fc.oneof(
    { weight: 10, arbitrary: fc.subarray(['5xx', 'gateway-error', 'connect-failure', 'refused-stream', '503']) },
    { weight: 1, arbitrary: fc.constant<string[]>(['bogus']) },
  ), { nil: undefined, freq: 3 }),
});
const stringMatch = fc.oneof(
  fc.constantFrom('beta', 'v2').map(StringMatch.exact),
  fc.constantFrom('/api/', '/seldon/').map(StringMatch.prefix),
  fc.constantFrom('^b.*', '.*').map(StringMatch.regex),
);
const match: fc.Arbitrary<HttpMatch> = fc.record({
  headers: fc.option(fc.dictionary(fc.constantFrom('x-group', 'x-user', 'cookie'), stringMatch, { minKeys: 1, maxKeys: 2 }), { nil: undefined }),
  uri: fc.option(stringMatch, { nil: undefined }),
  sourceLabels: fc.option(fc.constant({ app: 'caller' }), { nil: undefined, freq: 10 }),
}, { requiredKeys: [] });
const weight = fc.oneof(fc.constantFrom(0, 1, 50, 99, 100), fc.integer({ min: -5, max: 105 }));
/** 2 to 4 integer weights that sum to exactly 100, with the edges 0 and 100 likely. */
const weightsSumming100 = fc.array(fc.oneof(fc.constantFrom(0, 100), fc.integer({ min: 0, max: 100 })), { minLength: 1, maxLength: 3 }).map(cuts => {
  const sorted = [...cuts].sort((x, y) => x - y);
  return [...sorted, 100].map((c, i) => c - (i === 0 ? 0 : sorted[i - 1]));
});
const steps = fc.subarray([0, 1, 5, 10, 25, 50, 75, 99, 100], { minLength: 1 });

const commonProps = fc.record({
  mode: fc.constantFrom(RoutingMode.SELDON, RoutingMode.ISTIO),
  name,
  gateways: fc.option(fc.oneof(
    { weight: 6, arbitrary: gateway.map(g => [g]) },
    { weight: 1, arbitrary: fc.array(gateway, { minLength: 2, maxLength: 3 }) },
  ), { nil: undefined }),
  hosts: fc.option(fc.array(host, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  serviceName: fc.option(label, { nil: undefined }),
  retries: fc.option(retries, { nil: undefined }),
  timeout: fc.option(millis.map(Duration.millis), { nil: undefined, freq: 4 }),
  // The backends: Seldon predictors, labelled pods behind a Service, or TF Serving versions.
  services: fc.oneof(
    { weight: 4, arbitrary: fc.constant<false | 'service' | 'tfserving'>(false) },
    { weight: 1, arbitrary: fc.constant<false | 'service' | 'tfserving'>('service') },
    { weight: 1, arbitrary: fc.constant<false | 'service' | 'tfserving'>('tfserving') },
  ),
  // Most Seldon-mode cases keep to what the operator can express; the rest probe SDO002.
  seldonPlain: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
}, { requiredKeys: ['mode', 'name', 'services', 'seldonPlain'] });

const canary = fc.record({
  kind: fc.constant('canary' as const),
  candidate: fc.oneof({ weight: 6, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  weights: fc.oneof(
    { weight: 3, arbitrary: fc.record({ steps, currentStep: fc.integer({ min: 0, max: 8 }) }) },
    { weight: 2, arbitrary: fc.record({ candidateWeight: weight }) },
    { weight: 1, arbitrary: fc.constant({}) },
    {
      weight: 1,
      arbitrary: fc.record({
        steps: fc.array(weight, { maxLength: 5 }),
        currentStep: fc.integer({ min: -1, max: 5 }),
      }),
    },
  ),
});
const blueGreen = fc.record({
  kind: fc.constant('bluegreen' as const),
  active: fc.constantFrom(BlueGreenColour.BLUE, BlueGreenColour.GREEN),
  previewHeader: fc.option(fc.constantFrom('x-preview', 'X_Bad'), { nil: undefined }),
  previewHost: fc.option(fc.constantFrom('preview.example.com'), { nil: undefined }),
});
const shadow = fc.record({
  kind: fc.constant('shadow' as const),
  mirrorPercentage: fc.option(fc.oneof(weight, fc.double({ min: 0, max: 100, noNaN: true })), { nil: undefined }),
});
const abTest = fc.record({
  kind: fc.constant('abtest' as const),
  weights: fc.oneof({ weight: 5, arbitrary: weightsSumming100 }, { weight: 1, arbitrary: fc.array(weight, { minLength: 1, maxLength: 4 }) }),
  arms: fc.array(fc.record({
    rename: fc.option(name, { nil: undefined, freq: 12 }),
    matches: fc.option(fc.array(match, { minLength: 0, maxLength: 2 }), { nil: undefined, freq: 3 }),
  }), { minLength: 4, maxLength: 4 }),
  stickyCookie: fc.option(fc.constantFrom('arm', 'iris-arm'), { nil: undefined, freq: 4 }),
});
const config = fc.record({ common: commonProps, pattern: fc.oneof(canary, blueGreen, shadow, abTest) });
type Config = typeof config extends fc.Arbitrary<infer T> ? T : never;

// ---------------------------------------------------------------- building and judging

/** A Seldon-mode case without the intents only explicit routes express. */
function plainSeldon(c: Config): Config {
  const p = c.pattern;
  const common = {
    ...c.common,
    services: false as const,
    timeout: undefined,
    gateways: c.common.gateways?.slice(0, 1),
    retries: c.common.retries ? { ...c.common.retries, retryOn: undefined } : undefined,
  };
  switch (p.kind) {
    case 'abtest': return { common, pattern: { ...p, stickyCookie: undefined, arms: p.arms.map(a => ({ ...a, matches: undefined })) } };
    case 'bluegreen': return { common, pattern: { ...p, previewHeader: undefined, previewHost: undefined } };
    default: return { common, pattern: p };
  }
}

function build(app: App, namespace: string, generated: Config): void {
  const c = generated.common.mode === RoutingMode.SELDON && generated.common.seldonPlain ? plainSeldon(generated) : generated;
  const chart = new Chart(app, 'case', { namespace });
  let n = 0;
  const { seldonPlain, services, mode, retries: retryPolicy, timeout, ...endpoint } = c.common;
  // Options only Istio routing takes (timeout, sticky sessions) cannot be written for the operator.
  const stickyCookie = c.pattern.kind === 'abtest' ? c.pattern.stickyCookie : undefined;
  const routing = mode === RoutingMode.ISTIO
    ? Routing.istio({ retries: retryPolicy, timeout, stickyCookie })
    : Routing.seldonOperator({ retries: retryPolicy });
  const tfServing = services === 'tfserving'
    ? new TfServingServer(chart, 'TfServing', {
      name: 'inception',
      versions: [1, 2, 3, 4].map(v => ({ name: `v${v}`, modelBasePath: `gs://kubeflow-models/inception/v${v}` })),
    })
    : undefined;
  const variant = () => {
    n++;
    if (tfServing) return ModelVariant.tfServing(tfServing, `v${n}`);
    return services
      ? ModelVariant.service({ serviceName: 'iris', labels: { version: `v${n}` }, port: 8000 })
      : ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/v${n}` } });
  };
  const props: ModelEndpointProps = { ...endpoint, routing };
  const p = c.pattern;
  switch (p.kind) {
    case 'canary':
      new Canary(chart, 'Endpoint', {
        ...props,
        traffic: 'steps' in p.weights ? CanaryTraffic.steps(p.weights.steps, { current: p.weights.currentStep })
          : 'candidateWeight' in p.weights ? CanaryTraffic.weight(p.weights.candidateWeight) : undefined,
        stable: variant(),
        candidate: p.candidate ? variant() : undefined,
      });
      break;
    case 'bluegreen':
      new BlueGreen(chart, 'Endpoint', {
        ...props,
        blue: variant(),
        green: variant(),
        active: p.active,
        preview: p.previewHeader || p.previewHost ? { headerName: p.previewHeader, host: p.previewHost } : undefined,
      });
      break;
    case 'shadow':
      new Shadow(chart, 'Endpoint', { ...props, stable: variant(), shadow: variant(), mirrorPercentage: p.mirrorPercentage });
      break;
    case 'abtest':
      new AbTest(chart, 'Endpoint', {
        ...props,
        variants: p.weights.map((w, i) => ({ name: p.arms[i].rename ?? `model-${i}`, weight: w, matches: p.arms[i].matches, model: variant() })),
      });
      break;
  }
}

const VALIDATION_FAILED = 'Validation failed with the following errors:\n  ';

/**
 * What cdk8s's App.synth checks before writing: every validation of the tree. The library's
 * rules run in one pass on the root, which throws cdk8s's own error with each construct's path.
 */
function validationErrors(app: App): string[] {
  try {
    return app.node.findAll().flatMap(c => c.node.validate().map(e => `[${c.node.path}] ${e}`));
  } catch (e) {
    const message = (e as Error).message;
    if (!message.startsWith(VALIDATION_FAILED)) throw e;
    return message.slice(VALIDATION_FAILED.length).split('\n  ');
  }
}

interface Outcome { refusedBy?: string[]; manifests?: any[]; requests?: number; failure?: string }

function judge(c: Config, namespace: string): Outcome {
  const app = new App({ outdir: '/dev/null' });
  try {
    build(app, namespace, c);
  } catch (e) {
    return { failure: `construction threw: ${(e as Error).message}` };
  }
  const errors = validationErrors(app);
  if (errors.length > 0) {
    const ids = errors.map(e => /^\[[^\]]*\] \[([A-Z0-9-]+)\] /.exec(e)?.[1]);
    const untagged = errors.filter((_, i) => !ids[i] || !RULE_IDS.has(ids[i]!));
    if (untagged.length > 0) return { failure: `refused without a catalogued rule: ${untagged.join('; ')}` };
    return { refusedBy: [...new Set(ids as string[])].sort() };
  }
  let manifests: any[];
  try {
    manifests = app.charts.flatMap(chart => chart.toJson());
  } catch (e) {
    return { failure: `valid app failed to render: ${(e as Error).message}` };
  }
  for (const m of manifests) {
    const problems = schemaErrors(validators, m);
    // Built-in kinds (the TF Serving Service, Deployments and ConfigMap, made by cdk8s-plus) have
    // no vendored CRD; kubectl-validate checks them in the corpus.
    if (problems === undefined && (m.apiVersion === 'v1' || m.apiVersion === 'apps/v1')) continue;
    if (problems === undefined) return { failure: `no schema for ${m.apiVersion}/${m.kind}` };
    if (problems.length > 0) return { failure: `schema: ${problems.join('; ')}` };
  }
  // Accepted is not enough: each request of the intent must land where the intent says.
  // Service variants route to the Service `iris` (port 8000) of pods labelled version v<n>, which
  // the user's cluster has: give the simulator those objects too.
  const backends = [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'iris', namespace }, spec: { selector: { app: 'iris' }, ports: [{ port: 8000 }] } },
    ...[1, 2, 3, 4, 5, 6].map(n => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: `iris-v${n}`, namespace }, spec: { template: { metadata: { labels: { app: 'iris', version: `v${n}` } } } } })),
  ];
  const behaviour = checkBehaviour([...manifests, ...backends], endpointsOf(app));
  if (behaviour.mismatches.length > 0) return { failure: `behaviour: ${behaviour.mismatches.slice(0, 3).join('; ')}` };
  return { manifests, requests: behaviour.requests };
}

/** `<namespace>/<name>` of every gateway the manifests refer to by name and do not define. */
function externalGateways(manifests: any[]): string[] {
  const defined = new Set(manifests.filter(m => m.kind === 'Gateway').map(m => `${m.metadata.namespace}/${m.metadata.name}`));
  const refs = manifests.flatMap(m => {
    const ns = m.metadata?.namespace ?? 'default';
    const names: string[] = m.kind === 'VirtualService' ? m.spec.gateways ?? []
      : m.kind === 'SeldonDeployment' && m.spec.annotations?.['seldon.io/istio-gateway'] ? [m.spec.annotations['seldon.io/istio-gateway']] : [];
    return names.filter(g => g !== 'mesh').map(g => (g.includes('/') ? g : `${ns}/${g}`));
  });
  return refs.filter(r => !defined.has(r));
}

describe('conformance fuzzing', () => {
  test(`${RUNS} generated configurations: refused by a catalogued rule, or schema-valid output`, () => {
    const counts = { generated: 0, refused: 0, emitted: 0, failed: 0, requests: 0 };
    const byRule = new Map<string, number>();
    const byPattern = new Map<string, number>();
    const byBackend = new Map<string, number>();
    const corpusGateways = new Set<string>();
    if (CORPUS_DIR) fs.mkdirSync(CORPUS_DIR, { recursive: true });

    fc.assert(fc.property(config, c => {
      const index = counts.generated++;
      const outcome = judge(c, `fz-${index}`);
      if (outcome.failure) {
        counts.failed++;
        throw new Error(outcome.failure);
      }
      if (outcome.refusedBy) {
        counts.refused++;
        outcome.refusedBy.forEach(id => byRule.set(id, (byRule.get(id) ?? 0) + 1));
        return;
      }
      counts.emitted++;
      counts.requests += outcome.requests!;
      const key = `${c.pattern.kind}/${c.common.mode}`;
      byPattern.set(key, (byPattern.get(key) ?? 0) + 1);
      const backend = c.common.mode === RoutingMode.SELDON && c.common.seldonPlain ? 'seldon' : c.common.services || 'seldon';
      byBackend.set(backend, (byBackend.get(backend) ?? 0) + 1);
      if (CORPUS_DIR && counts.emitted % CORPUS_EVERY === 1) {
        fs.writeFileSync(path.join(CORPUS_DIR, `case-${String(index).padStart(5, '0')}.yaml`), Yaml.stringify(...outcome.manifests!));
        externalGateways(outcome.manifests!).forEach(g => corpusGateways.add(g));
      }
    }), { numRuns: RUNS, seed: 20261123, endOnFailure: true });
    if (CORPUS_DIR) {
      // The gateways the cases refer to by name (Gateway.fromName: declared to exist in the
      // cluster), so that istioctl analyze sees them as the cluster would.
      const gateways = [...corpusGateways].sort().map(ref => {
        const [namespace, gatewayName] = ref.split('/');
        return {
          apiVersion: 'networking.istio.io/v1',
          kind: 'Gateway',
          metadata: { name: gatewayName, namespace },
          spec: { selector: { istio: 'ingressgateway' }, servers: [{ port: { number: 80, name: 'http', protocol: 'HTTP' }, hosts: ['*'] }] },
        };
      });
      fs.writeFileSync(path.join(CORPUS_DIR, 'external-gateways.yaml'), Yaml.stringify(...gateways));
    }

    const table = [...byRule.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([id, n]) => `    ${id.padEnd(11)} ${n}`).join('\n');
    const emitted = [...byPattern.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `    ${k.padEnd(18)} ${n}`).join('\n');
    process.stdout.write(`conformance fuzzing: generated ${counts.generated}, refused ${counts.refused}, emitted ${counts.emitted}, failed ${counts.failed}\n`
      + `  refused by rule (a configuration can break several):\n${table}\n  emitted by pattern/mode:\n${emitted}\n`
      + `  emitted by backend: ${[...byBackend.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} ${n}`).join(', ')}\n`
      + `behaviour: ${counts.generated} configurations, ${counts.emitted} emitted, ${counts.requests} requests simulated, ${counts.failed} mismatches\n`);

    expect(counts.failed).toBe(0);
    expect(counts.generated).toBe(RUNS);
    // The generator must exercise both outcomes, and every pattern in both modes.
    expect(counts.emitted).toBeGreaterThan(RUNS * 0.15);
    expect(counts.refused).toBeGreaterThan(RUNS * 0.15);
    expect(byPattern.size).toBe(8);
    expect(counts.requests).toBeGreaterThan(counts.emitted);
  });
});
