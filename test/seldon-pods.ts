/**
 * The labels the Seldon Core v1 operator (v1.18.2) puts on the pods of a SeldonDeployment,
 * modelled from its source so the tests can check that our policy selectors match them:
 * - `createDeploymentWithoutEngine` (operator/controllers/seldondeployment_controller.go):
 *   `seldon-deployment-id`, `app: <deployment name>`, `fluentd: "true"`, `seldon.io/shadow`
 *   on a shadow's pods, then every predictor label;
 * - `addLabelsToDeployment` (operator/controllers/labels.go): `seldon.io/model` (etc. by unit
 *   type) and `app.kubernetes.io/managed-by: seldon-core`;
 * - `addEngineToDeployment` (operator/controllers/seldondeployment_engine.go): `seldon-app:
 *   <predictor service>` on the pod that runs the engine;
 * - the defaulting webhook (operator/apis/machinelearning.seldon.io/v1/defaults.go) adds
 *   `version: <predictor>` to the predictor labels when absent; names over 63 characters
 *   become `seldon-<md5>` (`GetSeldonDeploymentName`, `GetDeploymentName`).
 */
import { createHash } from 'crypto';

const short = (name: string) => (name.length > 63 ? `seldon-${createHash('md5').update(name).digest('hex')}` : name);

/** One entry per pod template the operator would create for the SeldonDeployment manifest. */
export function operatorPodLabels(sdep: any): Array<Record<string, string>> {
  const seldonId = short(sdep.metadata.name);
  return sdep.spec.predictors.flatMap((p: any) => {
    const svc = p.annotations?.['seldon.io/svc-name'] ?? short(`${sdep.metadata.name}-${p.name}`);
    // A prepackaged server without componentSpecs gets one, whose container is named after the node.
    const components = p.componentSpecs ?? [{ spec: { containers: [{ name: p.graph.name }] } }];
    return components.map((c: any, i: number) => {
      const depName = short(`${sdep.metadata.name}-${p.name}-${i}-${c.spec.containers.map((k: any) => k.name).join('-')}`);
      const labels: Record<string, string> = {
        'seldon-deployment-id': seldonId,
        'app': depName,
        'fluentd': 'true',
        ...(p.shadow ? { 'seldon.io/shadow': 'true' } : {}),
        ...{ version: p.name, ...(p.labels ?? {}) },
        'seldon.io/model': 'true',
        'app.kubernetes.io/managed-by': 'seldon-core',
      };
      // The engine runs in the first pod (the one holding the graph's root).
      if (i === 0) labels['seldon-app'] = svc;
      return labels;
    });
  });
}

/** True when a `matchLabels` selector selects a pod with these labels. */
export function selects(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([k, v]) => labels[k] === v);
}
