/**
 * The rule catalogue: every synth-time rule of the library, with its id, what it requires,
 * whose rule it mirrors, and its check. `docs/rules.md` is generated from it
 * (`npx projen docs:rules`).
 *
 * Rules that are functions of values carry their check here. Rules about the shape of one
 * construct (a route without a destination, steps that do not increase) are checked by that
 * construct, where the data is, and tagged with the rule here; the cross-resource analyzers
 * are in `analyzers.ts`, over the whole app.
 */
import { Duration } from 'cdk8s';
import { Rule, RuleSource } from './rule';
import { hostsOverlap, isDns1035Label, isDns1123Label, isIstioHost } from '../core/names';
import { show } from '../core/validation';

const SELDON_WEBHOOK = 'seldon-core v1.18.2 operator/apis/machinelearning.seldon.io/v1/seldondeployment_webhook.go';
const ISTIO_VALIDATION = 'istio 1.30 pkg/config/validation';

// ---------------------------------------------------------------- Kubernetes

/** Object, predictor, variant and graph node names. */
export const K8S_NAME = new Rule<[what: string, value: string]>({
  id: 'K8S001',
  description: 'Object names, namespaces and names that become part of object names are DNS-1123 labels (1-63 chars)',
  source: RuleSource.KUBERNETES,
  upstream: 'k8s.io/apimachinery IsDNS1123Label (metadata.name, metadata.namespace); Seldon derives Deployment names from predictor and node names',
}, (what, value) => isDns1123Label(value) ? undefined
  : `${what} ${show(value)} is not a valid DNS-1123 label: use 1-63 lowercase letters, digits and '-', starting and ending with a letter or digit (e.g. 'iris-model')`);

export const K8S_SERVICE_NAME = new Rule<[what: string, value: string]>({
  id: 'K8S002',
  description: 'Service names are DNS-1035 labels (start with a letter)',
  source: RuleSource.KUBERNETES,
  upstream: 'k8s.io/apimachinery IsDNS1035Label (Service metadata.name)',
}, (what, value) => isDns1035Label(value) ? undefined
  : `${what} ${show(value)} is not a valid Service name (DNS-1035 label): use 1-63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (e.g. 'iris-main')`);

export const K8S_REPLICAS = new Rule<[what: string, replicas: number]>({
  id: 'K8S003',
  description: 'Replica counts are integers >= 0',
  source: RuleSource.KUBERNETES,
  upstream: 'CRD schema (integer) and Deployment validation (replicas >= 0)',
}, (what, replicas) => Number.isInteger(replicas) && replicas >= 0 ? undefined : `${what} ${show(replicas)} must be an integer >= 0`);

// ---------------------------------------------------------------- Seldon Core v1

export const SDW_TRAFFIC_SUM = new Rule({
  id: 'SDW001',
  description: 'The traffic of several non-shadow predictors sums to 100',
  source: RuleSource.SELDON,
  upstream: `${SELDON_WEBHOOK}: "Traffic must sum to 100 for multiple predictors"`,
  checkedIn: 'SeldonDeployment',
});
export const SDW_LONE_TRAFFIC = new Rule({
  id: 'SDW002',
  description: 'A lone predictor (shadows counted) with traffic set has 100',
  source: RuleSource.SELDON,
  upstream: `${SELDON_WEBHOOK}: "Traffic must sum be 100 for a single predictor when set"`,
  checkedIn: 'SeldonDeployment',
});
export const SDW_SHADOWS = new Rule({
  id: 'SDW003',
  description: 'At most one shadow predictor, and never a shadow alone',
  source: RuleSource.SELDON,
  upstream: `${SELDON_WEBHOOK}: "Multiple shadows are not allowed", "Shadow can not exist as only predictor"`,
  checkedIn: 'SeldonDeployment',
});
export const SDW_PREDICTOR_NAMES = new Rule({
  id: 'SDW004',
  description: 'Predictor names are unique',
  source: RuleSource.SELDON,
  upstream: `${SELDON_WEBHOOK}: "Duplicate predictor name"`,
  checkedIn: 'SeldonDeployment',
});
export const SDW_SERVICE_NAMES = new Rule({
  id: 'SDW005',
  description: 'Predictor Service names (seldon.io/svc-name or the derived name) are unique',
  source: RuleSource.SELDON,
  upstream: 'seldon-core v1.18.2 operator: one Service per predictor, named by seldon.io/svc-name; two predictors with one name overwrite each other',
  checkedIn: 'SeldonDeployment',
});
export const SDW_MODEL_URI = new Rule({
  id: 'SDW006',
  description: 'A prepackaged model server node has a modelUri',
  source: RuleSource.SELDON,
  upstream: `${SELDON_WEBHOOK}: "Predictive unit modelUri required when using standalone servers"`,
  checkedIn: 'SeldonGraph',
});
export const SDW_NODE_CONTAINER = new Rule({
  id: 'SDW007',
  description: 'A graph node without implementation has a container of the same name',
  source: RuleSource.SELDON,
  upstream: `${SELDON_WEBHOOK}: "Can't find container for Predictive Unit"`,
  checkedIn: 'SeldonGraph',
});
export const SDW_PROTOCOL = new Rule({
  id: 'SDW008',
  description: 'Protocol and transport are known values, and the tensorflow protocol uses servers that speak it',
  source: RuleSource.SELDON,
  upstream: `CRD enum (protocol, transport); ${SELDON_WEBHOOK}: prepackaged server protocol check`,
  checkedIn: 'SeldonDeployment',
});
export const SDW_TRAFFIC_RANGE = new Rule<[what: string, traffic: number]>({
  id: 'SDW009',
  description: 'Predictor traffic is an integer from 0 to 100',
  source: RuleSource.SELDON,
  upstream: 'CRD schema: traffic is int32; the operator writes it as an Istio route weight (0-100)',
}, (what, traffic) => Number.isInteger(traffic) && traffic >= 0 && traffic <= 100 ? undefined
  : `${what}: traffic ${show(traffic)} must be an integer from 0 to 100 (a percentage)`);
