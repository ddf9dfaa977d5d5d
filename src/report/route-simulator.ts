import { App } from 'cdk8s';
import { RE2JS } from 're2js';
import { operatorObjects, OperatorObjects } from '../seldon/operator';

/*
 * A route simulator: where Istio sends one request, read from synthesized manifests.
 *
 * The semantics follow Istio's translation of VirtualServices to Envoy routes and Envoy's own
 * matching, from istio/istio (master of 2026-08, same code paths as release-1.30):
 * - pilot/pkg/networking/core/route/route.go: `TranslateRouteMatch` (uri exact → path, prefix →
 *   prefix, regex → safe_regex; headers, method and authority are header matchers; a header
 *   regex of `*` or an empty match means "present"), `applyHTTPRouteDestination` (rewrite.uri →
 *   prefix_rewrite, zero-weight destinations dropped when there are several, the mesh's default
 *   retry policy when a route has none), `GetDestinationCluster` (a destination without port
 *   takes the Service's only port, else the listener's port), `MirrorPercent` and
 *   `MirrorPercentByPolicy` (no percentage = 100 %, an explicit 0 = no mirror);
 * - pilot/pkg/networking/core/route/retry/retry.go: the default retry policy (2 attempts on
 *   connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes);
 * - pkg/config/host/name.go `Name.Matches`: wildcard hosts match by suffix;
 * - Envoy: routes are tried in order and the first match wins; the conditions of one match are
 *   ANDed, several matches of a route are ORed; header names are lower-case; `safe_regex` is
 *   RE2 and must match the whole value (the path without its query string), so patterns run
 *   here on an RE2 implementation (re2js), not on JavaScript's RegExp.
 * For SeldonDeployments, the Services, pods, VirtualService and DestinationRules the Seldon
 * operator creates come from the one model of the operator (seldon/operator.ts).
 */

/** A request to simulate. */
export interface SimulatedRequest {
  /**
   * Where the request enters the mesh: a gateway as `<namespace>/<name>`, or `mesh` for a call
   * from a pod with a sidecar.
   * @default 'mesh'
   */
  readonly gateway?: string;

  /** The Host (authority) header, e.g. `models.example.com` or `iris.models:8000`. */
  readonly host: string;

  /**
   * The port the request arrives on: the gateway server's port, or the Service port the caller dialled.
   * @default the port in `host`, else 80
   */
  readonly port?: number;

  /**
   * HTTP method.
   * @default 'POST'
   */
  readonly method?: string;

  /**
   * Path, with its query string if any.
   * @default '/'
   */
  readonly path?: string;

  /**
   * Request headers (any case; HTTP header names are case-insensitive), e.g. `{ cookie: 'session=1; arm=b' }`.
   * @default none
   */
  readonly headers?: { [name: string]: string };

  /**
   * Labels of the calling pod (mesh requests only).
   * @default none
   */
  readonly sourceLabels?: { [key: string]: string };

  /**
   * Namespace of the calling pod (mesh requests only); short host names are resolved in it.
   * @default 'default'
   */
  readonly sourceNamespace?: string;
}

/** How a simulated request ends. */
export enum SimulationOutcome {
  /** Sent to one or more destinations (some of them may still fail: see each destination). */
  ROUTED = 'ROUTED',
  /** 404: no VirtualService for the host at that gateway, or no route of it matches. */
  NOT_FOUND = 'NOT_FOUND',
  /** 503: every destination the request can reach is missing (no Service, port, subset or pod). */
  UNAVAILABLE = 'UNAVAILABLE',
  /** Answered by the route itself (`directResponse`). */
  DIRECT_RESPONSE = 'DIRECT_RESPONSE',
  /** Redirected (`redirect`). */
  REDIRECT = 'REDIRECT',
}

