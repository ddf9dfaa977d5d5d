/**
 * How a model's pods get their Istio sidecar. Without a sidecar, no Istio policy (JWT,
 * authorization, mutual TLS) applies to a pod.
 *
 * @example
 * // Seldon predictors: the pod labels of the endpoint
 * new Canary(chart, 'Iris', { name: 'iris', podLabels: IstioSidecar.inject().podLabels, stable, candidate });
 */
export class IstioSidecar {
  /** The pod label and annotation that ask Istio's injector for a sidecar. */
  public static readonly INJECT_KEY = 'sidecar.istio.io/inject';

  /**
   * Ask for a sidecar on the pods themselves: label and annotation
   * `sidecar.istio.io/inject: "true"` (Istio 1.10 and later read the label; older injectors and
   * the Kubeflow documentation the annotation). Works whether or not the namespace is labelled.
   */
  public static inject(): IstioSidecar {
    return new IstioSidecar(true, false);
  }

  /**
   * As `inject()`, for Istio 1.6 and older, whose proxy could not start as a non-root user
   * ("Failed to generate bootstrap config: mkdir ./etc/istio/proxy: permission denied"): the
   * pod's security context runs as root (`runAsUser: 0`), which the sidecar inherits; the
   * model containers keep their own non-root user. Not needed from Istio 1.7 on.
   */
  public static injectWithRootProxy(): IstioSidecar {
    return new IstioSidecar(true, true);
  }

  /**
   * Nothing on the pods: the namespace decides (`istio-injection=enabled`, see `MeshNamespace`).
   */
  public static fromNamespace(): IstioSidecar {
    return new IstioSidecar(false, false);
  }

  private constructor(
    /** Whether the pods ask for a sidecar themselves. */
    public readonly onPod: boolean,
    /** Whether the pods run as root for an old proxy (Istio <= 1.6). */
    public readonly rootProxy: boolean,
  ) {}

  /** Labels to put on the pods. */
  public get podLabels(): { [key: string]: string } {
    return this.onPod ? { [IstioSidecar.INJECT_KEY]: 'true' } : {};
  }

  /** Annotations to put on the pods. */
  public get podAnnotations(): { [key: string]: string } {
    return this.onPod ? { [IstioSidecar.INJECT_KEY]: 'true' } : {};
  }
}
