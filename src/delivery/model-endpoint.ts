import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelVariant } from './model-variant';
import { DestinationRule } from '../istio/destination-rule';
import { IGateway } from '../istio/gateway';
import { explicitProblems, referenceProblems, renderExplicit } from './render/istio-renderer';
import { Routing, RoutingMode } from './routing';
import { IstioSidecar } from '../istio/sidecar';
import { VirtualService } from '../istio/virtual-service';
import { POL_PATTERN } from '../rules/catalogue';
import { SeldonDeployment } from '../seldon/deployment';
import { SeldonProtocol } from '../seldon/protocol';
import { renderSeldonManaged, seldonManagedProblems } from './render/seldon-renderer';
import { RenderedEndpoint } from './render/shared';
import { EndpointModel, modelProblems, TrafficPlan, variantVersion } from './traffic-model';
import { registerValidation } from '../core/validation';

/** Props every delivery pattern accepts. */
export interface ModelEndpointProps {
  /**
   * Name of the endpoint: the SeldonDeployment's name and part of its public path
   * `/seldon/<namespace>/<name>/`.
   */
  readonly name: string;

  /**
   * Namespace of the endpoint's objects.
   * @default the chart's namespace (one is required)
   */
  readonly namespace?: string;

  /**
   * Who writes the Istio routes, with what only that writer supports: `Routing.seldonOperator()`
   * or `Routing.istio({ timeout, retries, stickyCookie })`.
   * @default Routing.seldonOperator()
   */
  readonly routing?: Routing;

  /**
   * Gateways the routes are bound to: `Gateway` constructs, `Gateway.fromName(...)`, `Gateway.mesh()`.
   * @default Seldon predictors: the operator's gateway (`istio-system/seldon-gateway`);
   * Service variants: the mesh
   */
  readonly gateways?: IGateway[];

  /**
   * Hosts the routes apply to.
   * @default `*`; in the mesh, `serviceName` (or the first Service variant's Service)
   */
  readonly hosts?: string[];

  /**
   * Name of the Service of the first variant (Seldon's `seldon.io/svc-name`). In the mesh
   * it is the host clients call: `http://<serviceName>:8000/seldon/<namespace>/<name>/...`.
   * @default `<name>-<variant>`
   */
  readonly serviceName?: string;

  /**
   * Inference protocol of the SeldonDeployment.
   * @default the operator's default (`seldon`)
   */
  readonly protocol?: SeldonProtocol;

  /**
   * Labels of the objects the endpoint writes (SeldonDeployment, VirtualService, DestinationRules).
   * @default none
   */
  readonly labels?: { [key: string]: string };

  /**
   * How the endpoint's Seldon pods get their Istio sidecar. (A `TfServingServer` has its own
   * `sidecar`; other Service variants' pods are not written by the endpoint.)
   * @default IstioSidecar.fromNamespace(): nothing on the pods, the namespace decides
   */
  readonly sidecar?: IstioSidecar;

  /**
   * Further labels of the endpoint's Seldon pods (every predictor).
   * @default none
   */
  readonly podLabels?: { [key: string]: string };
}

/** A variant of an endpoint with the name the pattern gave it. */
export interface EndpointVariant {
  /** The variant's name: its predictor or subset name (e.g. `stable`, `canary`, `blue`). */
  readonly name: string;
  /** The model version it serves. */
  readonly model: ModelVariant;
  /** True when the variant only receives a mirror of the traffic. */
  readonly mirror: boolean;
  /**
   * Its share in percent: of the live traffic by weight, or, for a mirror, of the requests mirrored
   * to it. (Match routes can send it more.)
   */
  readonly weight: number;
  /**
   * The value of the `version` label its pods carry, which its DestinationRule subset selects and
   * Istio reports as `destination_version` (undefined for a Service variant selected by other labels).
   */
  readonly version?: string;
}

/**
 * Base of the delivery patterns: turns the traffic plan a pattern decides into manifests with
 * the chosen routing, checks it at synth time, and exposes what it made.
 *
 * Extension point: a pattern of your own extends `ModelEndpoint`, builds a `TrafficPlan` (which
 * variants take which share, mirrors, match routes) and calls `renderPlan` once in its
 * constructor; both routings, every check and `EndpointSecurity` then work as for `Canary`.
 */
export abstract class ModelEndpoint extends Construct {
  /** Who writes the Istio routes (the routing's mode). */
  public readonly mode: RoutingMode;
  /** Who writes the Istio routes, with its options. */
  public readonly routing: Routing;
  /** Name of the endpoint. */
  public readonly name: string;
  /** Namespace of the endpoint. */
  public readonly namespace: string;

