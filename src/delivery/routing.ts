import { Duration } from 'cdk8s';
import { RetryPolicy } from '../istio/route-types';

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

/** Options of `Routing.seldonOperator`: what the Seldon operator can write into its routes. */
export interface SeldonOperatorRoutingOptions {
  /**
   * Retries of every route (annotations `seldon.io/istio-retries` and
   * `seldon.io/istio-retries-timeout`). The operator always retries on
   * `gateway-error,connect-failure,refused-stream`, so `retryOn` must be unset or exactly that.
   * @default no retries written: Istio's mesh default applies (2 retries on connect-failure,
   * refused-stream, unavailable, cancelled and 503)
   */
  readonly retries?: RetryPolicy;
}

/** Options of `Routing.istio`: what the library's own VirtualService can do. */
export interface IstioRoutingOptions {
  /**
   * Retries of every route. With retries set, each try times out after `perTryTimeout` (1s when
   * unset, as the Seldon operator writes) and retries on `gateway-error,connect-failure,refused-stream`
   * unless `retryOn` says otherwise, so switching the routing never changes how a request is retried.
   * @default no retries written: Istio's mesh default applies
   */
  readonly retries?: RetryPolicy;

  /**
   * Timeout of every request.
   * @default none
   */
  readonly timeout?: Duration;

  /**
   * Keep each user on the variant that first answered: every answer of a variant, whichever
   * route reached it, appends `Set-Cookie: <stickyCookie>=<variant>; Path=/` (beside any cookie
   * the model sets), and a cookie route (`StringMatch.cookie`, which matches browsers'
   * `a=1; b=2` headers) sends the user back to it.
   * @default no sticky sessions
   */
  readonly stickyCookie?: string;
}

/**
 * Who writes an endpoint's Istio routes, with the options only that writer supports: options
 * the Seldon operator cannot express (a timeout, sticky sessions) exist only on `Routing.istio`,
 * so the wrong combination cannot be written in any language.
 *
 * @example
 * new AbTest(chart, 'Search', { name: 'search', routing: Routing.istio({ stickyCookie: 'arm' }), variants });
 */
export class Routing {
  /**
   * The Seldon operator writes the routes from the SeldonDeployment (operator installed with
   * `istio.enabled=true`): weights, one shadow and retries.
   */
  public static seldonOperator(options: SeldonOperatorRoutingOptions = {}): Routing {
    return new Routing(RoutingMode.SELDON, options.retries, undefined, undefined);
  }

  /**
   * The library writes the VirtualService and DestinationRules itself: request matches, sticky
   * sessions, several mirrors, timeouts and Service (TF Serving) backends. For Seldon predictors
   * the operator must run with `istio.enabled=false`.
   */
  public static istio(options: IstioRoutingOptions = {}): Routing {
    return new Routing(RoutingMode.ISTIO, options.retries, options.timeout, options.stickyCookie);
  }

  private constructor(
    /** Who writes the routes. */
    public readonly mode: RoutingMode,
    /** Retries of every route, when set. */
    public readonly retries: RetryPolicy | undefined,
    /** Timeout of every request, when set (Istio routing only). */
    public readonly timeout: Duration | undefined,
    /** Cookie of the sticky sessions, when set (Istio routing only). */
    public readonly stickyCookie: string | undefined,
  ) {}
}
