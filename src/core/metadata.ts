import { ApiObjectMetadata } from 'cdk8s';

/**
 * Object metadata with the unset fields left out, so that `ApiObject` generates a name when
 * none is given (an explicit `name: undefined` would hide the generated one).
 * @internal
 */
export function metadataOf(fields: ApiObjectMetadata): ApiObjectMetadata {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
}
