import { IConstruct } from 'constructs';

const CONTEXT_KEY = 'cdk8s-seldon-istio:istioApiVersion';

/**
 * The version of Istio's `networking.istio.io` and `security.istio.io` APIs that the
 * library's Istio objects are written with.
 *
 * Istio serves `v1` from 1.22 on; clusters on Istio 1.18 to 1.21 need `v1beta1`. The
 * schemas of both versions are identical for every field this library writes, so only
 * `apiVersion` changes.
 *
 * @example
 * const app = new App();
 * // before any construct is added to the app (or to the chart):
 * IstioApiVersion.use(app, IstioApiVersion.V1BETA1);
 */
export class IstioApiVersion {
  /** `v1`: Istio 1.22 and later. The default. */
  public static readonly V1 = new IstioApiVersion('v1');

  /** `v1beta1`: Istio 1.18 to 1.21 (also served by later versions). */
  public static readonly V1BETA1 = new IstioApiVersion('v1beta1');

  /**
   * Makes every Istio object below `scope` (an App, a Chart or any construct) use `version`.
   *
   * Call it before adding children to `scope`: constructs read the setting when they are
   * created, and cdk8s refuses to set context on a scope that already has children.
   */
  public static use(scope: IConstruct, version: IstioApiVersion): void {
    scope.node.setContext(CONTEXT_KEY, version.version);
  }

  /**
   * The version in force at `scope`: the nearest `IstioApiVersion.use` above it, else `v1`.
   */
  public static of(scope: IConstruct): IstioApiVersion {
    const value = scope.node.tryGetContext(CONTEXT_KEY);
    if (value === undefined) return IstioApiVersion.V1;
    const known = [IstioApiVersion.V1, IstioApiVersion.V1BETA1].find(v => v.version === value);
    if (!known) {
      throw new Error(`[${scope.node.path}] context '${CONTEXT_KEY}' is '${value}': expected 'v1' or 'v1beta1' (use IstioApiVersion.use)`);
    }
    return known;
  }

  private constructor(
    /** The version string, e.g. `v1`. */
    public readonly version: string,
  ) {}

  /** `networking.istio.io/<version>`, for Gateway, VirtualService, DestinationRule, ServiceEntry, Sidecar. */
  public get networking(): string {
    return `networking.istio.io/${this.version}`;
  }

  /** `security.istio.io/<version>`, for AuthorizationPolicy, RequestAuthentication, PeerAuthentication. */
  public get security(): string {
    return `security.istio.io/${this.version}`;
  }
}
