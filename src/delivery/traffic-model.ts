import { Duration } from 'cdk8s';
import { ModelVariant } from './model-variant';
import { Problems, show } from '../core/validation';
import { IGateway, isMeshGateway } from '../istio/gateway';
import { HttpMatch, RetryPolicy } from '../istio/route-types';
import { ISV_DUPLICATE_HOSTS, ISV_DURATION, ISV_HOST, ISV_MESH_WILDCARD, ISV_MIRROR_PERCENTAGE, ISV_SOURCE_LABELS, ISV_WEIGHT, K8S_NAME, POL_BACKENDS, POL_HEADER_NAME, POL_PATTERN, POL_UNIQUE_NAMES, POL_WEIGHT_SUM, retryProblems } from '../rules/catalogue';
import { SeldonProtocol } from '../seldon/deployment';

/**
 * The traffic model: one delivery intent as plain data. The patterns (Canary, BlueGreen,
 * Shadow, ABTest) only build it; the renderers turn it into manifests; the checks here
 * apply whichever renderer is chosen.
 * @internal
 */
export interface EndpointModel {
  /** Endpoint name: the SeldonDeployment's name, part of the public path. */
  readonly name: string;
  readonly namespace: string;
  readonly gateways?: IGateway[];
  readonly hosts?: string[];
  /** Service name of the first variant (mesh mode's host). */
  readonly serviceName?: string;
  /** Variants that take live traffic by weight, in order (the first is the main one). */
  readonly variants: VariantModel[];
  /** Variants that receive a mirror of the traffic. */
  readonly mirrors: MirrorModel[];
  /** Match routes, most specific first; they precede the weighted default route. */
  readonly routes: MatchRouteModel[];
  /** Cookie that keeps a user on the variant that answered first (sticky sessions). */
  readonly stickyCookie?: string;
  readonly retries?: RetryPolicy;
  readonly timeout?: Duration;
  readonly protocol?: SeldonProtocol;
  /** Labels of the objects written. */
  readonly labels?: { [key: string]: string };
  /** Labels added to every pod of the endpoint (e.g. sidecar injection). */
  readonly podLabels?: { [key: string]: string };
}

/** @internal */
export interface VariantModel {
  readonly name: string;
  readonly variant: ModelVariant;
  /** Share of the default route's traffic, 0-100. */
  readonly weight: number;
}

/** @internal */
export interface MirrorModel {
  readonly name: string;
  readonly variant: ModelVariant;
  readonly percentage: number;
}

/** @internal */
export interface MatchRouteModel {
  readonly name: string;
  readonly matches: HttpMatch[];
  /** Name of the variant that takes this route's traffic. */
  readonly target: string;
}

/** Variants and mirrors together, in model order. @internal */
export function allVariants(model: EndpointModel): Array<{ name: string; variant: ModelVariant }> {
  return [...model.variants, ...model.mirrors];
}

/** True when every gateway is the mesh. @internal */
export function meshOnly(model: EndpointModel): boolean {
  return (model.gateways ?? []).length > 0 && model.gateways!.every(isMeshGateway);
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
  const seldon = allVariants(model).filter(v => v.variant.isSeldon).length;
  problems.check(POL_BACKENDS, seldon === 0 || seldon === allVariants(model).length,
    'mixes Seldon predictors and Service variants: one endpoint routes either to Seldon predictors or to labelled Service pods');

  const mesh = (model.gateways ?? []).some(isMeshGateway);
  problems.check(ISV_MESH_WILDCARD, !(mesh && (model.hosts ?? []).includes('*')),
    () => `hosts ${show(model.hosts)} include '*', which Istio refuses for routes bound to the 'mesh' gateway: name the Service host`);
  problems.check(ISV_MESH_WILDCARD, !(mesh && !model.hosts && !model.serviceName),
    "is bound to the 'mesh' gateway without hosts: set serviceName (the Service clients call) or hosts");
  for (const host of model.hosts ?? []) problems.add(ISV_HOST.check('host', host, false));
  problems.add(ISV_DUPLICATE_HOSTS.check('hosts', model.hosts ?? []));
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
