import { IConstruct } from 'constructs';
import { appConstructsWhere } from './app-generation';

/**
 * What Prometheus requests from a model server's pods: `GET` on each path at each port.
 * @internal
 */
export interface ScrapeTarget {
  readonly paths: string[];
  readonly ports: number[];
}

/**
 * The pods of one model server that this app runs, as the security checks see them.
 * @internal
 */
export interface ModelWorkload {
  /** In words, for error messages: "SeldonDeployment 'iris'". */
  readonly description: string;
  readonly namespace: string;
  /** Labels every pod of the workload carries, whatever its version or component. */
  readonly podLabels: Record<string, string>;
  /** Where Prometheus scrapes the pods. */
  readonly scrape: ScrapeTarget;
  /** Annotations of the pods (read at synth time). */
  readonly podAnnotations: () => Record<string, string>;
}

/**
 * A construct that runs model pods (SeldonDeployment, TfServingServer). Found by duck typing
 * when the tree is walked, so the security constructs need not import the workloads.
 * @internal
 */
export interface IModelWorkloadSource {
  _modelWorkloads(): ModelWorkload[];
}

/** A selection of pods whose owner said that Prometheus need not scrape them. @internal */
export interface ScrapeOptOut {
  readonly namespace: string;
  readonly selector: Record<string, string>;
}

/** A construct that opts pods out of the scrape check (EndpointSecurity with MetricsScraping.none()). @internal */
export interface IScrapeOptOutSource {
  _scrapeOptOuts(): ScrapeOptOut[];
}

/** The Seldon documentation's scrape allowance: `GET /prometheus` on ports 6000, 8000 and 6001. @internal */
export const SELDON_SCRAPE: ScrapeTarget = { paths: ['/prometheus'], ports: [6000, 8000, 6001] };

/** The Istio pod annotation that keeps the sidecar from capturing outbound traffic to some ports. @internal */
export const EXCLUDE_OUTBOUND_PORTS_ANNOTATION = 'traffic.sidecar.istio.io/excludeOutboundPorts';

/** The port of the Istio sidecar's status/health endpoint, excluded in Seldon's documented alternative. @internal */
export const SIDECAR_STATUS_PORT = 15021;

/** Every model workload of the app that `scope` belongs to, in tree order. @internal */
export function modelWorkloads(scope: IConstruct): ModelWorkload[] {
  return appConstructsWhere(scope, 'IModelWorkloadSource', (c): c is IConstruct & IModelWorkloadSource => typeof (c as any)._modelWorkloads === 'function')
    .flatMap(c => c._modelWorkloads());
}

/** Every scrape opt-out declared in the app that `scope` belongs to. @internal */
export function scrapeOptOuts(scope: IConstruct): ScrapeOptOut[] {
  return appConstructsWhere(scope, 'IScrapeOptOutSource', (c): c is IConstruct & IScrapeOptOutSource => typeof (c as any)._scrapeOptOuts === 'function')
    .flatMap(c => c._scrapeOptOuts());
}

/**
 * True when every pod that carries `podLabels` is selected by `selector` (an Istio
 * `matchLabels`): an undefined selector selects the whole namespace.
 * @internal
 */
export function selects(selector: Record<string, string> | undefined, podLabels: Record<string, string>): boolean {
  return Object.entries(selector ?? {}).every(([k, v]) => podLabels[k] === v);
}

/** True when the pods' sidecars leave the status port out of outbound capture. @internal */
export function excludesStatusPort(workload: ModelWorkload): boolean {
  const value = workload.podAnnotations()[EXCLUDE_OUTBOUND_PORTS_ANNOTATION] ?? '';
  return value.split(',').map(s => s.trim()).includes(String(SIDECAR_STATUS_PORT));
}

/** The namespace Istio reads mesh-wide policies from (its root namespace, by default). @internal */
export const ISTIO_ROOT_NAMESPACE = 'istio-system';
