/**
 * Cross-resource rules (istioctl analyze style), run at synth over the whole app.
 *
 * Each Istio or Seldon construct registers a view of what it will write; each rule reads the
 * views of the whole app and reports its findings on the construct at fault, so the error
 * carries that construct's path. The index of views is built once per synth (it is rebuilt
 * only when a construct is added or changed), so checking N objects costs O(N).
 */
import { IConstruct } from 'constructs';
import { IST0101_GATEWAY, IST0101_SUBSET, XRS_DESTINATION_RULE_HOST, XRS_HOST_CLAIM, XRS_OPERATOR_NAMES, XRS_SAME_NAME } from './catalogue';
import { appConstructs, bumpGeneration, generationOf } from '../core/app-generation';
import { registerValidation, show } from '../core/validation';
import { operatorRouteMatches, SELDON_DEFAULT_GATEWAY } from '../seldon/operator';

/** A gateway reference as a VirtualService or SeldonDeployment holds it. @internal */
export interface GatewayRefView {
  /** `<ns>/<name>`, `<name>` or `mesh`. */
  readonly ref: string;
  /** The Gateway construct referred to, when it is one (undefined: `Gateway.fromName`, declared external). */
  readonly construct?: IConstruct;
}

/** One HTTP route: its match conditions in canonical form and its destinations. @internal */
export interface RouteView {
  readonly name: string;
  /** Canonical match blocks (`*` for a route without match). */
  readonly matchKeys: string[];
  readonly destinations: Array<{ readonly host: string; readonly subset?: string }>;
}

/** @internal */
export type ResourceView =
  | { readonly kind: 'Gateway'; readonly namespace: string; readonly name: string }
  | { readonly kind: 'VirtualService'; readonly namespace: string; readonly name: string; readonly hosts: string[]; readonly gateways: GatewayRefView[]; readonly routes: RouteView[] }
  | { readonly kind: 'DestinationRule'; readonly namespace: string; readonly name: string; readonly host: string; readonly subsets: string[] }
  | {
    readonly kind: 'SeldonDeployment';
    readonly namespace: string;
    readonly name: string;
    /** True when the Seldon operator writes its VirtualService and DestinationRules (Seldon-managed). */
    readonly operatorRoutes: boolean;
    readonly gateway?: GatewayRefView;
    readonly hosts: string[];
    readonly predictors: Array<{ readonly name: string; readonly host: string }>;
  };

interface Registered { readonly construct: IConstruct; readonly view: () => ResourceView }
interface AppState { readonly resources: Registered[]; index?: { generation: number; value: Index } }

const APPS = new WeakMap<IConstruct, AppState>();

function stateOf(scope: IConstruct): AppState {
  const root = scope.node.root;
  let state = APPS.get(root);
  if (!state) {
    state = { resources: [] };
    APPS.set(root, state);
  }
  return state;
}

/** Registers `construct`'s view with the app's cross-resource rules, and checks it at synth. @internal */
export function registerResource(construct: IConstruct, view: () => ResourceView): void {
  const state = stateOf(construct);
  state.resources.push({ construct, view });
  // Part of the app's one validation pass, reported after the construct's own problems.
  registerValidation(construct, () => crossResourceProblems(construct));
}

/** Tells the rules that a registered construct changed (a route, subset or predictor was added). @internal */
export function resourceChanged(construct: IConstruct): void {
  bumpGeneration(construct);
}

/** The fully qualified name of a Service host as seen from `namespace`. @internal */
export function fqdn(host: string, namespace: string): string {
  if (host.includes('*')) return host;
  const parts = host.split('.');
  if (parts.length === 1) return `${host}.${namespace}.svc.cluster.local`;
  if (parts.length === 2) return `${host}.svc.cluster.local`;
  return host;
}

function gatewayKey(ref: string, namespace: string): string {
  return ref === 'mesh' || ref.includes('/') ? ref : `${namespace}/${ref}`;
}