export const SDO_RETRIES = new Rule({
  id: 'SDO001',
  description: 'seldon.io/istio-retries is an integer >= 0; istio-retries-timeout whole seconds >= 1, and only with retries > 0',
  source: RuleSource.SELDON,
  upstream: 'seldon-core v1.18.2 operator/controllers/seldondeployment_controller.go: strconv.Atoi of both annotations (a bad value is dropped silently)',
  checkedIn: 'SeldonDeployment',
});
export const SDO_CAPABILITIES = new Rule({
  id: 'SDO002',
  description: 'A Seldon-managed endpoint asks only for what the operator writes: weights, one shadow, retries, one gateway, hosts',
  source: RuleSource.SELDON,
  upstream: 'seldon-core v1.18.2 operator createIstioResources: one gateway (not split), fixed retryOn, no matches, timeouts or several mirrors',
  checkedIn: 'seldon-renderer',
});

export const SDO_MIRROR_ZERO = new Rule({
  id: 'SDO003',
  description: 'A Seldon-managed shadow mirrors more than 0 %: the operator writes no mirrorPercentage for a shadow of traffic 0, and Istio then mirrors 100 %',
  source: RuleSource.SELDON,
  upstream: 'seldon-core v1.18.2 createIstioResources sets MirrorPercentage only when p.Traffic > 0; Istio route.go MirrorPercent: no percentage = 100 %',
  checkedIn: 'seldon-renderer',
});

// ---------------------------------------------------------------- Istio validation

export const ISV_WEIGHT = new Rule<[what: string, weight: number]>({
  id: 'ISV001',
  description: 'A route destination weight is an integer from 0 to 100 (Istio refuses < 0 and non-integers; above 100 is our policy)',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateWeight: "weight %d < 0"; CRD schema: int32`,
}, (what, weight) => Number.isInteger(weight) && weight >= 0 && weight <= 100 ? undefined
  : `${what}: weight ${show(weight)} must be an integer from 0 to 100`);

export const ISV_MESH_WILDCARD = new Rule({
  id: 'ISV002',
  description: "A VirtualService bound to the 'mesh' gateway does not use host '*'",
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go: "wildcard host * is not allowed for virtual services bound to the mesh gateway"`,
  checkedIn: 'VirtualService, SeldonDeployment, traffic model',
});

