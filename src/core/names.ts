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

const HOST_LABEL = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?$/;

/** True when `host` is `*`, `*.example.com` or a DNS name (Istio's wildcard domain rule). @internal */
export function isIstioHost(host: string): boolean {
  if (host === '*') return true;
  const labels = (host.startsWith('*.') ? host.slice(2) : host).split('.');
  return host.length <= 255 && labels.every(l => l.length <= MAX_LABEL_LENGTH && HOST_LABEL.test(l));
}


/**
 * True when two Istio hosts overlap: equal, or one is a wildcard (`*`, `*.example.com`) that
 * matches the other (Istio's `host.Name.Matches`). @internal
 */
export function hostsOverlap(a: string, b: string): boolean {
  const covers = (wild: string, other: string) => wild === '*'
    || (wild.startsWith('*.') && (other.endsWith(wild.slice(1)) || (other.startsWith('*.') && other.slice(1).endsWith(wild.slice(1)))));
  return a === b || covers(a, b) || covers(b, a);
}
