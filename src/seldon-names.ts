import { createHash } from 'crypto';
import { MAX_LABEL_LENGTH } from './names';
import { SeldonPredictorProps } from './seldon-predictor';

/**
 * How the Seldon v1 operator shortens a name that would not fit a DNS label:
 * `seldon-<md5 hex of the name>`.
 * @internal
 */
export function operatorObjectName(name: string): string {
  return name.length > MAX_LABEL_LENGTH ? `seldon-${createHash('md5').update(name).digest('hex')}` : name;
}

/**
 * Name of the Service (and DestinationRule) the operator creates for a predictor:
 * the `seldon.io/svc-name` value, else `<sdep>-<predictor>`, shortened like other names.
 * @internal
 */
export function predictorServiceName(sdepName: string, predictor: SeldonPredictorProps): string {
  return predictor.serviceName ?? operatorObjectName(`${sdepName}-${predictor.name}`);
}

/**
 * The label the Seldon v1 operator puts on every pod of a SeldonDeployment (model pods and a
 * separate engine pod alike), with the operator's name for it (`seldon-<md5>` past 63
 * characters): `Label_seldon_id` in `operator/apis/machinelearning.seldon.io/v1/seldondeployment_types.go`,
 * set in `createDeploymentWithoutEngine` (`operator/controllers/seldondeployment_controller.go`)
 * and `createEngineDeployment` (`seldondeployment_engine.go`), v1.18.2.
 * @internal
 */
export const SELDON_DEPLOYMENT_ID_LABEL = 'seldon-deployment-id';

/** Labels that every pod of the SeldonDeployment `sdepName` carries. @internal */
export function seldonPodSelector(sdepName: string): Record<string, string> {
  return { [SELDON_DEPLOYMENT_ID_LABEL]: operatorObjectName(sdepName) };
}

/** The gateway the Seldon operator binds to unless told otherwise (its Helm chart's `istio.gateway`); our default too. @internal */
export const SELDON_DEFAULT_GATEWAY = 'istio-system/seldon-gateway';

/** Seldon's gRPC route match: the operator's URI regex. @internal */
export const SELDON_GRPC_URI_REGEX = '.*tensorflow.*|.*seldon.protos.*|.*inference.*';