export const ISV_GATEWAY_REF = new Rule<[what: string, ref: string]>({
  id: 'ISV003',
  description: "A gateway reference is 'mesh', '<name>' or '<namespace>/<name>' of DNS-1123 labels",
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateGatewayNames: "invalid value for namespace: %q", "invalid value for gateway name: %q"`,
}, (what, ref) => {
  if (ref === 'mesh') return undefined;
  const parts = ref.split('/');
  if ((parts.length === 1 || parts.length === 2) && parts.every(isDns1123Label)) return undefined;
  return `${what} ${show(ref)} is not a valid gateway reference: use '<namespace>/<name>' or '<name>' with DNS-1123 labels (e.g. 'istio-system/seldon-gateway'), or 'mesh'`;
});

export const ISV_DURATION = new Rule<[what: string, duration: Duration]>({
  id: 'ISV004',
  description: 'A duration (timeout, perTryTimeout, idleTimeout) is at least 1ms, in whole milliseconds',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/agent/validation.go ValidateDuration: "duration must be greater than 1ms", "only durations to ms precision are supported"`,
}, (what, duration) => {
  const ms = duration.toMilliseconds({ integral: false });
  if (Number.isInteger(ms) && ms >= 1) return undefined;
  return `${what} ${ms}ms is not a valid Istio duration: use at least 1ms, in whole milliseconds`;
});

export const ISV_RETRY_ATTEMPTS = new Rule<[what: string, attempts: number]>({
  id: 'ISV005',
  description: 'Retry attempts are an integer >= 0',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateHTTPRetry: "attempts cannot be negative"`,
}, (what, attempts) => Number.isInteger(attempts) && attempts >= 0 ? undefined : `${what}: retry attempts ${show(attempts)} must be an integer >= 0`);

export const ISV_PER_TRY_WITHOUT_ATTEMPTS = new Rule<[what: string, attempts: number, perTryTimeout?: Duration, retryOn?: string[]]>({
  id: 'ISV006',
  description: 'perTryTimeout and retryOn are set only with retry attempts > 0 (attempts: 0 alone disables retries)',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateHTTPRetry: "http retry policy configured when attempts are set to 0 (disabled)"`,
}, (what, attempts, perTryTimeout, retryOn) => attempts !== 0 || (perTryTimeout === undefined && retryOn === undefined) ? undefined
  : `${what}: ${perTryTimeout !== undefined ? 'perTryTimeout' : 'retryOn'} is set with 0 retry attempts, which Istio refuses: set attempts > 0, or leave attempts: 0 alone to disable retries`);

/** Retry policies Envoy knows (`x-envoy-retry-on` and `x-envoy-retry-grpc-on`). */
export const KNOWN_RETRY_ON = new Set([
  '5xx', 'gateway-error', 'reset', 'reset-before-request', 'connect-failure', 'envoy-ratelimited', 'retriable-4xx',
  'refused-stream', 'retriable-status-codes', 'retriable-headers', 'http3-post-connect-failure',
  'cancelled', 'deadline-exceeded', 'internal', 'resource-exhausted', 'unavailable',
]);

/** The HTTP status codes Go's `http.StatusText` knows: Istio accepts those as retryOn values. */
const HTTP_STATUS_CODES = new Set([
  100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226, 300, 301, 302, 303, 304, 305, 306, 307, 308,
  400, 401, 402, 403, 404, 405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418, 421, 422, 423, 424, 425,
  426, 428, 429, 431, 451, 500, 501, 502, 503, 504, 505, 506, 507, 508, 510, 511,
]);

export const ISV_RETRY_ON = new Rule<[what: string, policy: string]>({
  id: 'ISV007',
  description: 'retryOn lists Envoy retry policies or known HTTP status codes',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateHTTPRetry: "%q is not a valid retryOn policy" (supportedRetryOnPolicies, http.StatusText)`,
}, (what, policy) => KNOWN_RETRY_ON.has(policy) || (/^[1-5][0-9][0-9]$/.test(policy) && HTTP_STATUS_CODES.has(Number(policy))) ? undefined
  : `${what}: retryOn ${show(policy)} is not a known Envoy retry policy or HTTP status code (e.g. '5xx', 'gateway-error', '503')`);

export const ISV_MIRROR_PERCENTAGE = new Rule<[what: string, percentage: number]>({
  id: 'ISV008',
  description: 'A mirror percentage is from 0 to 100',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/virtualservice.go: "mirror_percentage must have a max value of 100", "... min value of 0"`,
}, (what, percentage) => percentage >= 0 && percentage <= 100 ? undefined : `${what}: mirror percentage ${show(percentage)} must be from 0 to 100`);

