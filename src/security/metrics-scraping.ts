/** A custom scrape allowance: Prometheus' `GET` requests on these paths and ports. */
export interface ScrapeAllowanceOptions {
  /** Paths Prometheus requests, e.g. `['/metrics']`. */
  readonly paths: string[];
  /** Ports of the model pods Prometheus requests them on. */
  readonly ports: number[];
}

/**
 * How Prometheus keeps scraping model pods that an `AuthorizationPolicy` protects. Once an
 * ALLOW policy applies to a pod, every request it does not allow is refused, Prometheus'
 * unauthenticated scrapes included (Seldon's "Configuring Authentication/Authorization").
 */
export class MetricsScraping {
  /**
   * Allow the model server's own metrics endpoint: for Seldon pods `GET /prometheus` on ports
   * 6000, 8000 and 6001 (Seldon's documented rule), for TF Serving pods
   * `GET /monitoring/prometheus/metrics` on 8501. A Service variant has no known endpoint:
   * use `allow(...)` for it.
   */
  public static serverDefaults(): MetricsScraping {
    return new MetricsScraping('defaults', undefined);
  }

  /**
   * Allow `GET` on these paths and ports: where your Prometheus scrapes the pods (a model
   * server this library does not know, or another metrics endpoint). It replaces the server's
   * known endpoint in the synth-time scrape check.
   */
  public static allow(options: ScrapeAllowanceOptions): MetricsScraping {
    return new MetricsScraping('allow', { paths: [...options.paths], ports: [...options.ports] });
  }

  /**
   * Seldon's documented alternative: no rule; the pods' sidecars leave outbound port 15021
   * (the sidecar status port) out of capture (`traffic.sidecar.istio.io/excludeOutboundPorts:
   * "15021"`, the per-pod form of the mesh-wide proxy setting the Seldon documentation shows).
   */
  public static excludeSidecarStatusPort(): MetricsScraping {
    return new MetricsScraping('exclude', undefined);
  }

  /**
   * No allowance: the pods are not scraped, or Prometheus authenticates. This is the explicit
   * opt-out of the synth-time check that a protected model stays scrapable.
   */
  public static none(): MetricsScraping {
    return new MetricsScraping('none', undefined);
  }

  private constructor(
    /** @internal */
    public readonly _kind: string,
    /** @internal */
    public readonly _custom: ScrapeAllowanceOptions | undefined,
  ) {}
}
