import { Chart, Duration } from 'cdk8s';
import { Construct } from 'constructs';
import { ModelVariant } from './model-variant';
import { DestinationRule } from '../istio/destination-rule';
import { IGateway } from '../istio/gateway';
import { explicitProblems, referenceProblems, renderExplicit } from './render/istio-renderer';
import { RetryPolicy } from '../istio/route-types';
import { VirtualService } from '../istio/virtual-service';
import { POL_PATTERN } from '../rules/catalogue';
import { SeldonDeployment, SeldonProtocol } from '../seldon/deployment';
import { renderSeldonManaged, seldonManagedProblems } from './render/seldon-renderer';
import { RenderedEndpoint } from './render/shared';
import { EndpointModel, modelProblems } from './traffic-model';
import { registerValidation } from '../core/validation';

/** Who writes the Istio routes of a model endpoint. */
export enum RoutingMode {
  /**
   * The Seldon operator: the library writes one SeldonDeployment with `traffic`, `shadow`
   * and the Istio annotations, and the operator (installed with `istio.enabled=true`) writes
   * the VirtualService and DestinationRules. Weights, one mirror and retries only.
   */
  SELDON = 'SELDON',
  /**
   * The library: it writes the VirtualService and DestinationRules itself, so header,
   * cookie, caller and authority matches, sticky sessions, several mirrors, timeouts and
   * Service backends work. For Seldon predictors, the operator must run with its Istio
   * support off (`istio.enabled=false`), or its VirtualService would claim the same path.
   */
  ISTIO = 'ISTIO',
}

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
   * Who writes the Istio routes.
   * @default RoutingMode.SELDON
   */
  readonly mode?: RoutingMode;

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
   * Retries of every route. The same in both modes: with retries set, each try times out after
   * `perTryTimeout` (1s when unset, what the Seldon operator writes) and retries on
   * `gateway-error,connect-failure,refused-stream`.
   * @default neither mode writes retries, so Istio's mesh default applies in both: 2 retries on
   * connect-failure, refused-stream, unavailable, cancelled and retriable status codes (503)
   */
  readonly retries?: RetryPolicy;

  /**
   * Timeout of every request (Istio mode only).
   * @default none
   */
  readonly timeout?: Duration;

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
   * Labels added to the pods of every variant, e.g. `{ 'sidecar.istio.io/inject': 'true' }`.
   * @default none
   */
  readonly podLabels?: { [key: string]: string };
}

/** A variant of an endpoint with the name the pattern gave it. */
export interface EndpointVariant {
  /** The variant's name: its predictor or subset name (e.g. `stable`, `canary`, `blue`). */
  readonly name: string;
  /** What serves it. */
  readonly variant: ModelVariant;
  /** True when the variant only receives a mirror of the traffic. */
  readonly mirror: boolean;
}

/**
 * Base of the delivery patterns: turns the traffic model a pattern builds into manifests
 * with the chosen renderer, checks it at synth time, and exposes what it made.
 */
export abstract class ModelEndpoint extends Construct {
  /** Who writes the Istio routes. */
  public readonly mode: RoutingMode;
  /** Name of the endpoint. */
  public readonly name: string;
  /** Namespace of the endpoint. */
  public readonly namespace: string;

  /**
   * The traffic model the pattern built (read by EndpointSecurity).
   * @internal
   */
  public _model?: EndpointModel;

  private rendered?: RenderedEndpoint;
  private readonly namespaceKnown: boolean;

  protected constructor(scope: Construct, id: string, props: ModelEndpointProps) {
    super(scope, id);
    this.mode = props.mode ?? RoutingMode.SELDON;
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
    if (!this._model) return [];
    return [
      ...this._model.variants.map(v => ({ name: v.name, variant: v.variant, mirror: false })),
      ...this._model.mirrors.map(m => ({ name: m.name, variant: m.variant, mirror: true })),
    ];
  }

  /** The SeldonDeployment, when the variants are Seldon predictors. */
  public get seldonDeployment(): SeldonDeployment | undefined {
    return this.rendered?.seldonDeployment;
  }

  /** The VirtualService the library wrote (Istio mode only; in Seldon mode the operator writes it). */
  public get virtualService(): VirtualService | undefined {
    return this.rendered?.virtualService;
  }

  /** The DestinationRules the library wrote (Istio mode only). */
  public get destinationRules(): DestinationRule[] {
    return [...(this.rendered?.destinationRules ?? [])];
  }

  /**
   * Renders the model the pattern built. Called once, by the pattern's constructor.
   * @internal
   */
  protected _render(model: EndpointModel): void {
    const explicit = this.mode === RoutingMode.ISTIO;
    this._model = model;
    // A renderer may not survive an invalid model (two variants of one name would be two
    // constructs of one id), so a model that is invalid when the pattern builds it is not
    // rendered, and synth reports those problems. Otherwise the rules run again at synth,
    // when everything the model refers to (e.g. TF Serving versions) is complete.
    const problems = () => [
      ...(this.namespaceKnown ? [] : [POL_PATTERN.tag('has no namespace: set namespace on the pattern or its chart (the public path contains it)')]),
      ...modelProblems(model),
      ...(explicit ? explicitProblems(model) : seldonManagedProblems(model)),
    ];
    // What the model refers to may be completed after the pattern (a TF Serving version added
    // to its server later): those problems are checked at synth only and never block the render.
    const references = () => (explicit ? referenceProblems(model) : []);
    const atConstruction = problems();
    registerValidation(this, () => [...(atConstruction.length > 0 ? atConstruction : problems()), ...references()]);
    if (atConstruction.length > 0) return;
    this.rendered = explicit ? renderExplicit(this, model) : renderSeldonManaged(this, model);
  }
}