export const ISV_MIRROR_AND_MIRRORS = new Rule({
  id: 'ISV009',
  description: "A route never sets both 'mirror' and 'mirrors'",
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/virtualservice.go: "HTTP route cannot contain both mirror and mirrors"`,
  checkedIn: 'VirtualService (one mirror is written as mirror, several as mirrors, never both)',
});

export const ISV_SUBSET_NAME = new Rule<[what: string, value: string]>({
  id: 'ISV010',
  description: 'Subset names are DNS-1123 labels',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateSubsetName: "subset name is invalid: %s"`,
}, (what, value) => isDns1123Label(value) ? undefined : `${what} ${show(value)} is not a valid subset name (DNS-1123 label): use 1-63 lowercase letters, digits and '-'`);

export const ISV_HOST = new Rule<[what: string, host: string, allowNamespace: boolean]>({
  id: 'ISV011',
  description: "Hosts are '*', '*.domain' or FQDNs (Gateway servers also '<namespace>/<host>'); destinations name a Service, never '*'",
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go ValidateWildcardDomain, validateNamespaceSlashWildcardHostname`,
}, (what, host, allowNamespace) => {
  const parts = host.split('/');
  const valid = allowNamespace && parts.length === 2
    ? (parts[0] === '*' || parts[0] === '.' || isDns1123Label(parts[0])) && isIstioHost(parts[1])
    : parts.length === 1 && isIstioHost(host);
  if (valid) return undefined;
  const forms = allowNamespace ? "'*', '*.example.com', 'model.example.com' or '<namespace>/<host>'" : "'*', '*.example.com' or 'model.example.com'";
  return `${what} ${show(host)} is not a valid host: use ${forms}`;
});

export const ISV_DUPLICATE_HOSTS = new Rule<[what: string, hosts: string[]]>({
  id: 'ISV016',
  description: "A VirtualService's hosts do not overlap: no host twice, none matched by another's wildcard",
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go ValidateVirtualService: "duplicate hosts in virtual service: %s & %s" (found by istioctl validate on the fuzzing corpus)`,
}, (what, hosts) => {
  for (let i = 0; i < hosts.length; i++) {
    for (let j = i + 1; j < hosts.length; j++) {
      if (hostsOverlap(hosts[i], hosts[j])) {
        return `${what} ${show(hosts[i])} and ${show(hosts[j])} overlap, which Istio refuses in one VirtualService ("duplicate hosts"): keep the wider one, or list hosts no wildcard covers`;
      }
    }
  }
  return undefined;
});

export const ISV_DUPLICATE_SUBSETS = new Rule({
  id: 'ISV017',
  description: 'Subset names of a DestinationRule are unique',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go ValidateDestinationRule: "duplicate subset names: %s"`,
  checkedIn: 'DestinationRule',
});

export const ISV_PORT = new Rule<[what: string, port: number]>({
  id: 'ISV012',
  description: 'Port numbers are integers from 1 to 65535',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/agent ValidatePort: "port number %d must be in the range 1..65535"`,
}, (what, port) => Number.isInteger(port) && port >= 1 && port <= 65535 ? undefined
  : `${what} ${show(port)} is out of range: use an integer from 1 to 65535`);

