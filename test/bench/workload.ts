/**
 * The benchmark's workload: N model endpoints built with the library, and the same manifests
 * built as plain cdk8s ApiObjects (the baseline), in the same chart layout.
 */
import { ApiObject, App, Chart } from 'cdk8s';
// The compiled package, as users load it (run `npx projen build` or `compile` first).
import * as lib from '../../lib';

export { lib };

/** Endpoints per chart: one namespace each, as a platform team splits its models. */
export const ENDPOINTS_PER_CHART = 100;

export type Mix = 'canary' | 'mix';

const variant = (i: number, v: number) => lib.ModelVariant.seldon({
  graph: { name: 'classifier', implementation: lib.ModelServer.SKLEARN_SERVER, modelUri: `gs://models/m${i}/v${v}` },
});

function endpoint(chart: Chart, i: number, mix: Mix): void {
  const name = `model-${i}`;
  const kind = mix === 'canary' ? 0 : i % 4;
  // Explicit Istio routes for odd endpoints of the mix: the renderer that writes the most objects.
  const istio = mix === 'mix' && i % 2 === 1;
  const base = { name, routing: istio ? lib.Routing.istio() : lib.Routing.seldonOperator(), hosts: ['models.example.com'] };
  switch (kind) {
    case 0:
      new lib.Canary(chart, name, {
        ...base, stable: variant(i, 1), candidate: variant(i, 2), traffic: lib.CanaryTraffic.steps([5, 25, 50, 100], { current: 1 }),
      });
      break;
    case 1:
      new lib.BlueGreen(chart, name, { ...base, blue: variant(i, 1), green: variant(i, 2), active: lib.BlueGreenColour.BLUE });
      break;
    case 2:
      new lib.Shadow(chart, name, { ...base, stable: variant(i, 1), shadow: variant(i, 2), mirrorPercentage: 25 });
      break;
    default:
      new lib.AbTest(chart, name, {
        ...base,
        variants: [
          { name: 'model-a', model: variant(i, 1), weight: 50 },
          { name: 'model-b', model: variant(i, 2), weight: 50, matches: istio ? [{ headers: { 'x-group': lib.StringMatch.exact('beta') } }] : undefined },
        ],
      });
  }
}

/** An app of `n` endpoints built with the library. */
export function libraryApp(n: number, mix: Mix): App {
  const app = new App({ outdir: '/dev/null' });
  for (let c = 0; c * ENDPOINTS_PER_CHART < n; c++) {
    const chart = new Chart(app, `models-${c}`, { namespace: `models-${c}` });
    for (let i = c * ENDPOINTS_PER_CHART; i < Math.min(n, (c + 1) * ENDPOINTS_PER_CHART); i++) endpoint(chart, i, mix);
  }
  return app;
}

/** The same charts with the given manifests as plain ApiObjects. */
export function baselineApp(manifestsPerChart: any[][]): App {
  const app = new App({ outdir: '/dev/null' });
  manifestsPerChart.forEach((manifests, c) => {
    const chart = new Chart(app, `models-${c}`, { namespace: `models-${c}` });
    manifests.forEach((m, i) => new ApiObject(chart, `o${i}`, m));
  });
  return app;
}
