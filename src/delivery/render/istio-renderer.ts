import { Duration } from 'cdk8s';
import { Construct, IConstruct } from 'constructs';
import { RenderedEndpoint, variantPredictor } from './shared';
import { appConstructsWhere } from '../../core/app-generation';
import { show } from '../../core/validation';
import { DestinationRule } from '../../istio/destination-rule';
import { isMeshGateway } from '../../istio/gateway';
import { HttpMatch, StringMatch } from '../../istio/route-types';
import { HttpRoute, RouteDestination, RouteMirror, VirtualService } from '../../istio/virtual-service';
import { POL_BACKENDS, POL_SERVICE_PORT, TFS_VARIANT, XRS_OPERATOR_NAMES } from '../../rules/catalogue';
import { SeldonDeployment } from '../../seldon/deployment';
import { operatorRouteMatches, seldonPathPrefix, seldonPodSelector, SELDON_GRPC_PORT, SELDON_REST_PORT, SELDON_RETRIES_TIMEOUT_SECONDS } from '../../seldon/operator';
import { TfServingServer } from '../../tfserving/tf-serving-server';
import { allVariants, EndpointModel, routeGateways, routeHosts, routesToPredictors, variantVersion } from '../traffic-model';

/** Suffixes of the names of the objects this renderer writes beside the operator's. @internal */
export const ROUTES_SUFFIX = 'routes';
/** @internal */
export const SUBSETS_SUFFIX = 'subsets';

/** Where one variant's traffic goes. */
interface Target {
  readonly host: string;
  readonly subset: string;
  readonly restPort?: number;
  readonly grpcPort?: number;
}

/** One way requests reach the endpoint: REST and gRPC for Seldon, plain HTTP for a Service. */
interface Flavour {
  readonly suffix: string;
  readonly match?: HttpMatch;
  readonly rewriteUri?: string;
  readonly port: (t: Target) => number | undefined;
}

/**
 * Problems specific to explicit routes: names that would clash with the operator's objects,
 * URI matches that would fight Seldon's public path.
 * @internal
 */
export function explicitProblems(model: EndpointModel): string[] {
  const problems: string[] = [];
  if (routesToPredictors(model)) {
    for (const { name } of allVariants(model)) {
      if (name === ROUTES_SUFFIX || name.endsWith(`-${SUBSETS_SUFFIX}`)) {
        problems.push(XRS_OPERATOR_NAMES.tag(`variant name ${show(name)} would make the operator's object '${model.name}-${name}' share a name with one this library writes: rename the variant`));
      }
    }
    for (const route of model.routes) {
      if (route.matches.some(m => m.uri)) {
        problems.push(POL_BACKENDS.tag(`route ${show(route.name)} matches a URI, but a Seldon endpoint's routes are under '${seldonPathPrefix(model.namespace, model.name)}': match headers, cookies or callers instead`));
      }
    }
  }
  // POL010: at an ingress gateway, a Service variant without port goes to the listener's port.
  const ingress = routeGateways(model).some(g => !isMeshGateway(g));
  for (const { name, model: variant } of allVariants(model)) {
    if (ingress && variant._service && !variant._service.tfServing && variant._service.port === undefined) {
      problems.push(POL_SERVICE_PORT.tag(`variant ${show(name)} (Service ${show(variant._service.serviceName)}) has no port, and its routes are bound to an ingress gateway: Istio would send to the gateway's own port (80 or 443), which the Service does not serve unless it has exactly one port: set port`));
    }
  }
  return problems;
}

/**
 * Problems of what the model refers to, which may still change after the pattern is built
 * (a TF Serving version added later): checked at synth only, never blocking the render.
 * @internal
 */
export function referenceProblems(scope: IConstruct, model: EndpointModel): string[] {
  const problems: string[] = [];
  // TFS004: a TF Serving variant must name a version its server runs, in the endpoint's namespace.
  // The variant holds names only; the servers are found in the app, once per app generation.
  const servers = appConstructsWhere(scope, 'TfServingServer', (c): c is TfServingServer => c instanceof TfServingServer);
  for (const { name, model: variant } of allVariants(model)) {
    const tfServing = variant._service?.tfServing;
    if (!tfServing) continue;
    const named = servers.filter(s => s.name === variant._service!.serviceName);
    const server = named.find(s => s.namespace === model.namespace);
    if (!server) {
      problems.push(TFS_VARIANT.tag(named.length > 0
        ? `variant ${show(name)}: TfServingServer '${named[0].node.path}' is in namespace '${named[0].namespace}', not '${model.namespace}': put the endpoint in the server's namespace`
        : `variant ${show(name)}: no TfServingServer named ${show(variant._service!.serviceName)} is in this app: create the server in the same app as the endpoint`));
    } else if (!server.versionNames.includes(tfServing.version)) {
      problems.push(TFS_VARIANT.tag(`variant ${show(name)} routes to version ${show(tfServing.version)} of TfServingServer '${server.node.path}', which has only ${show(server.versionNames)}: add that version to the server or pick one of these`));
    }
  }
  return problems;
}

