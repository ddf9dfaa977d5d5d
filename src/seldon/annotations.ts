/**
 * The annotations the Seldon Core v1 operator reads to configure Istio for a SeldonDeployment.
 *
 * The typed props of `SeldonDeployment` write them; the constants are here for code that
 * reads manifests or reaches in with `addJsonPatch`.
 */
export class SeldonAnnotations {
  /** Gateway(s) of the generated VirtualService: `ns/name`, `name` or `mesh`. Default `istio-system/seldon-gateway`. */
  public static readonly ISTIO_GATEWAY = 'seldon.io/istio-gateway';
  /** Hosts of the generated VirtualService, comma-separated. Default `*`. */
  public static readonly ISTIO_HOST = 'seldon.io/istio-host';
  /** Retry attempts of the generated routes; applied only when an integer > 0. */
  public static readonly ISTIO_RETRIES = 'seldon.io/istio-retries';
  /** Per-try timeout of those retries, in seconds. Default 1. */
  public static readonly ISTIO_RETRIES_TIMEOUT = 'seldon.io/istio-retries-timeout';
  /** On a predictor: name of the Service the operator creates for it. Default `<sdep>-<predictor>`. */
  public static readonly SVC_NAME = 'seldon.io/svc-name';

  private constructor() {}
}
