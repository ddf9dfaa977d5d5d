import * as fc from 'fast-check';
import { AbTest, Canary, CanaryTraffic, ModelServer, ModelVariant, Routing, RoutingMode, StringMatch } from '../src';
import { errorOf, only, routingFor, synth, testChart } from './util';

const variant = (i: number) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/v${i}` },
});
const mode = fc.constantFrom(RoutingMode.SELDON, RoutingMode.ISTIO);

/** Integer weights (2 to 5 of them) that sum to exactly 100. */
const weightsSumming100 = fc.array(fc.integer({ min: 0, max: 100 }), { minLength: 1, maxLength: 4 }).map(cuts => {
  const sorted = [...cuts].sort((x, y) => x - y);
  return [...sorted, 100].map((c, i) => c - (i === 0 ? 0 : sorted[i - 1]));
});

describe('traffic model properties', () => {
  test('weights that sum to 100 synthesize, in both modes, to exactly those weights', () => {
    fc.assert(fc.property(weightsSumming100, mode, (weights, m) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new AbTest(chart, 'AB', { name: 'iris', routing: routingFor(m), variants: weights.map((w, i) => ({ name: `v${i}`, model: variant(i), weight: w })) });
      const manifests = synth(app);
      const sdep = only(manifests, 'SeldonDeployment');
      expect(sdep.spec.predictors.map((p: any) => p.traffic)).toEqual(weights);
      if (m === RoutingMode.ISTIO) {
        for (const route of only(manifests, 'VirtualService').spec.http) {
          expect(route.route.map((r: any) => r.weight)).toEqual(weights);
        }
      }
    }), { numRuns: 150 });
  });

  test('weights that do not sum to 100, or leave 0-100, are refused by a rule that names them', () => {
    const badWeights = fc.array(fc.integer({ min: -50, max: 150 }), { minLength: 2, maxLength: 5 })
      .filter(ws => ws.reduce((a, b) => a + b, 0) !== 100 || ws.some(w => w < 0 || w > 100));
    fc.assert(fc.property(badWeights, mode, (weights, m) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new AbTest(chart, 'AB', { name: 'iris', routing: routingFor(m), variants: weights.map((w, i) => ({ name: `v${i}`, model: variant(i), weight: w })) });
      expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/AB\] (\[POL001\] weights sum to -?\d+, not 100|\[ISV001\] variant 'v\d': weight -?\d+ must be an integer from 0 to 100)/);
    }), { numRuns: 150 });
  });

  test('routes come out ordered: matches first (in the order given), sticky routes next, the weighted default last', () => {
    const arms = fc.array(fc.record({ weight: fc.integer({ min: 0, max: 100 }), header: fc.boolean() }), { minLength: 2, maxLength: 5 });
    fc.assert(fc.property(arms, fc.boolean(), (spec, sticky) => {
      const total = spec.reduce((t, a) => t + a.weight, 0);
      const weights = spec.map((a, i) => (i === 0 ? 100 - (total - a.weight) : a.weight));
      fc.pre(weights[0] >= 0 && weights[0] <= 100);
      const { app, chart } = testChart({ namespace: 'models' });
      new AbTest(chart, 'AB', {
        name: 'iris',
        routing: Routing.istio({ stickyCookie: sticky ? 'arm' : undefined }),
        variants: spec.map((a, i) => ({
          name: `v${i}`,
          model: variant(i),
          weight: weights[i],
          matches: a.header ? [{ headers: { 'x-arm': StringMatch.exact(`v${i}`) } }] : undefined,
        })),
      });
      const names: string[] = only(synth(app), 'VirtualService').spec.http.map((r: any) => r.name);
      const expected = [
        ...spec.flatMap((a, i) => (a.header ? [`match-v${i}-rest`, `match-v${i}-grpc`] : [])),
        ...(sticky ? spec.flatMap((_, i) => [`sticky-v${i}-rest`, `sticky-v${i}-grpc`]) : []),
        'default-rest', 'default-grpc',
      ];
      expect(names).toEqual(expected);
    }), { numRuns: 150 });
  });

  test('a canary step moves only the weights: object names and every other field stay put', () => {
    const plan = fc.uniqueArray(fc.integer({ min: 0, max: 100 }), { minLength: 2, maxLength: 6 }).map(s => [...s].sort((x, y) => x - y));
    fc.assert(fc.property(plan, mode, fc.nat(), (steps, m, pick) => {
      const yamlAt = (currentStep: number) => {
        const { app, chart } = testChart({ namespace: 'models' });
        new Canary(chart, 'Canary', { name: 'iris', routing: routingFor(m), stable: variant(1), candidate: variant(2), traffic: CanaryTraffic.steps(steps, { current: currentStep }) });
        return app.synthYaml().split('\n');
      };
      const i = pick % (steps.length - 1);
      const before = yamlAt(i);
      const after = yamlAt(i + 1);
      expect(after.length).toBe(before.length);
      const changed = before.filter((line, n) => line !== after[n]);
      for (const line of changed) expect(line).toMatch(/^\s*(traffic|weight): \d+$/);
    }), { numRuns: 100 });
  });
});