interface Claim { readonly construct?: IConstruct; readonly owner: string; readonly route: string }
interface Index {
  readonly views: Map<IConstruct, ResourceView>;
  readonly gateways: Set<string>;
  /** `<fqdn>` → subsets, from our DestinationRules and the operator's. */
  readonly subsets: Map<string, Set<string>>;
  /** `<ns>/<fqdn>` → owners of a DestinationRule for that host. */
  readonly destinationRules: Map<string, string[]>;
  /** claim key → claims. */
  readonly claims: Map<string, Claim[]>;
  /** A VirtualService → its claim keys with the route of each, in route order (computed once). */
  readonly claimsOf: Map<IConstruct, Array<{ readonly key: string; readonly route: string }>>;
  /** `<ns>/<name>` of every object the Seldon operator creates → the SeldonDeployment. */
  readonly operatorNames: Map<string, string>;
  /** `<kind> <ns>/<name>` → the constructs that write an object of that kind and name. */
  readonly names: Map<string, IConstruct[]>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

function claimKeys(gateways: string[], hosts: string[], namespace: string, match: string): string[] {
  // Sidecars use one VirtualService per host (IST0109): any two claim the host. Gateways merge
  // VirtualServices of one host, so only identical matches fight.
  return gateways.flatMap(g => hosts.map(h => g === 'mesh' ? `mesh|${fqdn(h, namespace)}` : `${g}|${h}|${match}`));
}

/** A canonical key of one match block: same conditions, same key. @internal */
export function matchKey(match: unknown): string {
  return JSON.stringify(canonical(match));
}

/**
 * `v` with every object's keys in one order and undefined members left out. The keys are only
 * compared with each other, so the order is code-unit order (`sort()`), several times cheaper
 * than `localeCompare` on the app's every route.
 */
function canonical(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(canonical);
  if (v === null || typeof v !== 'object') return v;
  const record = v as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(record).sort()) {
    if (record[key] !== undefined) out[key] = canonical(record[key]);
  }
  return out;
}

function buildIndex(state: AppState, scope: IConstruct): Index {
  const index: Index = {
    views: new Map(),
    gateways: new Set(),
    subsets: new Map(),
    destinationRules: new Map(),
    claims: new Map(),
    claimsOf: new Map(),
    operatorNames: new Map(),
    names: new Map(),
  };
  // A construct removed from the tree (`tryRemoveChild`) writes nothing, so it claims nothing.
  const present = new Set(appConstructs(scope));
  for (const { construct, view } of state.resources) if (present.has(construct)) index.views.set(construct, view());
  for (const [construct, v] of index.views) {
    // `node.path` joins the ids of every scope on each read: once per construct.
    const path = construct.node.path;
    push(index.names, `${v.kind} ${v.namespace}/${v.name}`, construct);
    switch (v.kind) {
      case 'Gateway':
        index.gateways.add(`${v.namespace}/${v.name}`);
        break;
      case 'DestinationRule': {
        const host = fqdn(v.host, v.namespace);
        const set = index.subsets.get(host) ?? new Set<string>();
        v.subsets.forEach(s => set.add(s));
        index.subsets.set(host, set);
        push(index.destinationRules, `${v.namespace}/${host}`, path);
        break;
      }
      case 'VirtualService': {
        const gateways = (v.gateways.length > 0 ? v.gateways.map(g => g.ref) : ['mesh']).map(g => gatewayKey(g, v.namespace));
        const own: Array<{ key: string; route: string }> = [];
        for (const route of v.routes) {
          for (const key of new Set(route.matchKeys.flatMap(m => claimKeys(gateways, v.hosts, v.namespace, m)))) {
            push(index.claims, key, { construct, owner: path, route: route.name });
            own.push({ key, route: route.name });
          }
        }
        index.claimsOf.set(construct, own);
        break;
      }
      case 'SeldonDeployment': {
        index.operatorNames.set(`${v.namespace}/${v.name}`, path);
        v.predictors.forEach(p => index.operatorNames.set(`${v.namespace}/${v.name}-${p.name}`, path));
        if (!v.operatorRoutes) break;
        // What the operator writes: one DestinationRule per predictor (subset = predictor name)
        // and one VirtualService with a REST and a gRPC route.
        for (const p of v.predictors) {
          const host = fqdn(p.host, v.namespace);
          index.subsets.set(host, new Set([...(index.subsets.get(host) ?? []), p.name]));
          push(index.destinationRules, `${v.namespace}/${host}`, `${path} (the Seldon operator's DestinationRule ${v.name}-${p.name})`);
        }
        const gateway = gatewayKey(v.gateway?.ref ?? SELDON_DEFAULT_GATEWAY, v.namespace);
        for (const { route, match } of operatorRouteMatches(v.namespace, v.name)) {
          for (const claim of claimKeys([gateway], v.hosts, v.namespace, matchKey(match))) {
            push(index.claims, claim, { owner: `${path} (the Seldon operator's VirtualService ${v.name})`, route });
          }
        }
        break;
      }
    }
  }
  return index;
}