/** One place a request (or a mirrored copy) can go. */
export interface SimulatedDestination {
  /** The Service's fully qualified host. */
  readonly host: string;
  /**
   * The Service port the request goes to.
   * @default none: the host is not a Service the manifests define
   */
  readonly port?: number;
  /**
   * The DestinationRule subset.
   * @default none: every pod of the Service
   */
  readonly subset?: string;
  /** Share of the route's requests sent (or mirrored) there, 0 to 1. */
  readonly probability: number;
  /** The pods that serve it: one entry per workload, its kind, namespace/name and pod labels. */
  readonly workloads: SimulatedWorkload[];
  /**
   * Why requests sent there fail with 503 (no Service, no such port, no such subset, no pod).
   * @default none: they are served
   */
  readonly failure?: string;
  /**
   * Response headers set when this destination answers (`headers.response.set` of the route and of
   * the destination; for one header set at both, the destination's value when it is the route's
   * only live destination, else the route's, as Istio and Envoy apply them).
   * @default none
   */
  readonly responseHeadersSet?: { [name: string]: string };
  /**
   * Response headers added when this destination answers (`headers.response.add`).
   * @default none
   */
  readonly responseHeadersAdded?: { [name: string]: string };
}

/** A workload whose pods serve a destination. */
export interface SimulatedWorkload {
  /** `<Kind> <namespace>/<name>`, or `SeldonDeployment <namespace>/<name> predictor <p>` for the operator's pods. */
  readonly name: string;
  /** The labels of its pods. */
  readonly podLabels: { [key: string]: string };
}

/** The retry policy in force on the matched route. */
export interface SimulatedRetries {
  /** Retries after the first try. */
  readonly attempts: number;
  /**
   * Timeout of each try.
   * @default none: the route's timeout
   */
  readonly perTryTimeout?: string;
  /**
   * Conditions that trigger a retry.
   * @default none
   */
  readonly retryOn?: string;
  /** True when the route sets no retries and Istio's mesh default applies. */
  readonly meshDefault: boolean;
}

/** Where a request goes, or why it does not. */
export interface SimulationResult {
  /** How the request ends. */
  readonly outcome: SimulationOutcome;
  /** Why, in words (which VirtualService and route, or what is missing). */
  readonly reason: string;
  /**
   * The HTTP status the client sees when the route decides it (404, 503, a direct response or a redirect).
   * @default none: the backend answers
   */
  readonly status?: number;
  /**
   * `<namespace>/<name>` of the VirtualService that routed it (` (Seldon operator)` for the operator's).
   * @default none
   */
  readonly virtualService?: string;
  /**
   * The route that matched: its name, or `#<index>`.
   * @default none
   */
  readonly route?: string;
  /** Live destinations with their probabilities (they add up to 1 when routed). */
  readonly destinations: SimulatedDestination[];
  /** Mirrors: a copy of the request goes to each with its probability; the answer is dropped. */
  readonly mirrors: SimulatedDestination[];
  /**
   * The path the destination receives (after `rewrite`).
   * @default none: not routed
   */
  readonly path?: string;
  /**
   * The authority the destination receives, when the route rewrites it.
   * @default unchanged
   */
  readonly authority?: string;
  /**
   * The retry policy in force.
   * @default none: not routed
   */
  readonly retries?: SimulatedRetries;
  /**
   * The route's timeout.
   * @default none: Istio's default (no timeout)
   */
  readonly timeout?: string;
  /** Assumptions the simulator made (e.g. a gateway the manifests do not define). */
  readonly notes: string[];
}

/** Options of a route simulator. */
export interface RouteSimulatorOptions {
  /**
   * Whether the Seldon operator runs with its Istio support on (`istio.enabled=true`) for
   * SeldonDeployments that no VirtualService of the manifests routes to, so that it writes
   * their VirtualService and DestinationRules.
   * @default true
   */
  readonly seldonOperatorIstio?: boolean;
}

interface Workload { readonly namespace: string; readonly name: string; readonly labels: Record<string, string> }
interface Service { readonly namespace: string; readonly ports: number[]; readonly selector?: Record<string, string> }
interface Gateway { readonly namespace: string; readonly name: string; readonly servers: Array<{ port: number; hosts: string[] }> }
interface VirtualService { readonly id: string; readonly namespace: string; readonly spec: any }

