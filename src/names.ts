import { show } from './validation';

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** The longest DNS label Kubernetes accepts. @internal */
export const MAX_LABEL_LENGTH = 63;

/** True when `value` is a DNS-1123 label (Kubernetes object names, Istio subsets). @internal */
export function isDns1123Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && DNS1123_LABEL.test(value);
}

/** True when `value` is a DNS-1035 label (Kubernetes Service names: must start with a letter). @internal */
export function isDns1035Label(value: string): boolean {
  return value.length <= MAX_LABEL_LENGTH && DNS1035_LABEL.test(value);
}

/** True when `value` is a DNS-1123 subdomain (dot-separated labels, at most 253 characters). @internal */
export function isDns1123Subdomain(value: string): boolean {
  return value.length > 0 && value.length <= 253 && value.split('.').every(isDns1123Label);
}

/** The problem with `value` as a DNS-1123 label, or undefined. `what` names the field. @internal */
export function dns1123LabelProblem(what: string, value: string): string | undefined {
  if (isDns1123Label(value)) return undefined;
  return `${what} ${show(value)} is not a valid DNS-1123 label: use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. 'iris-model')`;
}

/** The problem with `value` as a DNS-1035 label (a Service name), or undefined. @internal */
export function dns1035LabelProblem(what: string, value: string): string | undefined {
  if (isDns1035Label(value)) return undefined;
  return `${what} ${show(value)} is not a valid Service name (DNS-1035 label): use 1-63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (e.g. 'iris-main')`;
}

const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

function isWildcardDomain(host: string): boolean {
  if (host === '*') return true;
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  return host.length <= 255 && labels.every(l => l.length <= MAX_LABEL_LENGTH && HOST_LABEL.test(l));
}

/**
 * The problem with an Istio host as a Gateway server or VirtualService writes it, or undefined.
 * Accepts `*`, `*.example.com` and `model.example.com`; with `allowNamespace`, also the
 * Gateway form `<namespace>/<host>` where the namespace is `*`, `.` or a DNS-1123 label.
 * @internal
 */
export function hostProblem(what: string, host: string, allowNamespace: boolean): string | undefined {
  const parts = host.split('/');
  const valid = allowNamespace && parts.length === 2
    ? (parts[0] === '*' || parts[0] === '.' || isDns1123Label(parts[0])) && isWildcardDomain(parts[1])
    : parts.length === 1 && isWildcardDomain(host);
  if (valid) return undefined;
  const forms = allowNamespace ? "'*', '*.example.com', 'model.example.com' or '<namespace>/<host>'" : "'*', '*.example.com' or 'model.example.com'";
  return `${what} ${show(host)} is not a valid host: use ${forms}`;
}
