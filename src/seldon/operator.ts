/**
 * The Seldon Core v1 operator, modelled once: the names it gives its objects, its ports and
 * defaults, and the Services, pods, VirtualService and DestinationRules it creates for a
 * SeldonDeployment. The Seldon renderer, the explicit renderer, the app-wide analyzers, the
 * route report and the route simulator all ask this module, so they cannot drift apart.
 *
 * Source: SeldonIO/seldon-core at tag v1.18.2, `operator/controllers/seldondeployment_controller.go`
 * (`createIstioResources`, `createPredictorService`) unless a comment says otherwise.
 */
import { createHash } from 'crypto';
import { SeldonAnnotations } from './annotations';
import { SeldonPredictorProps } from './predictor';
import { MAX_LABEL_LENGTH } from '../core/names';
import { SELDON_RETRY_ON } from '../istio/route-types';

/** The engine's REST port on every predictor Service (`DEFAULT_ENGINE_CONTAINER_PORT`). @internal */
export const SELDON_REST_PORT = 8000;
/** The per-try timeout of the operator's retries when `seldon.io/istio-retries-timeout` is unset, in seconds. @internal */
export const SELDON_RETRIES_TIMEOUT_SECONDS = 1;
/** The engine's gRPC port on every predictor Service (`DEFAULT_ENGINE_GRPC_PORT`). @internal */
export const SELDON_GRPC_PORT = 5001;

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
export function predictorServiceName(sdepName: string, predictor: Pick<SeldonPredictorProps, 'name' | 'serviceName'>): string {
  return predictor.serviceName ?? operatorObjectName(`${sdepName}-${predictor.name}`);
}

/**
 * The label the Seldon v1 operator puts on every pod of a SeldonDeployment (model pods and a
 * separate engine pod alike), with the operator's name for it (`seldon-<md5>` past 63
 * characters): `Label_seldon_id` in `operator/apis/machinelearning.seldon.io/v1/seldondeployment_types.go`,
 * set in `createDeploymentWithoutEngine` and `createEngineDeployment` (`seldondeployment_engine.go`).
 * @internal
 */
export const SELDON_DEPLOYMENT_ID_LABEL = 'seldon-deployment-id';

/** The label a predictor Service selects its pods by (`Label_seldon_app`), valued with the Service's name. @internal */
export const SELDON_APP_LABEL = 'seldon-app';

/** Labels that every pod of the SeldonDeployment `sdepName` carries. @internal */
export function seldonPodSelector(sdepName: string): Record<string, string> {
  return { [SELDON_DEPLOYMENT_ID_LABEL]: operatorObjectName(sdepName) };
}

/** The gateway the Seldon operator binds to unless told otherwise (its Helm chart's `istio.gateway`); our default too. @internal */
export const SELDON_DEFAULT_GATEWAY = 'istio-system/seldon-gateway';

/** Seldon's gRPC route match: the operator's URI regex (`constants.GRPCRegExMatchIstio`). @internal */
export const SELDON_GRPC_URI_REGEX = '.*tensorflow.*|.*seldon.protos.*|.*inference.*';

/** The public REST path prefix of a SeldonDeployment. @internal */
export function seldonPathPrefix(namespace: string, name: string): string {
  return `/seldon/${namespace}/${name}/`;
}

/**
 * The two route matches of the operator's VirtualService, as Istio `HTTPMatchRequest` specs:
 * `rest` (the public path prefix, rewritten to `/`, to port 8000) and `grpc` (the URI regex
 * plus the `seldon` and `namespace` headers, to port 5001).
 * @internal
 */
export function operatorRouteMatches(namespace: string, name: string): Array<{ route: 'rest' | 'grpc'; match: any; port: number; rewriteUri?: string }> {
  return [
    { route: 'rest', match: { uri: { prefix: seldonPathPrefix(namespace, name) } }, port: SELDON_REST_PORT, rewriteUri: '/' },
    { route: 'grpc', match: { uri: { regex: SELDON_GRPC_URI_REGEX }, headers: { seldon: { exact: name }, namespace: { exact: namespace } } }, port: SELDON_GRPC_PORT },
  ];
}

/** A predictor of a SeldonDeployment manifest, as the operator reads it. @internal */
export interface OperatorPredictor {
  readonly name: string;
  readonly serviceName: string;
  readonly host: string;
  readonly shadow: boolean;
  readonly traffic: number;
  /** Labels of the predictor's pods (what its DestinationRule subset and policies select). */
  readonly podLabels: Record<string, string>;
}

/** Everything the operator makes of one SeldonDeployment manifest. @internal */
export interface OperatorObjects {
  readonly namespace: string;
  readonly name: string;
  readonly predictors: OperatorPredictor[];
  /** The predictor Services (ports 8000 `http` and 5001 `grpc`, selecting `seldon-app`). */
  readonly services: any[];
  /** The VirtualService and DestinationRules, which exist only when the operator runs with Istio on. */
  readonly virtualService: any;
  readonly destinationRules: any[];
}

