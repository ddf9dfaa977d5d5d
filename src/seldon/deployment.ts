import { ApiObject, Chart, Duration, GroupVersionKind } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { SeldonAnnotations } from './annotations';
import { graphNodes, graphProblems, graphToSpec } from './graph';
import { operatorObjectName, predictorServiceName, seldonPodSelector } from './operator';
import { SeldonComponentSpec, SeldonPredictorProps } from './predictor';
import { SeldonProtocol } from './protocol';
import { DeferredSpec, instanceofByPrototype } from '../core/library-object';
import { metadataOf } from '../core/metadata';
import { ModelWorkload, SELDON_SCRAPE } from '../core/model-workloads';
import { Problems, registerValidation, show } from '../core/validation';
import { gatewayRefView, IGateway, isMeshGateway } from '../istio/gateway';
import { registerResource, resourceChanged } from '../rules/analyzers';
import { ISV_DUPLICATE_HOSTS, ISV_GATEWAY_REF, ISV_HOST, ISV_MESH_WILDCARD, ISV_REQUIRED, K8S_NAME, K8S_REPLICAS, K8S_SERVICE_NAME, POL_ANNOTATIONS, SDO_RETRIES, SDW_LONE_TRAFFIC, SDW_PREDICTOR_NAMES, SDW_PROTOCOL, SDW_SERVICE_NAMES, SDW_SHADOWS, SDW_TRAFFIC_RANGE, SDW_TRAFFIC_SUM } from '../rules/catalogue';

/**
 * The group, version and kind of the generated import's `SeldonDeployment` (a test holds them
 * equal), written out: the generated module is 2.4 MB of JavaScript, and requiring it only for
 * these two strings made `require('cdk8s-seldon-istio')` a third slower.
 * @internal
 */