export const ISV_TLS = new Rule({
  id: 'ISV013',
  description: 'An HTTPS server with SIMPLE or MUTUAL TLS names its credential',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go validateTLSOptions: "SIMPLE TLS requires a private key" (without credentialName)`,
  checkedIn: 'Gateway',
});

export const POL_HEADER_NAME = new Rule<[where: string, name: string]>({
  id: 'POL011',
  description: 'Header names in matches are lower-case, as Istio\'s API requires',
  source: RuleSource.POLICY,
  upstream: 'Istio API HTTPMatchRequest.headers: "The header keys must be lowercase and use hyphen as the separator"; istio validation accepts any token and Envoy lower-cases the name (LowerCaseString), so nothing refuses it: the YAML would disagree with what runs',
  checkedIn: 'VirtualService, traffic model',
}, (where, name) => name === name.toLowerCase() ? undefined
  : `${where}: header name ${show(name)} has upper case: Istio's API requires lower-case header names (HTTP header names are case-insensitive): write ${show(name.toLowerCase())}`);

export const ISV_SOURCE_LABELS = new Rule({
  id: 'ISV014',
  description: "sourceLabels matches are used only on routes bound to the 'mesh' gateway alone",
  source: RuleSource.POLICY,
  upstream: 'Istio 1.30 accepts it, but at a gateway sourceLabels match the gateway pods, not the callers: the route would never select by caller',
  checkedIn: 'VirtualService, traffic model',
});

export const ISV_REQUIRED = new Rule({
  id: 'ISV015',
  description: 'Required fields are present: VirtualService hosts and routes, route destinations, Gateway servers, hosts and selector, DestinationRule host',
  source: RuleSource.ISTIO_VALIDATION,
  upstream: `${ISTIO_VALIDATION}/validation.go ValidateVirtualService, ValidateGateway, ValidateDestinationRule (required fields)`,
  checkedIn: 'VirtualService, Gateway, DestinationRule, SeldonDeployment',
});

// ---------------------------------------------------------------- istioctl analyze and cross-resource

export const IST0101_SUBSET = new Rule({
  id: 'IST0101',
  description: 'Every subset a VirtualService routes to is defined by a DestinationRule for that host (ours or the one the Seldon operator writes)',
  source: RuleSource.ISTIO_ANALYZER,
  upstream: 'istioctl analyze IST0101 ReferencedResourceNotFound (virtualservice/destinationhosts, subset)',
  checkedIn: 'analyzers (whole app)',
});

export const IST0101_GATEWAY = new Rule({
  id: 'IST0101-GW',
  description: 'A gateway a VirtualService or SeldonDeployment is bound to is a Gateway of the app, or declared external with Gateway.fromName()',
  source: RuleSource.ISTIO_ANALYZER,
  upstream: 'istioctl analyze IST0101 ReferencedResourceNotFound (virtualservice/gateways)',
  checkedIn: 'analyzers (whole app)',
});

export const IST0130_CATCH_ALL = new Rule({
  id: 'IST0130',
  description: 'A route that matches every request is the last route',
  source: RuleSource.ISTIO_ANALYZER,
  upstream: 'istioctl analyze IST0130 VirtualServiceUnreachableRule (istioctl validate refuses it too: "virtualService rule %q not used (route without matches defined before)")',
  checkedIn: 'VirtualService',
});

export const IST0131_REPEATED_MATCH = new Rule({
  id: 'IST0131',
  description: 'No route repeats the match of an earlier route of the same VirtualService (it would never apply)',
  source: RuleSource.ISTIO_ANALYZER,
  upstream: 'istioctl analyze IST0131 VirtualServiceIneffectiveMatch (istioctl validate warns too: "not used (all matches used by prior rules)")',
  checkedIn: 'VirtualService',
});

export const XRS_HOST_CLAIM = new Rule({
  id: 'XRS001',
  description: 'No two VirtualServices (ours, or the Seldon operator\'s for a Seldon-managed endpoint) claim the same gateway + host + path prefix',
  source: RuleSource.ISTIO_ANALYZER,
  upstream: 'Istio merges VirtualServices of one host on a gateway in undefined order (traffic-management best practices; istioctl analyze IST0109 for the mesh)',
  checkedIn: 'analyzers (whole app)',
});

export const XRS_OPERATOR_NAMES = new Rule({
  id: 'XRS002',
  description: 'No VirtualService or DestinationRule of the app is named like one the Seldon operator creates (<sdep>, <sdep>-<predictor>) in the same namespace',
  source: RuleSource.SELDON,
  upstream: 'seldon-core v1.18.2 operator createIstioResources: it creates and updates objects of those names and would overwrite ours',
  checkedIn: 'analyzers (whole app), istio-renderer',
});

export const XRS_SAME_NAME = new Rule({
  id: 'XRS004',
  description: 'No two objects of one kind share a name in a namespace (two endpoints of one name would write the same SeldonDeployment)',
  source: RuleSource.KUBERNETES,
  upstream: 'the API server keeps one object per kind, namespace and name: the second manifest silently replaces the first when applied',
  checkedIn: 'analyzers (whole app)',
});

export const XRS_DESTINATION_RULE_HOST = new Rule({
  id: 'XRS003',
  description: 'At most one DestinationRule per host and namespace',
  source: RuleSource.POLICY,
  upstream: 'istioctl 1.30 accepts two (fixture dr-two-for-one-host), but Istio applies one traffic policy per host and merges several only in limited cases (docs: traffic management best practices)',
  checkedIn: 'analyzers (whole app)',
});

// ---------------------------------------------------------------- policy

export const POL_WEIGHT_SUM = new Rule({
  id: 'POL001',
  description: 'The weights of a route (and of a model endpoint) sum to exactly 100, in both routing modes',
  source: RuleSource.POLICY,
  upstream: "Seldon's rule (SDW001) applied to explicit routes too, so the weights in the YAML are the percentages a reviewer reads; Istio 1.30 itself refuses only \"total destination weight = 0\"",
  checkedIn: 'VirtualService, traffic model',
});
export const POL_UNIQUE_NAMES = new Rule({
  id: 'POL002',
  description: 'Variant, route and server port names are unique within their object',
  source: RuleSource.POLICY,
  upstream: 'names identify routes in the route report, metrics and GitOps diffs',
  checkedIn: 'traffic model, VirtualService, Gateway',
});
export const POL_PATTERN = new Rule({
  id: 'POL003',
  description: 'Pattern props are coherent: canary steps are increasing integers 0-100 with currentStep among them; match routes target a live variant and have a condition; an endpoint has a namespace and a live variant',
  source: RuleSource.POLICY,
  upstream: 'the intent must be unambiguous',
  checkedIn: 'Canary, ABTest, BlueGreen, Shadow, traffic model',
});
export const POL_BACKENDS = new Rule({
  id: 'POL004',
  description: 'A model endpoint routes either to Seldon predictors or to Service variants; explicit routes to Seldon match only under its public path',
  source: RuleSource.POLICY,
  upstream: 'the public path /seldon/<ns>/<name>/ and the operator-generated Services belong to the SeldonDeployment',
  checkedIn: 'traffic model, istio-renderer',
});
export const POL_SERVICE_PORT = new Rule({
  id: 'POL010',
  description: 'A Service variant behind an ingress gateway names its port: a destination without port takes the gateway\'s listener port (80/443) unless the Service has exactly one port',
  source: RuleSource.POLICY,
  upstream: 'Istio route.go GetDestinationCluster (no port and several Service ports: the listener port, so no cluster and a 503); istioctl analyze IST0112 VirtualServiceDestinationPortSelectorRequired, which only a live cluster run sees (the library cannot see the Service\'s ports)',
  checkedIn: 'istio-renderer',
});
export const POL_ANNOTATIONS = new Rule({
  id: 'POL005',
  description: 'Typed props and free annotations never set the same operator setting twice, nor metadata and spec annotations differently',
  source: RuleSource.POLICY,
  upstream: 'the operator reads spec.annotations first; two values make the YAML lie',
  checkedIn: 'SeldonDeployment',
});
export const POL_SHAPE = new Rule({
  id: 'POL006',
  description: 'Optional values are meaningful when set: rewriteUri is not empty, subsets select pods by labels',
  source: RuleSource.POLICY,
  upstream: 'an empty rewrite or an unlabelled subset is accepted by Istio but routes nowhere useful',
  checkedIn: 'VirtualService, DestinationRule',
});

// ---------------------------------------------------------------- security, TF Serving, egress

const ISTIO_SECURITY = `${ISTIO_VALIDATION}/validation.go (security)`;
const rule = (id: string, description: string, source: RuleSource, upstream: string, checkedIn: string) =>
  new Rule({ id, description, source, upstream, checkedIn });

export const SEC_ISSUER = rule('SEC001', 'Every JWT rule names its issuer', RuleSource.POLICY,
  'Istio needs issuer or jwksUri; without an issuer any token signed by the keys would be accepted', 'RequestAuthentication');
export const SEC_JWKS_URI = rule('SEC002', 'A jwksUri is an https URL', RuleSource.ISTIO_VALIDATION,
  `${ISTIO_SECURITY} ValidateJwtRule / ParseJwksURI (http or https); https only is policy: keys fetched over plain http can be forged`, 'RequestAuthentication');
export const SEC_JWT_SHAPE = rule('SEC003', 'A RequestAuthentication has rules; audiences and token locations are not empty; one rule per issuer', RuleSource.ISTIO_VALIDATION,
  `${ISTIO_SECURITY} validateJwtRule (empty values); one rule per issuer is policy`, 'RequestAuthentication');
export const SEC_DENY_RULES = rule('SEC004', 'A DENY AuthorizationPolicy has rules', RuleSource.ISTIO_VALIDATION,
  `${ISTIO_SECURITY} ValidateAuthorizationPolicy: a DENY policy without rules`, 'AuthorizationPolicy');
export const SEC_RULE_VALUES = rule('SEC005', 'Authorization rule fields have values: no empty list or string, ports 1-65535, upper-case methods, paths starting with / or *', RuleSource.ISTIO_VALIDATION,
  `${ISTIO_SECURITY} CheckEmptyValues, ValidatePorts ("empty value not allowed"); method case and path form are policy`, 'AuthorizationPolicy');
export const SEC_JWT_NEEDED = rule('SEC006', 'A rule on request principals or claims applies to pods a RequestAuthentication covers', RuleSource.POLICY,
  'without a RequestAuthentication no request has a principal: the rule would refuse every request', 'AuthorizationPolicy');
export const SEC_SCRAPE = rule('SEC007', 'An ALLOW policy over model servers keeps their metrics scrapeable (GET /prometheus on 6000, 8000, 6001 for Seldon), unless opted out', RuleSource.POLICY,
  "Seldon's 'Ingress with Istio' documentation (authorization and Prometheus)", 'AuthorizationPolicy');
export const SEC_POD_SELECTOR = rule('SEC008', 'A protected Service variant says which pods are behind it (podSelector)', RuleSource.POLICY,
  'a policy must select the pods it protects; a Service name does not', 'EndpointSecurity');
export const SEC_METRICS_KNOWN = rule('SEC009', 'Default scraping needs a known metrics endpoint; excludeSidecarStatusPort() needs pods the library creates', RuleSource.POLICY,
  'the allowance must name real paths and ports, and the annotation must land on real pods', 'EndpointSecurity');
export const SEC_TLS_CONFLICT = rule('SEC010', 'Under STRICT mutual TLS, a DestinationRule of the host sends ISTIO_MUTUAL', RuleSource.POLICY,
  'a client TLS mode other than ISTIO_MUTUAL makes callers speak plain text to pods that refuse it (Istio accepts the object)', 'DestinationRule');
export const SEC_PROTECTS = rule('SEC011', 'An EndpointSecurity protects something (jwt, allow or mutualTls); a workload PeerAuthentication selector is not empty', RuleSource.POLICY,
  'an object that changes nothing is a mistake', 'EndpointSecurity, PeerAuthentication');
export const TFS_VERSIONS = rule('TFS001', 'A TF Serving server has at least one version, and version names are unique', RuleSource.POLICY,
  'each version is a Deployment <server>-<version>; two of one name would overwrite each other', 'TfServingServer');
export const TFS_NAMES = rule('TFS002', 'TF Serving server, version and Deployment names fit Kubernetes names; the model name fits /v1/models/<name>', RuleSource.KUBERNETES,
  'k8s.io/apimachinery IsDNS1123Label / IsDNS1035Label (Service name); TF Serving REST API path', 'TfServingServer');
export const TFS_MODEL_PATH = rule('TFS003', 'A model base path uses a scheme TF Serving reads (gs://, s3:// only with an image built with S3 support, or a local path)', RuleSource.POLICY,
  'tensorflow/serving#1963: the stock image has no S3 file system since 2.7', 'TfServingServer');
export const TFS_VARIANT = rule('TFS004', 'A TF Serving variant names a version its server runs, in the endpoint\'s namespace', RuleSource.POLICY,
  'a route to a subset without pods fails every request', 'istio-renderer');
export const EGR_SCHEME = rule('EGR001', 'Every model URI of the app has a storage scheme the egress can open', RuleSource.POLICY,
  'an unknown scheme would leave the model download blocked under REGISTRY_ONLY', 'ModelStorageEgress');
export const EGR_HOSTS = rule('EGR002', 'Egress hosts are FQDNs, S3 regions are region names, ports are 1-65535, and there is at least one host', RuleSource.ISTIO_VALIDATION,
  `${ISTIO_VALIDATION}/validation.go ValidateServiceEntry: DNS resolution needs FQDN hosts; "service entry must have at least one host"`, 'ModelStorageEgress');

/** The retry rules of one policy, in order. */
export function retryProblems(where: string, retries: { attempts: number; perTryTimeout?: Duration; retryOn?: string[] }): string[] {
  return [
    ISV_RETRY_ATTEMPTS.check(where, retries.attempts),
    retries.perTryTimeout ? ISV_DURATION.check(`${where}: perTryTimeout`, retries.perTryTimeout) : undefined,
    ISV_PER_TRY_WITHOUT_ATTEMPTS.check(where, retries.attempts, retries.perTryTimeout, retries.retryOn),
    ...(retries.retryOn ?? []).map(policy => ISV_RETRY_ON.check(where, policy)),
  ].filter((p): p is string => p !== undefined);
}
