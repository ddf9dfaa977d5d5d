import { Duration } from 'cdk8s';
import { IGateway, isMeshGateway } from './gateway';
import { ModelVariant } from './model-variant';
import { dns1123LabelProblem, hostProblem } from './names';
import { HttpMatch, RetryPolicy, retryProblems, durationProblem } from './route-types';
import { SeldonProtocol } from './seldon-deployment';
import { show } from './validation';

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
  const problems: string[] = [];
  const nameProblem = dns1123LabelProblem('endpoint name', model.name);
  if (nameProblem) problems.push(nameProblem);

  const names = new Set<string>();
  for (const { name } of allVariants(model)) {
    const p = dns1123LabelProblem('variant name', name);
    if (p) problems.push(p);
    if (names.has(name)) problems.push(`variant name ${show(name)} is used twice: give every variant its own name`);
    names.add(name);
  }
  if (model.variants.length === 0) problems.push('has no variant that takes traffic: add one');

  for (const v of model.variants) {
    if (!Number.isInteger(v.weight) || v.weight < 0 || v.weight > 100) {
      problems.push(`variant ${show(v.name)}: weight ${show(v.weight)} must be an integer from 0 to 100`);
    }
  }
  const sum = model.variants.reduce((total, v) => total + v.weight, 0);
  if (model.variants.length > 0 && sum !== 100) {
    problems.push(`weights sum to ${sum}, not 100 (${model.variants.map(v => `${v.name}=${v.weight}`).join(' + ')}): make them add up to 100`);
  }
  for (const m of model.mirrors) {
    if (!(m.percentage >= 0 && m.percentage <= 100)) {
      problems.push(`mirror ${show(m.name)}: percentage ${show(m.percentage)} must be from 0 to 100`);
    }
  }
  const seldon = allVariants(model).filter(v => v.variant.isSeldon).length;
  if (seldon !== 0 && seldon !== allVariants(model).length) {
    problems.push('mixes Seldon predictors and Service variants: one endpoint routes either to Seldon predictors or to labelled Service pods');
  }

  const mesh = (model.gateways ?? []).some(isMeshGateway);
  if (mesh && (model.hosts ?? []).includes('*')) {
    problems.push(`hosts ${show(model.hosts)} include '*', which Istio refuses for routes bound to the 'mesh' gateway: name the Service host`);
  }
  if (mesh && !model.hosts && !model.serviceName) {
    problems.push("is bound to the 'mesh' gateway without hosts: set serviceName (the Service clients call) or hosts");
  }
  for (const host of model.hosts ?? []) {
    const p = hostProblem('host', host, false);
    if (p) problems.push(p);
  }
  for (const route of model.routes) {
    if (!names.has(route.target) || !model.variants.some(v => v.name === route.target)) {
      problems.push(`route ${show(route.name)} targets ${show(route.target)}, which is not a variant that takes traffic: use one of ${show(model.variants.map(v => v.name))}`);
    }
    if (route.matches.length === 0) problems.push(`route ${show(route.name)} has no match: give it at least one condition`);
    for (const match of route.matches) {
      if (match.sourceLabels && !meshOnly(model)) {
        problems.push(`route ${show(route.name)}: sourceLabels match the calling workload and only work with the 'mesh' gateway alone (gateways: [Gateway.mesh()])`);
      }
    }
  }
  if (model.retries) problems.push(...retryProblems('retries', model.retries));
  if (model.timeout) {
    const p = durationProblem('timeout', model.timeout);
    if (p) problems.push(p);
  }
  return problems;
}
