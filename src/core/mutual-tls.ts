import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/*
 * Which pods of the app must be called with mutual TLS. A policy construct (security/'s
 * PeerAuthentication) registers here what it enforces; a client-side construct (istio/'s
 * DestinationRule) asks here, so the Istio layer never imports the security layer.
 */

/** A requirement of mutual TLS: the construct that makes it, and the pods it covers. @internal */
export interface MutualTlsRequirement {
  readonly construct: IConstruct;
  /** True when every pod of `namespace` that carries `podLabels` (unknown: undefined) must be called with mTLS. */
  readonly enforcesOn: (namespace: string, podLabels: Record<string, string> | undefined) => boolean;
}

const REQUIREMENTS = new WeakMap<IConstruct, MutualTlsRequirement[]>();

/** Registers a requirement of `construct`'s app. @internal */
export function registerMutualTls(requirement: MutualTlsRequirement): void {
  const root = requirement.construct.node.root;
  const list = REQUIREMENTS.get(root) ?? [];
  list.push(requirement);
  REQUIREMENTS.set(root, list);
}

/**
 * The constructs of `scope`'s app that require mutual TLS of the pods behind `host` (a
 * `<service>.<namespace>.svc.cluster.local` or short name, resolved in `namespace`), whose pods
 * carry `podLabels` when known.
 * @internal
 */
export function mutualTlsRequiredFor(
  scope: IConstruct, host: string, namespace: string | undefined, podLabels?: Record<string, string>,
): IConstruct[] {
  const parts = host.split('.');
  const hostNamespace = parts.length >= 2 ? parts[1] : namespace ?? Chart.of(scope).namespace;
  if (hostNamespace === undefined) return [];
  return (REQUIREMENTS.get(scope.node.root) ?? []).filter(r => r.enforcesOn(hostNamespace, podLabels)).map(r => r.construct);
}