const MESH = 'mesh';
/** `retry.go`: the default retry policy of Istio's mesh config. */
const MESH_DEFAULT_RETRIES: SimulatedRetries = { attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', meshDefault: true };
/** Servers assumed for a gateway the manifests refer to but do not define (Seldon's documented gateway). */
const ASSUMED_SERVERS = [{ port: 80, hosts: ['*'] }, { port: 443, hosts: ['*'] }];

/**
 * Simulates where Istio sends requests, from synthesized manifests: VirtualServices,
 * DestinationRules, Gateways, Services, ServiceEntries, workloads (Deployments, StatefulSets,
 * pods) and SeldonDeployments, for which it adds what the Seldon operator creates.
 */
export class RouteSimulator {
  /** A simulator over the manifests an app synthesizes. */
  public static fromApp(app: App, options: RouteSimulatorOptions = {}): RouteSimulator {
    return RouteSimulator.fromManifests(app.charts.flatMap(chart => chart.toJson()), options);
  }

  /** A simulator over parsed manifests (e.g. every document of the YAML files in `dist/`). */
  public static fromManifests(manifests: any[], options: RouteSimulatorOptions = {}): RouteSimulator {
    return new RouteSimulator(manifests.filter(m => typeof m?.kind === 'string'), options);
  }

  private readonly virtualServices: VirtualService[] = [];
  private readonly destinationRules: Array<{ host: string; spec: any }> = [];
  private readonly gateways = new Map<string, Gateway>();
  private readonly services = new Map<string, Service>();
  private readonly workloads: Workload[] = [];

  private constructor(manifests: any[], options: RouteSimulatorOptions) {
    const ns = (m: any): string => m.metadata?.namespace ?? 'default';
    const istio = (m: any, kind: string) => m.kind === kind && String(m.apiVersion).startsWith('networking.istio.io/');
    const addVirtualService = (m: any, suffix = '') => this.virtualServices.push({ id: `${ns(m)}/${m.metadata?.name}${suffix}`, namespace: ns(m), spec: m.spec ?? {} });
    const addDestinationRule = (m: any) => this.destinationRules.push({ host: fqdn(m.spec?.host ?? '', ns(m)), spec: m.spec ?? {} });
    // A Service without a name (a broken document in dist/) is skipped: nothing can address it.
    const addService = (m: any) => {
      if (typeof m.metadata?.name !== 'string') return;
      const ports: number[] = (m.spec?.ports ?? []).map((p: any) => p.port);
      this.services.set(fqdn(m.metadata.name, ns(m)), { namespace: ns(m), ports, selector: m.spec?.selector });
    };
    const seldon: OperatorObjects[] = [];
    for (const m of manifests) {
      if (istio(m, 'VirtualService')) {addVirtualService(m);} else if (istio(m, 'DestinationRule')) {addDestinationRule(m);} else if (istio(m, 'Gateway')) {
        this.gateways.set(`${ns(m)}/${m.metadata?.name}`, {
          namespace: ns(m),
          name: m.metadata?.name,
          servers: (m.spec?.servers ?? []).map((s: any) => ({ port: s.port?.number, hosts: s.hosts ?? [] })),
        });
      } else if (istio(m, 'ServiceEntry')) {
        for (const h of m.spec?.hosts ?? []) this.services.set(h, { namespace: ns(m), ports: (m.spec?.ports ?? []).map((p: any) => p.number) });
      } else if (m.kind === 'Service' && m.apiVersion === 'v1') {addService(m);} else if (m.kind === 'Pod' && m.apiVersion === 'v1') {this.workloads.push({ namespace: ns(m), name: `Pod ${ns(m)}/${m.metadata?.name}`, labels: m.metadata?.labels ?? {} });} else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(m.kind) && String(m.apiVersion).startsWith('apps/')) {
        this.workloads.push({ namespace: ns(m), name: `${m.kind} ${ns(m)}/${m.metadata?.name}`, labels: m.spec?.template?.metadata?.labels ?? {} });
      } else if (m.kind === 'SeldonDeployment' && String(m.apiVersion).startsWith('machinelearning.seldon.io/')) {seldon.push(operatorObjects(m));}
    }
    // The operator always creates the predictors' Services and pods; its Istio objects only when
    // its Istio support is on, which explicit routing to the predictors rules out.
    const routedHosts = new Set(this.virtualServices.flatMap(vs => destinationsOf(vs.spec).map(d => fqdn(d.host ?? '', vs.namespace))));
    for (const sdep of seldon) {
      sdep.services.forEach(addService);
      for (const p of sdep.predictors) {
        this.workloads.push({ namespace: sdep.namespace, name: `SeldonDeployment ${sdep.namespace}/${sdep.name} predictor ${p.name}`, labels: p.podLabels });
      }
      const explicit = sdep.predictors.some(p => routedHosts.has(p.host));
      if ((options.seldonOperatorIstio ?? true) && !explicit) {
        addVirtualService(sdep.virtualService, ' (Seldon operator)');
        sdep.destinationRules.forEach(addDestinationRule);
      }
    }
  }

  /** Where `request` goes. */
  public simulate(request: SimulatedRequest): SimulationResult {
    const notes: string[] = [];
    const gatewayRef = request.gateway ?? MESH;
    const [hostOnly, hostPort] = splitHostPort(request.host.toLowerCase());
    const port = request.port ?? hostPort ?? 80;
    const path = request.path ?? '/';
    const headers = lowerCaseKeys(request.headers ?? {});
    const fail = (outcome: SimulationOutcome, status: number, reason: string): SimulationResult =>
      ({ outcome, status, reason, destinations: [], mirrors: [], notes });

    // 1. Which VirtualServices apply: bound to this gateway (and its server), with a host that covers the request's.
    let candidates: VirtualService[];
    let requestHost: string;
    if (gatewayRef === MESH) {
      requestHost = fqdn(hostOnly, request.sourceNamespace ?? 'default', true);
      candidates = this.virtualServices.filter(vs => (vs.spec.gateways ?? [MESH]).includes(MESH));
    } else {
      requestHost = hostOnly;
      const gateway = this.gateways.get(gatewayRef);
      if (!gateway) notes.push(`gateway ${gatewayRef} is not in the manifests: assumed to have servers on ports 80 and 443 for hosts '*'`);
      const servers = (gateway?.servers ?? ASSUMED_SERVERS).filter(s => s.port === port && s.hosts.some(h => serverHostMatches(h, requestHost)));
      if (servers.length === 0) return fail(SimulationOutcome.NOT_FOUND, 404, `gateway ${gatewayRef} has no server on port ${port} for host ${requestHost}`);
      candidates = this.virtualServices.filter(vs => (vs.spec.gateways ?? [MESH]).some((g: string) => gatewayKey(g, vs.namespace) === gatewayRef)
        && (vs.spec.hosts ?? []).some((h: string) => servers.some(s => s.hosts.some(sh => serverHostBinds(sh, h, vs.namespace, gatewayRef.split('/')[0])))));
    }
    // Envoy picks the virtual host by domain: an exact host before wildcards, the longest wildcard first.
    const specificity = (vs: VirtualService): number => Math.max(-1, ...(vs.spec.hosts ?? [])
      .map((h: string) => fqdn(h, vs.namespace, gatewayRef === MESH))
      .filter((h: string) => hostMatches(h, requestHost))
      .map((h: string) => h.startsWith('*') ? h.length : 10_000));
    const best = Math.max(-1, ...candidates.map(specificity));
    let bound = best < 0 ? [] : candidates.filter(vs => specificity(vs) === best);
    // A gateway merges the routes of every VirtualService of the host (in creation order: here,
    // manifest order). A sidecar uses one VirtualService per host (istioctl analyze IST0109).
    if (gatewayRef === MESH && bound.length > 1) {
      notes.push(`${bound.map(vs => vs.id).join(' and ')} claim the host ${requestHost} in the mesh: Istio uses one of them (IST0109); simulated with the first`);
      bound = bound.slice(0, 1);
    }

    if (bound.length === 0) {
      if (gatewayRef !== MESH) return fail(SimulationOutcome.NOT_FOUND, 404, `no VirtualService bound to gateway ${gatewayRef} has host ${requestHost}`);
      // In the mesh, a Service without a VirtualService gets Istio's default route to all its pods.
      const destination = this.destination({ host: requestHost }, 'default', port, 1);
      return this.routed({
        reason: `no VirtualService for ${requestHost}: Istio's default route to the Service`,
        destinations: [destination],
        mirrors: [],
        path,
        retries: MESH_DEFAULT_RETRIES,
        notes,
      });
    }

    // 2. The first route whose matches hold (any match; every condition of a match).
    const ctx: MatchContext = { gateway: gatewayRef, port, method: (request.method ?? 'POST').toUpperCase(), path, authority: request.host, headers, sourceLabels: request.sourceLabels, sourceNamespace: request.sourceNamespace };
    for (const vs of bound) {
      const routes: any[] = vs.spec.http ?? [];
      for (let index = 0; index < routes.length; index++) {
        const route = routes[index];
        const matches: any[] = route.match ?? [];
        const matched = matches.length === 0 ? {} : matches.find(m => matchHolds(m, ctx, vs.namespace));
        if (!matched) continue;
        return this.follow(vs, route, index, matched, ctx, notes);
      }
    }
    return fail(SimulationOutcome.NOT_FOUND, 404, `no route of ${bound.map(vs => vs.id).join(', ')} matches ${ctx.method} ${path}`);
  }

  private follow(vs: VirtualService, route: any, index: number, matched: any, ctx: MatchContext, notes: string[]): SimulationResult {
    const where = { virtualService: vs.id, route: route.name ?? `#${index}` };
    const listenerPort = ctx.port;
    if (route.directResponse) {
      return { outcome: SimulationOutcome.DIRECT_RESPONSE, status: route.directResponse.status, reason: `${vs.id} route ${where.route} answers directly`, ...where, destinations: [], mirrors: [], notes };
    }
    if (route.redirect) {
      return { outcome: SimulationOutcome.REDIRECT, status: route.redirect.redirectCode ?? 301, reason: `${vs.id} route ${where.route} redirects`, ...where, destinations: [], mirrors: [], notes };
    }
    // applyHTTPRouteDestination: several destinations drop those of weight 0; one takes everything.
    const all: any[] = route.route ?? [];
    const live = all.length === 1 ? all : all.filter(d => (d.weight ?? 0) > 0);
    const total = all.length === 1 ? 1 : live.reduce((sum, d) => sum + (d.weight ?? 0), 0);
    const routeSet = route.headers?.response?.set;
    const routeAdd = route.headers?.response?.add;
    const share = (d: any) => all.length === 1 ? 1 : (d.weight ?? 0) / total;
    // Which `set` wins when the route and a destination set one header: with one live destination
    // Istio appends the destination's operations after the route's (one parser, the later set
    // wins); with several, each is a weighted cluster whose headers Envoy applies before the
    // route's, so the route's value wins.
    const oneCluster = live.length === 1;
    const destinations = live.map(d => this.destination(d.destination ?? {}, vs.namespace, listenerPort, share(d), {
      set: oneCluster ? mergeHeaders(routeSet, d.headers?.response?.set) : mergeHeaders(d.headers?.response?.set, routeSet),
      add: mergeHeaders(routeAdd, d.headers?.response?.add),
    }));
    const mirrors: SimulatedDestination[] = [];
    if (route.mirror) {
      const pct = route.mirrorPercentage ? route.mirrorPercentage.value ?? 0 : 100;
      if (pct > 0) mirrors.push(this.destination(route.mirror, vs.namespace, listenerPort, pct / 100));
    }
    for (const m of route.mirrors ?? []) {
      const pct = m.percentage ? m.percentage.value ?? 0 : 100;
      if (pct > 0 && m.destination) mirrors.push(this.destination(m.destination, vs.namespace, listenerPort, pct / 100));
    }
    const retries: SimulatedRetries = route.retries
      ? { attempts: route.retries.attempts ?? 0, perTryTimeout: route.retries.perTryTimeout, retryOn: route.retries.retryOn, meshDefault: false }
      : MESH_DEFAULT_RETRIES;
    return this.routed({
      reason: `${vs.id} route ${where.route}`,
      ...where,
      destinations,
      mirrors,
      path: rewritePath(ctx.path, matched, route.rewrite),
      authority: route.rewrite?.authority,
      retries,
      timeout: route.timeout,
      notes,
    });
  }

  private routed(r: Omit<SimulationResult, 'outcome'>): SimulationResult {
    const failing = r.destinations.filter(d => d.failure);
    if (r.destinations.length > 0 && failing.length === r.destinations.length) {
      return { ...r, outcome: SimulationOutcome.UNAVAILABLE, status: 503, reason: `${r.reason}: ${failing.map(d => d.failure).join('; ')}` };
    }
    if (r.destinations.length === 0) return { ...r, outcome: SimulationOutcome.UNAVAILABLE, status: 503, reason: `${r.reason}: no destination with a weight above 0` };
    return { ...r, outcome: SimulationOutcome.ROUTED };
  }

  /** A destination resolved to its Service port, subset and pods (`GetDestinationCluster`). */
  private destination(dest: any, namespace: string, listenerPort: number, probability: number,
    responseHeaders: { set?: Record<string, string>; add?: Record<string, string> } = {}): SimulatedDestination {
    const host = fqdn(dest.host ?? '', namespace);
    const base = {
      host,
      subset: dest.subset,
      probability,
      ...(responseHeaders.set ? { responseHeadersSet: responseHeaders.set } : {}),
      ...(responseHeaders.add ? { responseHeadersAdded: responseHeaders.add } : {}),
    };
    const service = this.services.get(host);
    const port: number = dest.port?.number ?? (service?.ports.length === 1 ? service.ports[0] : listenerPort);
    const cluster = `outbound|${port}|${dest.subset ?? ''}|${host}`;
    if (!service) return { ...base, workloads: [], failure: `no Service or ServiceEntry for ${host} (no cluster ${cluster})` };
    if (!service.ports.includes(port)) {
      return {
        ...base,
        port,
        workloads: [],
        failure: `${host} has no port ${port} (ports ${service.ports.join(', ')})${dest.port ? '' : `: the destination names no port, so it takes the listener's port ${listenerPort}`}; no cluster ${cluster}`,
      };
    }
    let selector: Record<string, string> | undefined = service.selector;
    if (dest.subset) {
      const rule = this.destinationRules.find(dr => dr.host === host);
      const subset = (rule?.spec.subsets ?? []).find((s: any) => s.name === dest.subset);
      if (!subset) return { ...base, port, workloads: [], failure: `subset ${dest.subset} of ${host} is defined by no DestinationRule (no cluster ${cluster})` };
      selector = { ...(selector ?? {}), ...(subset.labels ?? {}) };
    }
    if (!selector) return { ...base, port, workloads: [] }; // a ServiceEntry: endpoints outside the manifests
    const workloads = this.workloads
      .filter(w => w.namespace === service.namespace && Object.entries(selector!).every(([k, v]) => w.labels[k] === v))
      .map(w => ({ name: w.name, podLabels: w.labels }));
    if (workloads.length === 0) return { ...base, port, workloads, failure: `no pod of the manifests has the labels ${JSON.stringify(selector)} (no healthy upstream)` };
    return { ...base, port, workloads };
  }
}

