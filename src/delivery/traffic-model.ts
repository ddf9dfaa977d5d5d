import { Duration } from 'cdk8s';
import { ModelVariant } from './model-variant';
import { hostsOverlap } from '../core/names';
import { Problems, show } from '../core/validation';
import { Gateway, IGateway, isMeshGateway } from '../istio/gateway';
import { HttpMatch, RetryPolicy } from '../istio/route-types';
import { ISV_DUPLICATE_HOSTS, ISV_DURATION, ISV_HOST, ISV_MESH_WILDCARD, ISV_MIRROR_PERCENTAGE, ISV_SOURCE_LABELS, ISV_WEIGHT, K8S_NAME, K8S_REPLICAS, POL_BACKENDS, POL_HEADER_NAME, POL_PATTERN, POL_UNIQUE_NAMES, POL_WEIGHT_SUM, retryProblems } from '../rules/catalogue';
import { SELDON_DEFAULT_GATEWAY } from '../seldon/operator';
import { SeldonProtocol } from '../seldon/protocol';

/** A variant that takes a share of the traffic that no match route took. */
export interface WeightedVariant {
  /** The variant's name (a DNS-1123 label): its predictor or subset name. */
  readonly name: string;
  /** The model version it serves. */
  readonly model: ModelVariant;
  /** Share of the default route's traffic, 0-100; the weights of a plan sum to 100. */
  readonly weight: number;

  /**
   * Replicas of the variant's pods, replacing the model's own (Seldon variants only: a Service
   * variant's replicas are its Deployment's).
   * @default the model's replicas
   */
  readonly replicas?: number;
}

/** A variant that receives a copy of the requests; its answers are dropped. */
export interface MirroredVariant {
  /** The variant's name (a DNS-1123 label). */
  readonly name: string;
  /** The model version it serves. */
  readonly model: ModelVariant;
  /** Percentage of the requests mirrored to it, 0-100. */
  readonly percentage: number;

  /**
   * Replicas of the variant's pods, replacing the model's own (Seldon variants only).
   * @default the model's replicas
   */
  readonly replicas?: number;
}

/** Requests that match go to one variant, before the weighted split. */
export interface MatchRoute {
  /** Name of the route (a DNS-1123 label; the written routes are named after it). */
  readonly name: string;
  /** The conditions; the route applies when any of them holds. */
  readonly matches: HttpMatch[];
  /** Name of the weighted variant that takes the route's traffic. */
  readonly target: string;
}

/**
 * Where an endpoint's requests go, as plain data: what a delivery pattern decides, and all a
 * renderer needs besides the endpoint's props. A pattern of your own extends `ModelEndpoint` and
 * passes its plan to `renderPlan`; the checks and both routings then apply as to the built-in ones.
 */
export interface TrafficPlan {
  /** Variants that take live traffic by weight, in order (the first is the main one). */
  readonly variants: WeightedVariant[];

  /**
   * Variants that receive a mirror of the traffic.
   * @default none
   */
  readonly mirrors?: MirroredVariant[];

  /**
   * Match routes, most specific first; they precede the weighted default route.
   * @default none
   */
  readonly routes?: MatchRoute[];

  /**
   * Hosts the routes apply to, replacing the endpoint's `hosts`.
   * @default the endpoint's `hosts`
   */
  readonly hosts?: string[];

  /**
   * Hosts added to the routes' hosts (the plan's, the endpoint's or the default ones), each unless
   * one of those already covers it (Istio refuses overlapping hosts in one VirtualService): e.g. a
   * preview host that only a match route on its authority uses.
   * @default none
   */
  readonly additionalHosts?: string[];
}

/**
 * The traffic model: an endpoint's props and its pattern's plan, as plain data (no construct in
 * it). The renderers turn it into manifests; the checks here apply whichever renderer is chosen.
 * @internal
 */
