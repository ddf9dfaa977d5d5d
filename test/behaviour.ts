/**
 * Behaviour checks: does each request a pattern's intent names land where the intent says?
 *
 * The intent is what the user asked the pattern for (its traffic model: variants and weights,
 * match routes and their targets, the sticky cookie, mirrors and their shares). The check runs
 * real-world requests through the route simulator over the synthesized YAML (never the
 * construct tree): browser Cookie headers, gRPC calls with their content type, callers in the
 * mesh, the public Seldon and TF Serving paths. Any difference, in target or in probability,
 * is a mismatch.
 */
import { IConstruct } from 'constructs';
import { RE2JS } from 're2js';
import { HttpMatch, ModelEndpoint, RouteSimulator, SimulatedRequest, SimulationOutcome, StringMatch } from '../src';
import { EndpointModel } from '../src/delivery/traffic-model';
import { SELDON_DEFAULT_GATEWAY } from '../src/seldon/operator';

export interface BehaviourReport {
  /** Requests simulated. */
  readonly requests: number;
  /** One line per request that did not land where the intent says. */
  readonly mismatches: string[];
}

/** Every rendered delivery pattern under `scope`. */
export function endpointsOf(scope: IConstruct): ModelEndpoint[] {
  return scope.node.findAll()
    .filter((c): c is ModelEndpoint => c instanceof ModelEndpoint && (c.seldonDeployment !== undefined || c.virtualService !== undefined));
}

/** Checks every endpoint's intent against the manifests. */
export function checkBehaviour(manifests: any[], endpoints: ModelEndpoint[]): BehaviourReport {
  const simulator = RouteSimulator.fromManifests(manifests);
  let requests = 0;
  const mismatches: string[] = [];
  for (const endpoint of endpoints) {
    const model = endpoint._model!;
    for (const probe of probesOf(model)) {
      requests++;
      const result = simulator.simulate(probe.request);
      const where = `${endpoint.node.path}: ${probe.what} (${JSON.stringify(probe.request)})`;
      if (result.outcome !== SimulationOutcome.ROUTED) {
        mismatches.push(`${where}: ${result.outcome} ${result.reason}`);
        continue;
      }
      const got = shares(result.destinations);
      if (!sameShares(got, probe.expected)) mismatches.push(`${where}: went to ${JSON.stringify(got)}, intent ${JSON.stringify(probe.expected)} (${result.reason})`);
      const failed = [...result.destinations, ...result.mirrors].filter(d => d.failure);
      if (failed.length > 0) mismatches.push(`${where}: ${failed.map(d => d.failure).join('; ')}`);
      const mirrored = shares(result.mirrors);
      if (!sameShares(mirrored, probe.mirrors)) mismatches.push(`${where}: mirrored to ${JSON.stringify(mirrored)}, intent ${JSON.stringify(probe.mirrors)}`);
      if (model.stickyCookie) {
        // Whichever route answered, the arm's answer appends its cookie (never replaces the model's).
        for (const d of result.destinations) {
          const cookie = d.responseHeadersAdded?.['set-cookie'];
          if (cookie !== `${model.stickyCookie}=${d.subset}; Path=/` || d.responseHeadersSet?.['set-cookie']) {
            mismatches.push(`${where}: answer of ${d.subset} sets cookie ${JSON.stringify(d.responseHeadersSet?.['set-cookie'] ?? cookie)}`);
          }
        }
      }
    }
  }
  return { requests, mismatches };
}

interface Probe {
  readonly what: string;
  readonly request: SimulatedRequest;
  /** variant → probability. */
  readonly expected: Record<string, number>;
  readonly mirrors: Record<string, number>;
}

/** What a request carries, for the intent's own (model-level) route choice. */
interface Call {
  readonly path: string;
  readonly host: string;
  readonly headers: Record<string, string>;
  readonly sourceLabels?: Record<string, string>;
}