interface MatchContext {
  readonly gateway: string;
  readonly port: number;
  readonly method: string;
  readonly path: string;
  readonly authority: string;
  readonly headers: Record<string, string>;
  readonly sourceLabels?: Record<string, string>;
  readonly sourceNamespace?: string;
}

/** One HTTPMatchRequest: every condition it sets must hold (`TranslateRouteMatch`). */
function matchHolds(m: any, ctx: MatchContext, vsNamespace: string): boolean {
  const [pathOnly, query] = splitQuery(ctx.path);
  if (m.uri && !uriMatches(m.uri, ctx.path, pathOnly, m.ignoreUriCase === true)) return false;
  if (m.method && !stringMatches(m.method, ctx.method)) return false;
  if (m.authority && !stringMatches(m.authority, ctx.authority)) return false;
  for (const [name, sm] of Object.entries<any>(m.headers ?? {})) {
    // Envoy lower-cases the configured name too (HeaderUtility::HeaderData's LowerCaseString name_).
    if (!stringMatches(sm, ctx.headers[name.toLowerCase()])) return false;
  }
  for (const [name, sm] of Object.entries<any>(m.withoutHeaders ?? {})) {
    const value = ctx.headers[name.toLowerCase()];
    if (isPresentMatch(sm) ? value !== undefined : stringMatches(sm, value ?? '')) return false;
  }
  for (const [name, sm] of Object.entries<any>(m.queryParams ?? {})) if (!stringMatches(sm, query.get(name))) return false;
  if (m.port !== undefined && m.port !== ctx.port) return false;
  if (m.gateways && !m.gateways.some((g: string) => gatewayKey(g, vsNamespace) === ctx.gateway)) return false;
  // sourceLabels and sourceNamespace describe the calling sidecar; at a gateway the caller is the gateway itself.
  const callerHas = (labels: Record<string, string>) => Object.entries(labels).every(([k, v]) => ctx.sourceLabels?.[k] === v);
  if (m.sourceLabels && (ctx.gateway !== MESH || !callerHas(m.sourceLabels))) return false;
  if (m.sourceNamespace && (ctx.gateway !== MESH || m.sourceNamespace !== (ctx.sourceNamespace ?? 'default'))) return false;
  return true;
}