/** An annotation as the operator reads it: `spec.annotations` first, then `metadata.annotations` (`utils.GetAnnotation`). */
function annotation(sdep: any, key: string): string | undefined {
  return sdep.spec?.annotations?.[key] ?? sdep.metadata?.annotations?.[key];
}

/**
 * What the operator creates for a SeldonDeployment manifest (plain JSON, as synthesized).
 * @internal
 */
export function operatorObjects(sdep: any): OperatorObjects {
  const namespace: string = sdep.metadata?.namespace ?? 'default';
  const name: string = sdep.metadata?.name;
  const seldonId = operatorObjectName(name);
  const predictors: OperatorPredictor[] = (sdep.spec?.predictors ?? []).map((p: any): OperatorPredictor => {
    const serviceName = predictorServiceName(name, { name: p.name, serviceName: p.annotations?.[SeldonAnnotations.SVC_NAME] });
    return {
      name: p.name,
      serviceName,
      host: `${serviceName}.${namespace}.svc.cluster.local`,
      shadow: p.shadow === true,
      traffic: p.traffic ?? 0,
      podLabels: {
        ...(p.labels ?? {}),
        // The defaulting in the operator's webhook (`DefaultSeldonDeployment`) sets `version` to the predictor name.
        version: p.labels?.version ?? p.name,
        [SELDON_DEPLOYMENT_ID_LABEL]: seldonId,
        [SELDON_APP_LABEL]: serviceName,
        ...(p.shadow === true ? { 'seldon.io/shadow': 'true' } : {}),
      },
    };
  });
  const services = predictors.map(p => ({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: p.serviceName, namespace, labels: { [SELDON_APP_LABEL]: p.serviceName, [SELDON_DEPLOYMENT_ID_LABEL]: seldonId } },
    spec: {
      selector: { [SELDON_APP_LABEL]: p.serviceName },
      ports: [
        { name: 'http', port: SELDON_REST_PORT, protocol: 'TCP', targetPort: SELDON_REST_PORT },
        { name: 'grpc', port: SELDON_GRPC_PORT, protocol: 'TCP', targetPort: SELDON_GRPC_PORT },
      ],
    },
  }));

  // Retries only when the annotation is an integer > 0; the per-try timeout defaults to 1 s.
  const attempts = Number.parseInt(annotation(sdep, SeldonAnnotations.ISTIO_RETRIES) ?? '', 10);
  const perTry = Number.parseInt(annotation(sdep, SeldonAnnotations.ISTIO_RETRIES_TIMEOUT) ?? String(SELDON_RETRIES_TIMEOUT_SECONDS), 10);
  const retries = attempts > 0 ? { attempts, perTryTimeout: `${perTry}s`, retryOn: SELDON_RETRY_ON.join(',') } : undefined;
  const live = predictors.filter(p => !p.shadow);
  const shadow = predictors.find(p => p.shadow);
  const http = operatorRouteMatches(namespace, name).map(({ match, port, rewriteUri }) => ({
    match: [match],
    ...(rewriteUri ? { rewrite: { uri: rewriteUri } } : {}),
    route: live.map(p => ({ destination: { host: p.host, subset: p.name, port: { number: port } }, weight: p.traffic })),
    ...(shadow ? { mirror: { host: shadow.host, subset: shadow.name, port: { number: port } } } : {}),
    // A shadow with traffic 0 gets no mirrorPercentage, which Istio reads as 100 %.
    ...(shadow && shadow.traffic > 0 ? { mirrorPercentage: { value: shadow.traffic } } : {}),
    ...(retries ? { retries } : {}),
  }));
  const virtualService = {
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'VirtualService',
    metadata: { name: seldonId, namespace },
    spec: {
      // `utils.HostsFromAnnotation` splits the host annotation on commas; the gateway annotation is one name.
      hosts: (annotation(sdep, SeldonAnnotations.ISTIO_HOST) ?? '*').split(',').map(h => h.trim()).filter(h => h !== ''),
      gateways: [annotation(sdep, SeldonAnnotations.ISTIO_GATEWAY) ?? SELDON_DEFAULT_GATEWAY],
      http,
    },
  };
  const destinationRules = predictors.map(p => ({
    apiVersion: 'networking.istio.io/v1alpha3',
    kind: 'DestinationRule',
    metadata: { name: p.serviceName, namespace },
    spec: {
      host: p.host,
      subsets: [{ name: p.name, labels: { version: p.podLabels.version } }],
      trafficPolicy: { connectionPool: { http: { idleTimeout: '60s' } } },
    },
  }));
  return { namespace, name, predictors, services, virtualService, destinationRules };
}