  private readonly props: ModelEndpointProps;
  private model?: EndpointModel;
  private rendered?: RenderedEndpoint;
  private readonly namespaceKnown: boolean;

  protected constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    this.props = props;
    this.routing = props.routing ?? Routing.seldonOperator();
    this.mode = this.routing.mode;
    this.name = props.name;
    const namespace = props.namespace ?? Chart.of(this).namespace;
    this.namespaceKnown = namespace !== undefined;
    this.namespace = namespace ?? 'default';
  }

  /**
   * Every variant of the endpoint, in order: those that take traffic, then the mirrors. For code
   * that acts on what the endpoint runs (e.g. `EndpointSecurity` selecting its pods).
   */
  public get variants(): EndpointVariant[] {
    if (!this.model) return [];
    const model = this.model;
    const version = (name: string, variant: ModelVariant) => variantVersion(model, name, variant);
    return [
      ...model.variants.map(v => ({ name: v.name, model: v.model, mirror: false, weight: v.weight, version: version(v.name, v.model) })),
      ...model.mirrors.map(m => ({ name: m.name, model: m.model, mirror: true, weight: m.percentage, version: version(m.name, m.model) })),
    ];
  }

  /**
   * The traffic model the endpoint rendered (for the library's behaviour tests).
   * @internal
   */
  public get _model(): EndpointModel | undefined {
    return this.model;
  }

  /** The SeldonDeployment, when the variants are Seldon predictors. */
  public get seldonDeployment(): SeldonDeployment | undefined {
    return this.rendered?.seldonDeployment;
  }

  /** The VirtualService the library wrote (Istio routing only; with the Seldon operator's, the operator writes it). */
  public get virtualService(): VirtualService | undefined {
    return this.rendered?.virtualService;
  }

  /** The DestinationRules the library wrote (Istio routing only). */
  public get destinationRules(): DestinationRule[] {
    return [...(this.rendered?.destinationRules ?? [])];
  }

  /**
   * Renders the plan with the endpoint's routing: writes the SeldonDeployment, VirtualService and
   * DestinationRules it needs, and checks the plan and the endpoint's props at synth. Call it once,
   * at the end of the pattern's constructor.
   */
  protected renderPlan(plan: TrafficPlan): void {
    if (this.model) throw new Error(`[${this.node.path}] renderPlan was called twice: a pattern renders one plan`);
    const props = this.props;
    const sidecar = props.sidecar ?? IstioSidecar.fromNamespace();
    const podLabels = { ...sidecar.podLabels, ...(props.podLabels ?? {}) };
    const model: EndpointModel = {
      name: props.name,
      namespace: this.namespace,
      gateways: props.gateways,
      hosts: plan.hosts ?? props.hosts,
      additionalHosts: [...(plan.additionalHosts ?? [])],
      serviceName: props.serviceName,
      protocol: props.protocol,
      labels: props.labels,
      podLabels: Object.keys(podLabels).length > 0 ? podLabels : undefined,
      retries: this.routing.retries,
      timeout: this.routing.timeout,
      stickyCookie: this.routing.stickyCookie,
      variants: [...plan.variants],
      mirrors: [...(plan.mirrors ?? [])],
      routes: [...(plan.routes ?? [])],
    };
    this.model = model;
    const explicit = this.mode === RoutingMode.ISTIO;
    // A renderer may not survive an invalid model (two variants of one name would be two
    // constructs of one id), so a model that is invalid when the pattern builds it is not
    // rendered, and synth reports those problems.
    const problems = () => [
      ...(this.namespaceKnown ? [] : [POL_PATTERN.tag('has no namespace: set namespace on the pattern or its chart (the public path contains it)')]),
      ...(sidecar.rootProxy ? [POL_PATTERN.tag('sidecar IstioSidecar.injectWithRootProxy() is for TfServingServer: a Seldon predictor\'s pods take their security context from componentSpecs (set runAsUser there), so use IstioSidecar.inject()')] : []),
      ...modelProblems(model),
      ...(explicit ? explicitProblems(model) : seldonManagedProblems(model)),
    ];
    // What the model refers to may be completed after the pattern (a TF Serving version added
    // to its server later): those problems are checked at synth only and never block the render.
    const references = () => (explicit ? referenceProblems(this, model) : []);
    // The model is plain data fixed here: its problems now are its problems at synth.
    const atConstruction = problems();
    registerValidation(this, () => [...atConstruction, ...references()]);
    if (atConstruction.length > 0) return;
    this.rendered = explicit ? renderExplicit(this, model) : renderSeldonManaged(this, model);
  }
}