export interface EndpointModel {
  /** Endpoint name: the SeldonDeployment's name, part of the public path. */
  readonly name: string;
  readonly namespace: string;
  readonly gateways?: IGateway[];
  readonly hosts?: string[];
  /** Hosts added to the routes' hosts unless those cover them (see `routeHosts`). */
  readonly additionalHosts: string[];
  /** Service name of the first variant (mesh mode's host). */
  readonly serviceName?: string;
  /** Variants that take live traffic by weight, in order (the first is the main one). */
  readonly variants: WeightedVariant[];
  /** Variants that receive a mirror of the traffic. */
  readonly mirrors: MirroredVariant[];
  /** Match routes, most specific first; they precede the weighted default route. */
  readonly routes: MatchRoute[];
  /** Cookie that keeps a user on the variant that answered first (sticky sessions). */
  readonly stickyCookie?: string;
  readonly retries?: RetryPolicy;
  readonly timeout?: Duration;
  readonly protocol?: SeldonProtocol;
  /** Labels of the objects written. */
  readonly labels?: { [key: string]: string };
  /** Labels added to every Seldon pod of the endpoint (e.g. sidecar injection). */
  readonly podLabels?: { [key: string]: string };
}

/** Variants and mirrors together, in model order. @internal */
export function allVariants(model: EndpointModel): Array<{ name: string; model: ModelVariant; replicas?: number }> {
  return [...model.variants, ...model.mirrors];
}

/**
 * The value of the `version` label of a variant's pods, as the subsets select them: a predictor's
 * pods carry `version: <predictor>` unless its labels (or the endpoint's pod labels) set another;
 * a Service variant's are its labels (undefined when they have no `version`). @internal
 */
export function variantVersion(model: EndpointModel, name: string, variant: ModelVariant): string | undefined {
  return variant.isSeldon ? variant._seldon?.labels?.version ?? model.podLabels?.version ?? name : variant.versionLabels?.version;
}

/**
 * The gateways the routes are bound to, decided here for every renderer and check: the endpoint's
 * own; else the default of its variants' kind: the Seldon operator's ingress gateway for
 * predictors, the mesh for Services (whose clients call them inside the mesh). @internal
 */
export function routeGateways(model: EndpointModel): IGateway[] {
  if (model.gateways) return model.gateways;
  return [routesToPredictors(model) ? Gateway.fromName(SELDON_DEFAULT_GATEWAY) : Gateway.mesh()];
}

/**
 * True when the endpoint routes to Seldon predictors, not to Service pods. A valid model's variants
 * are all one or the other (`modelProblems` refuses a mix, POL_BACKENDS). @internal
 */
export function routesToPredictors(model: EndpointModel): boolean {
  return allVariants(model).some(v => v.model.isSeldon);
}

/** True when the routes are bound to the mesh, among other gateways or alone. @internal */
export function meshBound(model: EndpointModel): boolean {
  return routeGateways(model).some(isMeshGateway);
}

/** True when the mesh is the only gateway of the routes (what sourceLabels matches need). @internal */
export function meshOnly(model: EndpointModel): boolean {
  const gateways = routeGateways(model);
  return gateways.length > 0 && gateways.every(isMeshGateway);
}

/** The host clients call inside the mesh: the endpoint's serviceName, else its first variant's Service. */
function meshServiceHost(model: EndpointModel): string | undefined {
  return model.serviceName ?? allVariants(model)[0]?.model.serviceName;
}

/**
 * The hosts the endpoint's routes apply to, decided here for every renderer: the plan's or the
 * endpoint's hosts; else, in the mesh, the Service clients call, and elsewhere every host
 * (`undefined`: `*`, which the operator assumes when no host is given); then each additional host
 * that none of them covers. @internal
 */
export function routeHosts(model: EndpointModel): string[] | undefined {
  const base = model.hosts ?? (meshBound(model) ? [meshServiceHost(model) ?? model.name] : undefined);
  const added = model.additionalHosts.filter(host => !(base ?? ['*']).some(h => hostsOverlap(h, host)));
  return added.length > 0 ? [...base!, ...added] : base;
}

