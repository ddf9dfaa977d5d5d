import { Construct } from 'constructs';
import { SELDON_RETRY_ON } from '../../istio/route-types';
import { SDO_CAPABILITIES, SDO_MIRROR_ZERO } from '../../rules/catalogue';
import { SeldonDeployment } from '../../seldon/deployment';
import { SeldonPredictorProps } from '../../seldon/predictor';
import { allVariants, EndpointModel, routeHosts } from '../traffic-model';
import { RenderedEndpoint, variantPredictor } from './shared';

const EXPLICIT = 'use routing: Routing.istio(), where the library writes the VirtualService itself';

/**
 * Intents the Seldon operator cannot express: it routes by predictor weight only, mirrors
 * to one shadow, and writes fixed retry conditions. (A timeout and sticky sessions cannot be
 * asked of it: only `Routing.istio` takes them.)
 * @internal
 */
export function seldonManagedProblems(model: EndpointModel): string[] {
  const problems: string[] = [];
  for (const route of model.routes) {
    problems.push(SDO_CAPABILITIES.tag(`route ${JSON.stringify(route.name)} matches requests (header, cookie, URI or caller), which the Seldon operator cannot express (it routes by weight only): ${EXPLICIT}`));
  }
  if (model.mirrors.length > 1) {
    problems.push(SDO_CAPABILITIES.tag(`${model.mirrors.length} mirrors (${model.mirrors.map(m => m.name).join(', ')}): the Seldon operator allows one shadow ("Multiple shadows are not allowed"): ${EXPLICIT}`));
  }
  if ((model.gateways ?? []).length > 1) {
    problems.push(SDO_CAPABILITIES.tag(`${model.gateways!.length} gateways: the Seldon operator binds its VirtualService to one gateway (it does not split seldon.io/istio-gateway): ${EXPLICIT}`));
  }
  for (const m of model.mirrors.filter(x => x.percentage === 0)) {
    // The operator drops mirrorPercentage for traffic 0 (it means "unset" there), and Istio
    // mirrors every request when no percentage is given: the opposite of what was asked.
    problems.push(SDO_MIRROR_ZERO.tag(`mirror ${JSON.stringify(m.name)} at 0 %: the Seldon operator would mirror 100 % (it writes no mirrorPercentage for a shadow of traffic 0): remove the shadow, give it 1-100 %, or ${EXPLICIT}`));
  }
  const retryOn = model.retries?.retryOn;
  if (retryOn && retryOn.join(',') !== SELDON_RETRY_ON.join(',')) {
    problems.push(SDO_CAPABILITIES.tag(`retryOn ${JSON.stringify(retryOn)}: the Seldon operator always retries on ${SELDON_RETRY_ON.join(',')}: drop retryOn or ${EXPLICIT}`));
  }
  if (allVariants(model).some(v => !v.model.isSeldon)) {
    problems.push(SDO_CAPABILITIES.tag(`Service variants are not Seldon predictors, so the Seldon operator cannot route to them: ${EXPLICIT}`));
  }
  return problems;
}

/**
 * Renders the model for the Seldon operator: one SeldonDeployment whose predictors carry
 * `traffic` and `shadow`, and the Istio annotations; the operator writes the VirtualService
 * and DestinationRules.
 * @internal
 */
export function renderSeldonManaged(scope: Construct, model: EndpointModel): RenderedEndpoint {
  const predictors: SeldonPredictorProps[] = [
    ...model.variants.filter(v => v.model.isSeldon).map((v, i) => variantPredictor(model, v, {
      traffic: v.weight,
      serviceName: i === 0 ? model.serviceName : undefined,
    })),
    ...model.mirrors.filter(m => m.model.isSeldon).map(m => variantPredictor(model, m, {
      shadow: true,
      traffic: m.percentage,
    })),
  ];
  const seldonDeployment = new SeldonDeployment(scope, 'SeldonDeployment', {
    name: model.name,
    namespace: model.namespace,
    labels: model.labels,
    protocol: model.protocol,
    gateway: model.gateways?.[0],
    hosts: routeHosts(model),
    retries: model.retries?.attempts,
    retriesTimeout: model.retries?.perTryTimeout,
    predictors,
  });
  return { seldonDeployment, destinationRules: [] };
}