export const SELDON_DEPLOYMENT_GVK: GroupVersionKind = { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment' };

/** How the Seldon engine is reached. */
export enum SeldonTransport {
  /** HTTP. */
  REST = 'rest',
  /** gRPC. */
  GRPC = 'grpc',
}

/** Props of a `SeldonDeployment`. */
export interface SeldonDeploymentProps {
  /**
   * Name of the SeldonDeployment, a DNS-1123 label. It is part of the model's URL
   * (`/seldon/<namespace>/<name>/`) and of every object the operator creates.
   * @default a name generated from the construct path
   */
  readonly name?: string;

  /**
   * Namespace of the SeldonDeployment.
   * @default the chart's namespace, else none (the namespace the manifest is applied to)
   */
  readonly namespace?: string;

  /**
   * Predictors. More can be added with `addPredictor`; at least one is needed.
   * @default none
   */
  readonly predictors?: SeldonPredictorProps[];

  /**
   * Inference protocol.
   * @default unset: the operator's default, `seldon`
   */
  readonly protocol?: SeldonProtocol;

  /**
   * Transport of the engine.
   * @default unset: the operator's default, `rest`
   */
  readonly transport?: SeldonTransport;

  /**
   * Replicas of every predictor that sets none.
   * @default unset: 1
   */
  readonly replicas?: number;

  /**
   * Gateway the operator binds the generated VirtualService to (`seldon.io/istio-gateway`):
   * a `Gateway` construct, a `Gateway.fromName(...)` reference, or `Gateway.mesh()`. The
   * operator takes the annotation as one gateway (it does not split it on commas).
   * @default unset: the operator's configured gateway (`istio-system/seldon-gateway` unless
   * the operator was installed with another `istio.gateway`)
   */
  readonly gateway?: IGateway;

  /**
   * Hosts of the generated VirtualService (`seldon.io/istio-host`). Bound to the `mesh`
   * gateway, they must be named hosts (the predictor's Service name), not `*`.
   * @default unset: `*`
   */
  readonly hosts?: string[];

  /**
   * Retry attempts of the generated routes (`seldon.io/istio-retries`), an integer >= 0.
   * @default unset: no retries
   */
  readonly retries?: number;

  /**
   * Per-try timeout of those retries (`seldon.io/istio-retries-timeout`), in whole seconds.
   * @default unset: 1 second when retries are set
   */
  readonly retriesTimeout?: Duration;

  /**
   * Labels of the SeldonDeployment object.
   * @default none
   */
  readonly labels?: { [key: string]: string };

  /**
   * Annotations of the SeldonDeployment object (`metadata.annotations`).
   * @default none
   */
  readonly annotations?: { [key: string]: string };

  /**
   * Further annotations under `spec.annotations`, where the operator reads its settings
   * first (and copies them onto the Deployments and pods it creates).
   * @default none
   */
  readonly specAnnotations?: { [key: string]: string };
}

const SELDON_PROTOCOLS: string[] = Object.values(SeldonProtocol);
const SELDON_TRANSPORTS: string[] = Object.values(SeldonTransport);

/**
 * A Seldon Core v1 `SeldonDeployment` (`machinelearning.seldon.io/v1`): a model endpoint
 * whose predictors the Seldon operator turns into Deployments, Services and, with Istio
 * enabled in the operator, a VirtualService and DestinationRules.
 *
 * The Istio settings the operator reads from annotations are typed props here, written to
 * `spec.annotations` (which wins over `metadata.annotations`), and the names of what the
 * operator will create are exposed so other constructs can refer to them.
 *
 * @see https://docs.seldon.io/projects/seldon-core/en/latest/ingress/istio.html
 */
export class SeldonDeployment extends ApiObject {
  /** Namespace of the SeldonDeployment, when known (prop or chart). */
  public readonly namespace?: string;

  private readonly settings: SeldonDeploymentProps;
  private readonly predictors: SeldonPredictorProps[];
  private routedExplicitly = false;
  private readonly extraSpecAnnotations: Record<string, string> = {};

  constructor(scope: Construct, id: string, props: SeldonDeploymentProps = {}) {
    const namespace = props.namespace ?? Chart.of(scope).namespace;
    const spec = new DeferredSpec();
    super(scope, id, {
      ...SELDON_DEPLOYMENT_GVK,
      metadata: metadataOf({ name: props.name, namespace, labels: props.labels, annotations: props.annotations }),
      spec: spec.value,
    });
    this.settings = props;
    this.predictors = [...(props.predictors ?? [])];
    this.namespace = namespace;

    const assertValid = registerValidation(this, () => this.problems());
    registerResource(this, () => ({
      kind: 'SeldonDeployment',
      namespace: this.namespace ?? 'default',
      name: this.name,
      operatorRoutes: !this.routedExplicitly,
      gateway: this.settings.gateway ? gatewayRefView(this.settings.gateway) : undefined,
      hosts: this.settings.hosts ?? ['*'],
      predictors: this.predictors.map(p => ({ name: p.name, host: `${predictorServiceName(this.name, p)}.${this.namespace ?? 'default'}.svc.cluster.local` })),
    }));
    spec.bind(assertValid, () => this.toSpec());
  }

  /** Adds a predictor. */
  public addPredictor(predictor: SeldonPredictorProps): void {
    this.predictors.push(predictor);
    resourceChanged(this);
  }

  /**
   * Marks this SeldonDeployment as routed by the library's own VirtualService (explicit mode,
   * operator installed with `istio.enabled=false`): the operator writes no Istio object for it.
   * @internal
   */
  public _routeExplicitly(): void {
    this.routedExplicitly = true;
    resourceChanged(this);
  }

  /** Names of the predictors, in order. */
  public get predictorNames(): string[] {
    return this.predictors.map(p => p.name);
  }

  /** The predictors, in order. */
  public get predictorProps(): SeldonPredictorProps[] {
    return [...this.predictors];
  }

  /**
   * Name of the VirtualService the operator generates for this SeldonDeployment, which is
   * also the value of the `seldon-deployment-id` label on its pods.
   */
  public get virtualServiceName(): string {
    return operatorObjectName(this.name);
  }

  /**
   * Name of the Service (and of the DestinationRule) the operator creates for a predictor:
   * its `serviceName`, else `<sdep>-<predictor>`.
   */
  public predictorServiceName(predictorName: string): string {
    return predictorServiceName(this.name, this.findPredictor(predictorName));
  }

  /** In-cluster host of a predictor's Service: `<service>.<namespace>.svc.cluster.local`. */
  public predictorServiceHost(predictorName: string): string {
    if (!this.namespace) {
      throw new Error(`[${this.node.path}] the host of predictor '${predictorName}' needs a namespace: set 'namespace' on the SeldonDeployment or its chart`);
    }
    return `${this.predictorServiceName(predictorName)}.${this.namespace}.svc.cluster.local`;
  }

  /**
   * Labels the operator puts on every pod of this SeldonDeployment (`seldon-deployment-id`),
   * for policies that select them.
   */
  public get podSelector(): { [key: string]: string } {
    return seldonPodSelector(this.name);
  }

  /**
   * Adds a `spec.annotations` entry, which the operator copies onto every Deployment and pod.
   * @internal
   */
  public _addSpecAnnotation(key: string, value: string): void {
    this.extraSpecAnnotations[key] = value;
    resourceChanged(this);
  }

  /** @internal */
  public _modelUris(): Array<{ uri: string; where: string }> {
    return this.predictors.flatMap(p => graphNodes(p.graph)
      .filter(n => n.modelUri !== undefined)
      .map(n => ({ uri: n.modelUri!, where: `SeldonDeployment '${this.node.path}' predictor '${p.name}' node '${n.name}'` })));
  }

  /** @internal */
  public _modelWorkloads(): ModelWorkload[] {
    return [{
      description: `SeldonDeployment '${this.name}'`,
      namespace: this.namespace ?? 'default',
      podLabels: this.podSelector,
      scrape: SELDON_SCRAPE,
      podAnnotations: () => ({ ...(this.settings.specAnnotations ?? {}), ...this.extraSpecAnnotations }),
    }];
  }

  private findPredictor(predictorName: string): SeldonPredictorProps {
    const predictor = this.predictors.find(p => p.name === predictorName);
    if (!predictor) {
      throw new Error(`[${this.node.path}] has no predictor ${show(predictorName)}: its predictors are ${show(this.predictorNames)}`);
    }
    return predictor;
  }

  /** The annotations this construct writes from its typed props. */
  private istioAnnotations(): Record<string, string> {
    const { gateway, hosts, retries, retriesTimeout } = this.settings;
    const annotations: Record<string, string> = {};
    if (gateway !== undefined) annotations[SeldonAnnotations.ISTIO_GATEWAY] = gateway.gatewayRef;
    if (hosts !== undefined) annotations[SeldonAnnotations.ISTIO_HOST] = hosts.join(',');
    if (retries !== undefined) annotations[SeldonAnnotations.ISTIO_RETRIES] = String(retries);
    if (retriesTimeout !== undefined) {
      annotations[SeldonAnnotations.ISTIO_RETRIES_TIMEOUT] = String(retriesTimeout.toMilliseconds({ integral: false }) / 1000);
    }
    return annotations;
  }

  private problems(): string[] {
    const problems = new Problems();
    const props = this.settings;
    problems.add(K8S_NAME.check('SeldonDeployment name', this.name));
    if (this.namespace !== undefined) problems.add(K8S_NAME.check('namespace', this.namespace));
    if (props.protocol !== undefined) {
      problems.check(SDW_PROTOCOL, SELDON_PROTOCOLS.includes(props.protocol), () => `protocol ${show(props.protocol)} is not one of ${show(SELDON_PROTOCOLS)}`);
    }
    if (props.transport !== undefined) {
      problems.check(SDW_PROTOCOL, SELDON_TRANSPORTS.includes(props.transport), () => `transport ${show(props.transport)} is not one of ${show(SELDON_TRANSPORTS)}`);
    }
    if (props.replicas !== undefined) problems.add(K8S_REPLICAS.check('replicas', props.replicas));
    problems.addAll(this.istioProblems());
    problems.addAll(this.annotationConflicts());
    problems.addAll(this.predictorProblems());
    return problems.all;
  }

  private istioProblems(): string[] {
    const problems = new Problems();
    const { gateway, hosts, retries, retriesTimeout } = this.settings;
    if (gateway !== undefined) {
      problems.add(ISV_GATEWAY_REF.check('gateway', gateway.gatewayRef));
    }
    if (hosts !== undefined) {
      problems.check(ISV_REQUIRED, hosts.length > 0, 'hosts is empty: list at least one host, or leave it unset for \'*\'');
      for (const host of hosts) problems.add(ISV_HOST.check('host', host, false));
      problems.add(ISV_DUPLICATE_HOSTS.check('hosts', hosts));
    }
    if (gateway && isMeshGateway(gateway)) {
      const effectiveHosts = hosts ?? ['*'];
      problems.check(ISV_MESH_WILDCARD, !effectiveHosts.includes('*'),
        `hosts ${show(effectiveHosts)} include '*', which Istio refuses for a VirtualService bound to the 'mesh' gateway: set hosts to the main predictor's Service name (its serviceName)`);
    }
    if (retries !== undefined) {
      problems.check(SDO_RETRIES, Number.isInteger(retries) && retries >= 0,
        () => `retries ${show(retries)} must be an integer >= 0 (the number of retry attempts)`);
    }
    if (retriesTimeout !== undefined) {
      const millis = retriesTimeout.toMilliseconds({ integral: false });
      problems.check(SDO_RETRIES, millis >= 1000 && millis % 1000 === 0,
        () => `retriesTimeout ${millis}ms must be a whole number of seconds >= 1: the operator reads seldon.io/istio-retries-timeout as seconds`);
      problems.check(SDO_RETRIES, retries !== undefined && retries > 0,
        `retriesTimeout is set but retries is ${show(retries ?? 'unset')}: the operator applies the per-try timeout only with retries > 0`);
    }
    return problems.all;
  }

  /** Typed props and free annotations must not say two things about the same operator setting. */
  private annotationConflicts(): string[] {
    const problems = new Problems();
    const typed = this.istioAnnotations();
    const sources: Array<[string, Record<string, string> | undefined]> = [
      ['annotations', this.settings.annotations],
      ['specAnnotations', this.settings.specAnnotations],
    ];
    for (const [key, value] of Object.entries(typed)) {
      for (const [where, annotations] of sources) {
        const other = annotations?.[key];
        problems.check(POL_ANNOTATIONS, other === undefined,
          () => `${where} sets ${key}=${show(other)} which the typed prop already sets to ${show(value)}: remove it from ${where}`);
      }
    }
    const meta = this.settings.annotations ?? {};
    for (const [key, value] of Object.entries(this.settings.specAnnotations ?? {})) {
      problems.check(POL_ANNOTATIONS, meta[key] === undefined || meta[key] === value,
        () => `${key} is ${show(meta[key])} in annotations but ${show(value)} in specAnnotations: the operator would read only the spec value; set it once`);
    }
    return problems.all;
  }

  private predictorProblems(): string[] {
    const problems = new Problems();
    const predictors = this.predictors;
    problems.check(ISV_REQUIRED, predictors.length > 0, 'has no predictors: add one with the predictors prop or addPredictor()');

    const names = new Set<string>();
    const serviceNames = new Map<string, string>();
    for (const predictor of predictors) {
      const where = `predictor ${show(predictor.name)}`;
      problems.add(K8S_NAME.check('predictor name', predictor.name));
      problems.check(SDW_PREDICTOR_NAMES, !names.has(predictor.name), `Duplicate predictor name ${show(predictor.name)}: give every predictor its own name`);
      names.add(predictor.name);

      if (predictor.serviceName !== undefined) {
        problems.add(K8S_SERVICE_NAME.check(`${where}: serviceName`, predictor.serviceName));
      }
      const svc = predictorServiceName(this.name, predictor);
      const clash = serviceNames.get(svc);
      problems.check(SDW_SERVICE_NAMES, clash === undefined,
        () => `${where}: Service name ${show(svc)} is also the Service of predictor ${show(clash)}: give each predictor its own serviceName`);
      serviceNames.set(svc, predictor.name);

      const svcAnnotation = predictor.annotations?.[SeldonAnnotations.SVC_NAME];
      problems.check(POL_ANNOTATIONS, svcAnnotation === undefined || predictor.serviceName === undefined,
        () => `${where}: annotations set ${SeldonAnnotations.SVC_NAME}=${show(svcAnnotation)} and serviceName is ${show(predictor.serviceName)}: use serviceName only`);

      if (predictor.replicas !== undefined) problems.add(K8S_REPLICAS.check(`${where}: replicas`, predictor.replicas));
      if (predictor.traffic !== undefined) problems.add(SDW_TRAFFIC_RANGE.check(where, predictor.traffic));
      const containers = new Set((predictor.componentSpecs ?? []).flatMap(c => (c.containers ?? []).map(k => k.name)));
      problems.addAll(graphProblems(predictor.graph, where, containers));
      if (this.settings.protocol === SeldonProtocol.TENSORFLOW) {
        for (const node of graphNodes(predictor.graph)) {
          problems.check(SDW_PROTOCOL, !node.implementation || node.implementation.supportsTensorflowProtocol,
            () => `${where}: graph node ${show(node.name)} uses ${node.implementation!.implementation}, which Seldon refuses with the 'tensorflow' protocol: use SeldonProtocol.SELDON or V2`);
        }
      }
    }
    problems.addAll(trafficProblems(predictors));
    return problems.all;
  }

  private toSpec(): any {
    const specAnnotations = { ...(this.settings.specAnnotations ?? {}), ...this.extraSpecAnnotations, ...this.istioAnnotations() };
    return {
      name: this.name,
      annotations: Object.keys(specAnnotations).length > 0 ? specAnnotations : undefined,
      protocol: this.settings.protocol,
      transport: this.settings.transport,
      replicas: this.settings.replicas,
      predictors: this.predictors.map(p => predictorToSpec(p)),
    };
  }
}
instanceofByPrototype(SeldonDeployment);

/**
 * The Seldon admission webhook's traffic rules (`ValidateSeldonDeployment`, v1.18.2), in its
 * own words: the traffic of the non-shadow predictors sums to 100 when there are several of
 * them; a lone predictor (counting shadows) with traffic set has 100.
 */
function trafficProblems(predictors: SeldonPredictorProps[]): string[] {
  const problems = new Problems();
  const shadows = predictors.filter(p => p.shadow);
  const live = predictors.filter(p => !p.shadow);
  problems.check(SDW_SHADOWS, shadows.length <= 1,
    () => `Multiple shadows are not allowed: predictors ${show(shadows.map(s => s.name))} are all shadows; keep one`);
  problems.check(SDW_SHADOWS, predictors.length === 0 || live.length > 0,
    'Shadow can not exist as only predictor: add the predictor it shadows');
  const sum = live.reduce((total, p) => total + (p.traffic ?? 0), 0);
  if (live.length > 1) {
    problems.check(SDW_TRAFFIC_SUM, sum === 100,
      () => `Traffic must sum to 100 for multiple predictors: ${live.map(p => `${p.name}=${p.traffic ?? 0}`).join(' + ')} = ${sum}`);
  }
  if (predictors.length === 1) {
    problems.check(SDW_LONE_TRAFFIC, !(sum > 0 && sum < 100),
      () => `Traffic must sum be 100 for a single predictor when set: predictor ${show(predictors[0].name)} has traffic ${sum}; set 100 or leave it unset`);
  }
  return problems.all;
}

function predictorToSpec(predictor: SeldonPredictorProps): any {
  const annotations = { ...(predictor.annotations ?? {}) };
  if (predictor.serviceName !== undefined) annotations[SeldonAnnotations.SVC_NAME] = predictor.serviceName;
  return {
    name: predictor.name,
    annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    labels: predictor.labels,
    graph: graphToSpec(predictor.graph),
    componentSpecs: predictor.componentSpecs?.map(componentSpecToSpec),
    replicas: predictor.replicas,
    traffic: predictor.traffic,
    shadow: predictor.shadow,
  };
}

function componentSpecToSpec(component: SeldonComponentSpec): any {
  return {
    replicas: component.replicas,
    spec: {
      containers: component.containers?.map(c => ({
        name: c.name,
        image: c.image,
        imagePullPolicy: c.imagePullPolicy,
        env: c.env ? Object.entries(c.env).map(([name, value]) => ({ name, value })) : undefined,
        resources: c.resources ? resourcesToSpec(c.resources) : undefined,
        securityContext: c.securityContext ? securityContextToSpec(c.securityContext) : undefined,
      })),
      terminationGracePeriodSeconds: component.terminationGracePeriodSeconds,
      serviceAccountName: component.serviceAccountName,
      nodeSelector: component.nodeSelector,
    },
  };
}

/** Kubernetes' form of cdk8s-plus container resources, written as cdk8s-plus writes them (CPU as given, memory in Mi, storage in Gi). */
function resourcesToSpec(resources: kplus.ContainerResources): { requests?: Record<string, string>; limits?: Record<string, string> } {
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (resources.cpu?.request) requests.cpu = resources.cpu.request.amount;
  if (resources.cpu?.limit) limits.cpu = resources.cpu.limit.amount;
  if (resources.memory?.request) requests.memory = `${resources.memory.request.toMebibytes()}Mi`;
  if (resources.memory?.limit) limits.memory = `${resources.memory.limit.toMebibytes()}Mi`;
  if (resources.ephemeralStorage?.request) requests['ephemeral-storage'] = `${resources.ephemeralStorage.request.toGibibytes()}Gi`;
  if (resources.ephemeralStorage?.limit) limits['ephemeral-storage'] = `${resources.ephemeralStorage.limit.toGibibytes()}Gi`;
  return {
    requests: Object.keys(requests).length > 0 ? requests : undefined,
    limits: Object.keys(limits).length > 0 ? limits : undefined,
  };
}

/** Kubernetes' form of a cdk8s-plus container security context: only the fields given. */
function securityContextToSpec(context: kplus.ContainerSecurityContextProps): Record<string, unknown> {
  return {
    runAsUser: context.user,
    runAsGroup: context.group,
    runAsNonRoot: context.ensureNonRoot,
    privileged: context.privileged,
    readOnlyRootFilesystem: context.readOnlyRootFilesystem,
    allowPrivilegeEscalation: context.allowPrivilegeEscalation,
    capabilities: context.capabilities
      ? { add: context.capabilities.add?.map(c => `${c}`), drop: context.capabilities.drop?.map(c => `${c}`) }
      : undefined,
  };
}