/** Problems of the model that hold in both routing modes. @internal */
export function modelProblems(model: EndpointModel): string[] {
  const problems = new Problems();
  problems.add(K8S_NAME.check('endpoint name', model.name));

  const names = new Set<string>();
  for (const { name } of allVariants(model)) {
    problems.add(K8S_NAME.check('variant name', name));
    problems.check(POL_UNIQUE_NAMES, !names.has(name), `variant name ${show(name)} is used twice: give every variant its own name`);
    names.add(name);
  }
  problems.check(POL_PATTERN, model.variants.length > 0, 'has no variant that takes traffic: add one');

  for (const v of model.variants) problems.add(ISV_WEIGHT.check(`variant ${show(v.name)}`, v.weight));
  const sum = model.variants.reduce((total, v) => total + v.weight, 0);
  problems.check(POL_WEIGHT_SUM, model.variants.length === 0 || sum === 100,
    () => `weights sum to ${sum}, not 100 (${model.variants.map(v => `${v.name}=${v.weight}`).join(' + ')}): make them add up to 100`);
  for (const m of model.mirrors) problems.add(ISV_MIRROR_PERCENTAGE.check(`mirror ${show(m.name)}`, m.percentage));
  for (const v of allVariants(model).filter(x => x.replicas !== undefined)) {
    problems.add(K8S_REPLICAS.check(`variant ${show(v.name)}: replicas`, v.replicas!));
    problems.check(POL_PATTERN, v.model.isSeldon,
      () => `variant ${show(v.name)} is given ${v.replicas} replicas, but it is a Service variant: its replicas are its Deployment's, scale them there`);
  }
  const seldon = allVariants(model).filter(v => v.model.isSeldon).length;
  problems.check(POL_BACKENDS, seldon === 0 || seldon === allVariants(model).length,
    'mixes Seldon predictors and Service variants: one endpoint routes either to Seldon predictors or to labelled Service pods');

  const mesh = meshBound(model);
  problems.check(ISV_MESH_WILDCARD, !(mesh && (model.hosts ?? []).includes('*')),
    () => `hosts ${show(model.hosts)} include '*', which Istio refuses for routes bound to the 'mesh' gateway: name the Service host`);
  // Without variants there is no Service to default to, and POL003 already says so.
  problems.check(ISV_MESH_WILDCARD, !(mesh && !model.hosts && !meshServiceHost(model) && allVariants(model).length > 0),
    "is bound to the 'mesh' gateway without hosts: set serviceName (the Service clients call) or hosts");
  for (const host of [...(model.hosts ?? []), ...model.additionalHosts]) problems.add(ISV_HOST.check('host', host, false));
  // The hosts as rendered: additional hosts that overlap each other are refused here, with the endpoint's path.
  problems.add(ISV_DUPLICATE_HOSTS.check('hosts', routeHosts(model) ?? []));
  for (const route of model.routes) {
    problems.check(POL_PATTERN, model.variants.some(v => v.name === route.target),
      () => `route ${show(route.name)} targets ${show(route.target)}, which is not a variant that takes traffic: use one of ${show(model.variants.map(v => v.name))}`);
    problems.check(POL_PATTERN, route.matches.length > 0, `route ${show(route.name)} has no match: give it at least one condition`);
    for (const match of route.matches) {
      for (const header of Object.keys(match.headers ?? {})) problems.add(POL_HEADER_NAME.check(`route ${show(route.name)}`, header));
      problems.check(ISV_SOURCE_LABELS, !match.sourceLabels || meshOnly(model),
        `route ${show(route.name)}: sourceLabels match the calling workload and only work with the 'mesh' gateway alone (gateways: [Gateway.mesh()])`);
    }
  }
  if (model.retries) problems.addAll(retryProblems('retries', model.retries));
  if (model.timeout) problems.add(ISV_DURATION.check('timeout', model.timeout));
  return problems.all;
}