/**
 * Renders the model as explicit Istio routes: a VirtualService (`<endpoint>-routes`) and a
 * DestinationRule per host with one subset per variant, for Seldon predictors (one
 * SeldonDeployment holding every variant, whose operator must run with Istio support off)
 * or for labelled pods behind Kubernetes Services.
 * @internal
 */
export function renderExplicit(scope: Construct, model: EndpointModel): RenderedEndpoint {
  // Only a valid model is rendered, so its variants are all predictors or all Services.
  return routesToPredictors(model) ? renderForSeldon(scope, model) : renderForServices(scope, model);
}

function renderForSeldon(scope: Construct, model: EndpointModel): RenderedEndpoint {
  // Every variant is a predictor of one SeldonDeployment. Mirrors are predictors without
  // traffic (not `shadow`, which the operator allows once), mirrored by our routes.
  const seldonDeployment = new SeldonDeployment(scope, 'SeldonDeployment', {
    name: model.name,
    namespace: model.namespace,
    labels: model.labels,
    protocol: model.protocol,
    predictors: [
      ...model.variants.map((v, i) => variantPredictor(model, v, {
        traffic: v.weight,
        serviceName: i === 0 ? model.serviceName : undefined,
      })),
      ...model.mirrors.map(m => variantPredictor(model, m, { traffic: 0 })),
    ],
  });
  seldonDeployment._routeExplicitly();

  const targets = new Map<string, Target>();
  const destinationRules: DestinationRule[] = [];
  for (const { name, model: variant } of allVariants(model)) {
    const service = seldonDeployment.predictorServiceName(name);
    // The operator's subsets select `version`, which defaults to the predictor name.
    const version = variantVersion(model, name, variant)!;
    const host = `${service}.${model.namespace}.svc.cluster.local`;
    targets.set(name, { host, subset: name, restPort: SELDON_REST_PORT, grpcPort: SELDON_GRPC_PORT });
    // As the operator would write it for this predictor, under a name it never uses.
    destinationRules.push(new DestinationRule(scope, `DestinationRule-${name}`, {
      name: `${service}-${SUBSETS_SUFFIX}`,
      namespace: model.namespace,
      labels: model.labels,
      host,
      subsets: [{ name, labels: { version } }],
      idleTimeout: Duration.seconds(60),
    }));
    destinationRules[destinationRules.length - 1]._workloadLabels = seldonPodSelector(model.name);
  }

  // The operator's own two routes (REST and gRPC), so that clients call the same paths in both modes.
  const flavours: Flavour[] = operatorRouteMatches(model.namespace, model.name).map(({ route, match, rewriteUri }) => ({
    suffix: `-${route}`,
    match: {
      uri: stringMatchOf(match.uri),
      headers: match.headers ? Object.fromEntries(Object.entries(match.headers).map(([k, v]) => [k, stringMatchOf(v)])) : undefined,
    },
    rewriteUri,
    port: (t: Target) => route === 'rest' ? t.restPort : t.grpcPort,
  }));
  const virtualService = new VirtualService(scope, 'VirtualService', {
    name: `${model.name}-${ROUTES_SUFFIX}`,
    namespace: model.namespace,
    labels: model.labels,
    gateways: routeGateways(model),
    hosts: routeHosts(model) ?? ['*'],
    routes: routesOf(model, targets, flavours),
  });
  return { seldonDeployment, virtualService, destinationRules };
}

function renderForServices(scope: Construct, model: EndpointModel): RenderedEndpoint {
  const targets = new Map<string, Target>();
  const rules = new Map<string, DestinationRule>();
  // A model that mixes backends is refused by modelProblems; only the Service variants render here.
  for (const { name, model: variant } of allVariants(model).filter(v => v.model._service)) {
    const props = variant._service!;
    const host = `${props.serviceName}.${model.namespace}.svc.cluster.local`;
    const tfServing = props.tfServing;
    targets.set(name, tfServing
      ? { host, subset: name, restPort: tfServing.restPort, grpcPort: tfServing.grpcPort }
      : { host, subset: name, restPort: props.port });
    let rule = rules.get(host);
    if (!rule) {
      rule = new DestinationRule(scope, `DestinationRule-${props.serviceName}`, {
        name: `${props.serviceName}-${SUBSETS_SUFFIX}`,
        namespace: model.namespace,
        labels: model.labels,
        host,
      });
      rule._workloadLabels = props.podSelector ? { ...props.podSelector } : undefined;
      rules.set(host, rule);
    }
    rule.addSubset({ name, labels: { ...props.labels } });
  }
  const virtualService = new VirtualService(scope, 'VirtualService', {
    name: `${model.name}-${ROUTES_SUFFIX}`,
    namespace: model.namespace,
    labels: model.labels,
    gateways: routeGateways(model),
    hosts: routeHosts(model) ?? ['*'],
    routes: routesOf(model, targets, allVariants(model).every(v => v.model._service?.tfServing) ? TF_SERVING_FLAVOURS : [{ suffix: '', port: t => t.restPort }]),
  });
  return { virtualService, destinationRules: [...rules.values()] };
}