function indexOf(construct: IConstruct): Index {
  const state = stateOf(construct);
  const generation = generationOf(construct);
  if (!state.index || state.index.generation !== generation) {
    state.index = { generation, value: buildIndex(state, construct) };
  }
  return state.index.value;
}

function gatewayProblem(index: Index, ref: GatewayRefView, namespace: string, where: string): string | undefined {
  if (ref.ref === 'mesh' || ref.construct === undefined) return undefined;
  if (index.gateways.has(gatewayKey(ref.ref, namespace))) return undefined;
  return IST0101_GATEWAY.tag(`${where} ${show(ref.ref)} is a Gateway construct of another app: create it in this app, or refer to it with Gateway.fromName(${show(ref.ref)})`);
}

/** The cross-resource problems of one registered construct. @internal */
export function crossResourceProblems(construct: IConstruct): string[] {
  const index = indexOf(construct);
  const v = index.views.get(construct);
  if (!v) return [];
  const problems: string[] = [];
  const add = (p: string | undefined) => { if (p) problems.push(p); };
  const sameName = index.names.get(`${v.kind} ${v.namespace}/${v.name}`) ?? [];
  if (sameName.length > 1) {
    // Name the endpoints (the patterns) rather than their inner SeldonDeployment or routes.
    const paths = sameName.map(c => c.node.path).sort();
    problems.push(XRS_SAME_NAME.tag(`${sameName.length} ${v.kind}s are named ${show(v.name)} in namespace ${show(v.namespace)} (${paths.join(', ')}): `
      + 'applied together, the last would replace the others. Give each endpoint its own name (one endpoint can hold several variants)'));
  }
  switch (v.kind) {
    case 'VirtualService': {
      v.gateways.forEach(g => add(gatewayProblem(index, g, v.namespace, 'gateway')));
      for (const route of v.routes) {
        for (const d of route.destinations) {
          if (d.subset === undefined) continue;
          const host = fqdn(d.host, v.namespace);
          if (!index.subsets.get(host)?.has(d.subset)) {
            const known = [...(index.subsets.get(host) ?? [])].sort();
            problems.push(IST0101_SUBSET.tag(`route ${show(route.name)} sends to subset ${show(d.subset)} of ${host}, which no DestinationRule of the app defines`
              + (known.length > 0 ? ` (it defines ${show(known)})` : '') + `: add the subset to a DestinationRule for ${host}, or route to an existing one`));
          }
        }
      }
      const reported = new Set<string>();
      for (const { key, route } of index.claimsOf.get(construct) ?? []) {
        const claims = index.claims.get(key)!;
        // Most keys are claimed by one VirtualService: skip the filter for them.
        const others = claims.length === 1 ? [] : claims.filter(c => c.construct !== construct);
        if (others.length === 0 || reported.has(others[0].owner)) continue;
        reported.add(others[0].owner);
        const [gateway, host] = key.split('|');
        problems.push(XRS_HOST_CLAIM.tag(`route ${show(route)} claims host ${show(host)} on gateway ${show(gateway)}${key.startsWith('mesh|') ? '' : ' with the same match'} as ${others[0].owner} (route ${show(others[0].route)}); Istio would apply one of them in no defined order: give them different hosts or matches, or merge them into one VirtualService`));
      }
      add(operatorNameProblem(index, v.namespace, v.name, 'VirtualService'));
      break;
    }
    case 'DestinationRule': {
      const owners = index.destinationRules.get(`${v.namespace}/${fqdn(v.host, v.namespace)}`) ?? [];
      const self = construct.node.path;
      const others = owners.filter(o => o !== self);
      if (others.length > 0) {
        problems.push(XRS_DESTINATION_RULE_HOST.tag(`host ${show(fqdn(v.host, v.namespace))} also has the DestinationRule of ${others.join(', ')}: keep one DestinationRule per host (add subsets and traffic policy to it)`));
      }
      add(operatorNameProblem(index, v.namespace, v.name, 'DestinationRule'));
      break;
    }
    case 'SeldonDeployment':
      if (v.gateway) add(gatewayProblem(index, v.gateway, v.namespace, 'gateway'));
      break;
    default:
      break;
  }
  return problems;
}

function operatorNameProblem(index: Index, namespace: string, name: string, kind: string): string | undefined {
  const sdep = index.operatorNames.get(`${namespace}/${name}`);
  if (sdep === undefined) return undefined;
  return XRS_OPERATOR_NAMES.tag(`${kind} name ${show(name)} is a name the Seldon operator gives its own objects for ${sdep}: rename it (the operator would overwrite it)`);
}