function uriMatches(sm: any, fullPath: string, pathOnly: string, ignoreCase: boolean): boolean {
  const fold = (s: string) => ignoreCase ? s.toLowerCase() : s;
  // Envoy: `path` and `safe_regex` compare the path without its query string; `prefix` the whole :path.
  if (sm.exact !== undefined) return fold(pathOnly) === fold(sm.exact);
  if (sm.prefix !== undefined) return fold(fullPath).startsWith(fold(sm.prefix));
  if (sm.regex !== undefined) return re2FullMatch(sm.regex, pathOnly, ignoreCase);
  return true;
}

/** `canBeConvertedToPresentMatch`: an empty match or the regex `*` only asks that the header be present. */
function isPresentMatch(sm: any): boolean {
  return !sm || (sm.exact === undefined && sm.prefix === undefined && sm.regex === undefined) || sm.regex === '*';
}

/** An Istio StringMatch on a header or query value; a missing value never matches. */
function stringMatches(sm: any, value: string | undefined): boolean {
  if (value === undefined) return false;
  if (isPresentMatch(sm)) return true;
  if (sm.exact !== undefined) return value === sm.exact;
  if (sm.prefix !== undefined) return value.startsWith(sm.prefix);
  return re2FullMatch(sm.regex, value, false);
}