function probesOf(model: EndpointModel): Probe[] {
  const ns = model.namespace;
  const seldon = model.variants.every(v => v.model.isSeldon);
  const tfServing = !seldon && [...model.variants, ...model.mirrors].every(v => v.model._service?.tfServing);
  const gateways = (model.gateways ?? []).map(g => g.gatewayRef);
  const entries = gateways.length > 0 ? gateways : [seldon ? SELDON_DEFAULT_GATEWAY : 'mesh'];
  const serviceHost = model.serviceName ?? model.variants[0]?.model.serviceName ?? model.name;

  // The kinds of call a client makes, each with the port it dials in the mesh.
  const flavours: Array<{ what: string; path: string; headers: Record<string, string>; meshPort: number }> = seldon
    ? [
      { what: 'REST', path: `/seldon/${ns}/${model.name}/api/v1.0/predictions`, headers: {}, meshPort: 8000 },
      { what: 'gRPC', path: '/seldon.protos.Seldon/Predict', headers: { 'seldon': model.name, 'namespace': ns, 'content-type': 'application/grpc' }, meshPort: 5001 },
    ]
    : tfServing
      ? [
        { what: 'REST', path: '/v1/models/inception:predict', headers: { 'content-type': 'application/json' }, meshPort: 8501 },
        { what: 'gRPC', path: '/tensorflow.serving.PredictionService/Predict', headers: { 'content-type': 'application/grpc+proto' }, meshPort: 8500 },
      ]
      : [{ what: 'HTTP', path: '/predict', headers: {}, meshPort: model.variants[0]?.model._service?.port ?? 80 }];

  const lone = model.variants.length === 1;
  const weights = Object.fromEntries(model.variants.filter(v => v.weight > 0 || lone).map(v => [v.name, lone ? 1 : v.weight / 100]));
  const mirrors = Object.fromEntries(model.mirrors.filter(m => m.percentage > 0).map(m => [m.name, m.percentage / 100]));
  const probes: Probe[] = [];
  for (const gateway of entries) {
    const mesh = gateway === 'mesh';
    const gatewayRef = mesh ? 'mesh' : gateway.includes('/') ? gateway : `${ns}/${gateway}`;
    // The documented default: `*`, but the Service's name as soon as the mesh is one of the gateways.
    const routeHosts = model.hosts ?? (entries.includes('mesh') ? [serviceHost] : ['*']);
    // Hosts a pattern adds (a blue/green preview host) are called at the ingress too: in the mesh
    // clients call Services by name, and no Service answers to them.
    const hosts = mesh ? routeHosts : [...routeHosts, ...model.additionalHosts.filter(h => !routeHosts.includes(h))];
    for (const host of hosts) {
      // Istio reads a short host (no dot) as `<host>.<namespace>.svc.cluster.local`, at a gateway too.
      const requestHost = host === '*' ? 'models.example.com' : !host.includes('.') && !mesh ? `${host}.${ns}.svc.cluster.local` : host.replace(/^\*/, 'any');
      for (const flavour of flavours) {
        const base: Call = { path: flavour.path, host: requestHost, headers: flavour.headers };
        // Calls that should each land somewhere: a plain one, one per match, one per sticky arm.
        const calls: Array<{ what: string; call: Call }> = [{ what: `${flavour.what} default`, call: base }];
        model.routes.forEach(route => route.matches.forEach((m, i) => {
          const call = satisfying(m, base, mesh);
          if (call) calls.push({ what: `${flavour.what} route ${route.name} match ${i}`, call });
        }));
        if (model.stickyCookie) {
          for (const v of model.variants) {
            // A browser's Cookie header: our cookie among others, each after "; ".
            calls.push({ what: `${flavour.what} sticky ${v.name}`, call: { ...base, headers: { ...base.headers, cookie: `session=f3a9; ${model.stickyCookie}=${v.name}; theme=dark` } } });
          }
        }
        for (const { what, call } of calls) {
          const target = intendedTarget(model, call);
          probes.push({
            what: `${gatewayRef} ${host} ${what}`,
            request: {
              gateway: gatewayRef,
              host: call.host,
              port: mesh ? flavour.meshPort : 80,
              path: call.path,
              headers: call.headers,
              sourceLabels: call.sourceLabels,
              sourceNamespace: ns,
            },
            expected: target ? { [target]: 1 } : weights,
            mirrors,
          });
        }
      }
    }
  }
  return probes;
}

/** The route the intent picks for a call: the first match route that holds, then sticky arms, else the weights. */
function intendedTarget(model: EndpointModel, call: Call): string | undefined {
  for (const route of model.routes) if (route.matches.some(m => holds(m, call))) return route.target;
  if (model.stickyCookie) {
    // A user who carries the cookie (RFC 6265: `name=value` pairs separated by `; `) stays on its arm.
    const cookies = (call.headers.cookie ?? '').split(';').map(c => c.trim());
    const arm = model.variants.find(v => cookies.includes(`${model.stickyCookie}=${v.name}`));
    if (arm) return arm.name;
  }
  return undefined;
}

function holds(m: HttpMatch, call: Call): boolean {
  if (m.uri && !stringHolds(m.uri, call.path)) return false;
  if (m.authority && !stringHolds(m.authority, call.host)) return false;
  for (const [k, v] of Object.entries(m.headers ?? {})) if (!stringHolds(v, call.headers[k])) return false;
  for (const [k, v] of Object.entries(m.sourceLabels ?? {})) if (call.sourceLabels?.[k] !== v) return false;
  return true;
}

function stringHolds(m: StringMatch, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (m.type === 'exact') return value === m.value;
  if (m.type === 'prefix') return value.startsWith(m.value);
  return RE2JS.compile(m.value).matches(value);
}

/** A call that meets every condition of `m`, or undefined when none can be built. */
function satisfying(m: HttpMatch, base: Call, mesh: boolean): Call | undefined {
  if (m.sourceLabels && !mesh) return undefined;
  // In the mesh a client calls the Service by its name: another authority is not a call it can make.
  if (m.authority && mesh) return undefined;
  const sample = (s: StringMatch, current?: string): string | undefined => {
    if (s.type === 'exact') return s.value;
    if (s.type === 'prefix') return current?.startsWith(s.value) ? current : `${s.value}x`;
    return [current, 'beta', 'b', 'v2', 'x', ''].find(c => c !== undefined && RE2JS.compile(s.value).matches(c));
  };
  const headers = { ...base.headers };
  for (const [k, v] of Object.entries(m.headers ?? {})) {
    const value = sample(v, headers[k]);
    if (value === undefined) return undefined;
    headers[k] = value;
  }
  const path = m.uri ? sample(m.uri, base.path) : base.path;
  const host = m.authority ? sample(m.authority, base.host) : base.host;
  if (path === undefined || host === undefined) return undefined;
  return { path, host, headers, sourceLabels: m.sourceLabels };
}

function shares(destinations: Array<{ subset?: string; probability: number }>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of destinations) out[d.subset ?? '*'] = (out[d.subset ?? '*'] ?? 0) + d.probability;
  return out;
}

function sameShares(a: Record<string, number>, b: Record<string, number>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every(k => Math.abs((a[k] ?? 0) - (b[k] ?? 0)) < 1e-9);
}
