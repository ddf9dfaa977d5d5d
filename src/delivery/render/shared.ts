import { DestinationRule } from '../../istio/destination-rule';
import { VirtualService } from '../../istio/virtual-service';
import { SeldonDeployment } from '../../seldon/deployment';
import { SeldonPredictorProps } from '../../seldon/predictor';
import { ModelVariant } from '../model-variant';
import { EndpointModel } from '../traffic-model';

/*
 * What the two renderers share: what a renderer returns, and how a variant becomes a predictor
 * of the endpoint's SeldonDeployment. The renderers import this module, never each other.
 */

/**
 * What a renderer made for an endpoint.
 * @internal
 */
export interface RenderedEndpoint {
  readonly seldonDeployment?: SeldonDeployment;
  readonly virtualService?: VirtualService;
  readonly destinationRules: DestinationRule[];
}

/** A variant as a predictor of the endpoint's SeldonDeployment. @internal */
export function variantPredictor(
  model: EndpointModel, planned: { name: string; model: ModelVariant; replicas?: number }, extra: Partial<SeldonPredictorProps>,
): SeldonPredictorProps {
  const seldon = planned.model._seldon!;
  const labels = { ...(model.podLabels ?? {}), ...(seldon.labels ?? {}) };
  return {
    name: planned.name,
    graph: seldon.graph,
    componentSpecs: seldon.componentSpecs,
    // The plan's replicas (replicas that follow the traffic) replace the version's own.
    replicas: planned.replicas ?? seldon.replicas ?? 1,
    labels: Object.keys(labels).length > 0 ? labels : undefined,
    annotations: seldon.annotations,
    ...extra,
  };
}