/**
 * TF Serving's Service has two ports (gRPC 8500, REST 8501). A destination without port would
 * take the listener's port (80 at an ingress gateway: no such cluster, 503), so each request
 * kind gets its own route and port: gRPC requests by their content type, the rest to REST.
 */
const TF_SERVING_FLAVOURS: Flavour[] = [
  { suffix: '-grpc', match: { headers: { 'content-type': StringMatch.prefix('application/grpc') } }, port: t => t.grpcPort },
  { suffix: '-rest', port: t => t.restPort },
];

function stringMatchOf(spec: any): StringMatch {
  if (spec.prefix !== undefined) return StringMatch.prefix(spec.prefix);
  if (spec.regex !== undefined) return StringMatch.regex(spec.regex);
  return StringMatch.exact(spec.exact);
}

function merged(user: HttpMatch, flavour: HttpMatch | undefined): HttpMatch {
  if (!flavour) return user;
  return {
    ...user,
    uri: flavour.uri ?? user.uri,
    headers: user.headers || flavour.headers ? { ...(user.headers ?? {}), ...(flavour.headers ?? {}) } : undefined,
  };
}

/**
 * The routes in Istio's order: match routes, then sticky-cookie routes, then the weighted
 * default, each once per flavour; mirrors, retries and timeout on every route.
 */
function routesOf(model: EndpointModel, targets: Map<string, Target>, flavours: Flavour[]): HttpRoute[] {
  const routes: HttpRoute[] = [];
  const variants = model.variants.filter(v => targets.has(v.name));
  const mirrors = model.mirrors.filter(m => targets.has(m.name));
  const cookie = model.stickyCookie;
  // Every answer of a variant carries its sticky cookie, whichever route reached it (match routes
  // too), appended beside any Set-Cookie the model or the engine sends.
  const toDestination = (flavour: Flavour, name: string, weight?: number): RouteDestination => {
    const t = targets.get(name)!;
    const addedResponseHeaders = cookie ? { 'set-cookie': `${cookie}=${name}; Path=/` } : undefined;
    return { host: t.host, subset: t.subset, port: flavour.port(t), weight, addedResponseHeaders };
  };
  const mirrorsOf = (flavour: Flavour): RouteMirror[] | undefined => mirrors.length === 0 ? undefined : mirrors.map(m => {
    const t = targets.get(m.name)!;
    return { host: t.host, subset: t.subset, port: flavour.port(t), percentage: m.percentage };
  });
  const common = (flavour: Flavour) => ({
    rewriteUri: flavour.rewriteUri,
    mirrors: mirrorsOf(flavour),
    // With retries, the operator always writes a per-try timeout (1s by default): so do we, so
    // that switching the mode never changes how a request is retried.
    retries: model.retries && model.retries.attempts > 0 && !model.retries.perTryTimeout
      ? { ...model.retries, perTryTimeout: Duration.seconds(SELDON_RETRIES_TIMEOUT_SECONDS) }
      : model.retries,
    timeout: model.timeout,
  });
  const single = (name: string, matches: HttpMatch[], target: string) => flavours.map((flavour): HttpRoute => ({
    name: `${name}${flavour.suffix}`,
    matches: matches.map(m => merged(m, flavour.match)),
    destinations: [toDestination(flavour, target)],
    ...common(flavour),
  }));

  for (const route of model.routes.filter(r => targets.has(r.target))) {
    routes.push(...single(route.name, route.matches, route.target));
  }
  if (cookie) {
    for (const v of variants) {
      routes.push(...single(`sticky-${v.name}`, [{ headers: { cookie: StringMatch.cookie(cookie, v.name) } }], v.name));
    }
  }
  for (const flavour of flavours) {
    routes.push({
      name: `default${flavour.suffix}`,
      matches: flavour.match ? [flavour.match] : undefined,
      destinations: variants.map(v => toDestination(flavour, v.name, variants.length > 1 ? v.weight : undefined)),
      ...common(flavour),
    });
  }
  return routes;
}