const compiled = new Map<string, RE2JS>();
/** RE2 full match, as Envoy's safe_regex (google_re2) runs it. A pattern RE2 refuses never matches. */
function re2FullMatch(pattern: string, value: string, ignoreCase: boolean): boolean {
  const key = `${ignoreCase ? 'i' : 'c'}:${pattern}`;
  let re = compiled.get(key);
  if (!re) {
    try {
      re = RE2JS.compile(pattern, ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
    } catch {
      return false;
    }
    compiled.set(key, re);
  }
  return re.matches(value);
}

/** The path the destination receives: `rewrite.uri` replaces the matched prefix, or the whole path. */
function rewritePath(path: string, matched: any, rewrite: any): string {
  if (!rewrite) return path;
  if (rewrite.uriRegexRewrite) {
    const [pathOnly, query] = splitQueryRaw(path);
    // Envoy's substitution refers to groups as \1; re2js as $1.
    const replacement = String(rewrite.uriRegexRewrite.rewrite ?? '').replace(/\\(\d)/g, '$$$1');
    return RE2JS.compile(rewrite.uriRegexRewrite.match).matcher(pathOnly).replaceAll(replacement) + query;
  }
  if (rewrite.uri === undefined) return path;
  const prefix = matched.uri?.prefix;
  if (prefix !== undefined) return rewrite.uri + path.slice(prefix.length);
  if (matched.uri === undefined) return rewrite.uri + path.slice(1); // the default match is the prefix '/'
  const [, query] = splitQueryRaw(path);
  return rewrite.uri + query;
}

function destinationsOf(spec: any): any[] {
  return (spec.http ?? []).flatMap((r: any) => [
    ...(r.route ?? []).map((d: any) => d.destination ?? {}),
    ...(r.mirror ? [r.mirror] : []),
    ...(r.mirrors ?? []).map((m: any) => m.destination ?? {}),
  ]);
}

function mergeHeaders(a?: Record<string, string>, b?: Record<string, string>): Record<string, string> | undefined {
  return a || b ? { ...(a ?? {}), ...(b ?? {}) } : undefined;
}

/**
 * A host as Istio resolves it in `namespace`: short names (no dot) are `<name>.<namespace>.svc.cluster.local`.
 * A caller in the mesh also reaches `<name>.<namespace>` and `<name>.<namespace>.svc` through DNS search domains.
 */
function fqdn(name: string, namespace: string, dnsSearch = false): string {
  // Envoy matches domains case-insensitively.
  const host = name.toLowerCase();
  if (host.includes('*') || host === '') return host;
  if (!host.includes('.')) return `${host}.${namespace}.svc.cluster.local`;
  if (dnsSearch && /^[^.]+\.[^.]+$/.test(host)) return `${host}.svc.cluster.local`;
  if (dnsSearch && host.endsWith('.svc')) return `${host}.cluster.local`;
  return host;
}

/** `host.Name.Matches` for a concrete request host: `*` matches all, `*.x` any host ending in `.x`. */
function hostMatches(pattern: string, host: string): boolean {
  // `*` is the wildcard with an empty suffix.
  if (pattern.startsWith('*')) return host.endsWith(pattern.slice(1));
  return pattern === host;
}

/** A Gateway server host (`[namespace/]host`) accepts the request host. */
function serverHostMatches(serverHost: string, host: string): boolean {
  const h = (serverHost.includes('/') ? serverHost.split('/')[1] : serverHost).toLowerCase();
  return hostMatches(h, host);
}

/** A VirtualService host in `vsNamespace` binds to a server host (`[namespace/]host`, `*` or `.` namespaces). */
function serverHostBinds(serverHost: string, vsHost: string, vsNamespace: string, gatewayNamespace: string): boolean {
  const [ns, h] = serverHost.includes('/') ? serverHost.split('/') : ['*', serverHost];
  // `*/host` admits every namespace, `./host` the gateway's own, `ns/host` that one.
  const admitted = ns === '*' || (ns === '.' ? vsNamespace === gatewayNamespace : ns === vsNamespace);
  if (!admitted) return false;
  // Either covers the other (`*` covers every host).
  return hostMatches(h, vsHost) || hostMatches(vsHost, h);
}

/** A VirtualService's gateway reference as `<namespace>/<name>`: a bare name is in the VirtualService's namespace. */
function gatewayKey(ref: string, namespace: string): string {
  if (ref === MESH) return MESH;
  return ref.includes('/') ? ref : `${namespace}/${ref}`;
}

function splitHostPort(host: string): [string, number | undefined] {
  const m = /^(.*):(\d+)$/.exec(host);
  return m ? [m[1], Number(m[2])] : [host, undefined];
}

function splitQueryRaw(path: string): [string, string] {
  const i = path.indexOf('?');
  return i < 0 ? [path, ''] : [path.slice(0, i), path.slice(i)];
}

function splitQuery(path: string): [string, Map<string, string>] {
  const [p, q] = splitQueryRaw(path);
  const params = new Map<string, string>();
  for (const pair of q.replace(/^\?/, '').split('&').filter(s => s !== '')) {
    const [k, ...v] = pair.split('=');
    params.set(decodeURIComponent(k), decodeURIComponent(v.join('=')));
  }
  return [p, params];
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}
