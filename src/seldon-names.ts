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
