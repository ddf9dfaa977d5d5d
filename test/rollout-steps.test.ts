/**
 * A whole rollout driven by the rollout command, step by step, as a GitOps repo lives it: the
 * command edits rollout.json, the same chart code synthesizes, and the route simulator says where
 * real requests go at each commit, in both routings (which model version answers, which one gets a
 * mirrored copy, and how many replicas each runs when replicas follow the traffic).
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import * as fc from 'fast-check';
import {
  Canary, CanaryStep, CanaryTraffic, ModelServer, ModelVariant, ReplicasFollowTraffic, RolloutHealth, RolloutState, RouteSimulator,
  Routing, RoutingMode, SimulatedDestination, SimulationOutcome,
} from '../src';
import { checkBehaviour } from './behaviour';
import { errorOf, only, routingFor, synth, testChart } from './util';
import { main } from '../src/rollout/cli';

const iris = (v: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/${v}` } });
const SCALING: ReplicasFollowTraffic = { replicas: 4, minReplicas: 1 };
const REST = { gateway: 'istio-system/seldon-gateway', host: 'models.example.com', port: 80, path: '/seldon/models/iris/api/v1.0/predictions', headers: { 'content-type': 'application/json' } };
const GRPC = {
  gateway: 'istio-system/seldon-gateway',
  host: 'models.example.com',
  port: 80,
  path: '/seldon.protos.Seldon/Predict',
  headers: { 'content-type': 'application/grpc', 'seldon': 'iris', 'namespace': 'models' },
};

/** The app repo's chart: the same code at every commit, reading the state file. */
function commitOf(file: string, mode: RoutingMode): { app: App; canary: Canary } {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'models', { namespace: 'models' });
  const state = RolloutState.fromFile(file);
  const canary = new Canary(chart, 'Iris', {
    name: 'iris',
    routing: routingFor(mode),
    hosts: ['models.example.com'],
    replicasFollowTraffic: SCALING,
    stable: iris(state.stable),
    candidate: state.candidate ? iris(state.candidate) : undefined,
    traffic: state.traffic,
  });
  new RolloutHealth(chart, 'Health', { endpoint: canary });
  return { app, canary };
}

/** Where a request goes: model version → share, for answers and for mirrored copies, and replicas per version. */
function whereRequestsGo(file: string, mode: RoutingMode) {
  const { app, canary } = commitOf(file, mode);
  const manifests = synth(app);
  const sdep = only(manifests, 'SeldonDeployment');
  const predictors = new Map<string, any>(sdep.spec.predictors.map((p: any) => [p.name, p]));
  const version = (d: SimulatedDestination) => {
    const predictor = /predictor (\S+)$/.exec(d.workloads[0]?.name ?? '')?.[1];
    return predictors.get(predictor!)?.graph.modelUri.split('/').pop();
  };
  const shares = (ds: SimulatedDestination[]) => Object.fromEntries(ds.filter(d => d.probability > 0).map(d => [version(d), d.probability]));
  const simulator = RouteSimulator.fromManifests(manifests);
  const [rest, grpc] = [REST, GRPC].map(r => simulator.simulate(r));
  for (const r of [rest, grpc]) {
    expect(r.outcome).toBe(SimulationOutcome.ROUTED);
    expect([...r.destinations, ...r.mirrors].filter(d => d.failure)).toEqual([]);
  }
  // gRPC goes where REST goes.
  expect([shares(grpc.destinations), shares(grpc.mirrors)]).toEqual([shares(rest.destinations), shares(rest.mirrors)]);
  // And where the pattern's own intent says, for every probe the behaviour checker knows.
  expect(checkBehaviour(manifests, [canary]).mismatches).toEqual([]);
  const alerts = only(manifests, 'PrometheusRule').spec.groups[0].rules.filter((r: any) => r.alert).map((r: any) => r.alert);
  return {
    answers: shares(rest.destinations),
    mirrors: shares(rest.mirrors),
    replicas: Object.fromEntries([...predictors.values()].map(p => [`${p.name} ${p.graph.modelUri.split('/').pop()}`, p.replicas])),
    noTrafficAlert: alerts.includes('CandidateNoTraffic'),
  };
}

async function rollout(file: string, ...args: string[]): Promise<number> {
  return main(['rollout', ...args, '-f', file], () => undefined, () => new Date('2026-12-03T10:00:00Z'));
}

function stateFile(data: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-steps-')), 'rollout.json');
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

describe.each([RoutingMode.ISTIO, RoutingMode.SELDON])('a rollout, commit by commit (%s routing)', (mode) => {
  test('mirror first, then 10 %, 50 %, 100 %, promote: who answers, who gets a copy, how many replicas', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 50, 100] });
    const seen = [whereRequestsGo(file, mode)];
    for (let i = 0; i < 3; i++) {
      expect(await rollout(file, 'advance')).toBe(0);
      seen.push(whereRequestsGo(file, mode));
    }
    expect(await rollout(file, 'advance')).toBe(1);
    expect(await rollout(file, 'promote')).toBe(0);
    seen.push(whereRequestsGo(file, mode));
    expect(await rollout(file, 'promote')).toBe(0);
    seen.push(whereRequestsGo(file, mode));
    expect(seen).toEqual([
      // v1 answers everything; every request is copied to v2, which runs as many pods as it must take.
      { answers: { v1: 1 }, mirrors: { v2: 1 }, replicas: { 'stable v1': 4, 'canary v2': 4 }, noTrafficAlert: true },
      { answers: { v1: 0.9, v2: 0.1 }, mirrors: {}, replicas: { 'stable v1': 4, 'canary v2': 1 }, noTrafficAlert: true },
      { answers: { v1: 0.5, v2: 0.5 }, mirrors: {}, replicas: { 'stable v1': 2, 'canary v2': 2 }, noTrafficAlert: true },
      // stable keeps its floor of pods: an abort can send it everything again at once.
      { answers: { v2: 1 }, mirrors: {}, replicas: { 'stable v1': 1, 'canary v2': 4 }, noTrafficAlert: true },
      // promoting: stable starts v2 at full size while the candidate still answers everything...
      { answers: { v2: 1 }, mirrors: {}, replicas: { 'stable v2': 4, 'canary v2': 4 }, noTrafficAlert: true },
      // ...then takes the traffic; no request met a stable pod of v1 after v2 took 100 %.
      { answers: { v2: 1 }, mirrors: {}, replicas: { 'stable v2': 4 }, noTrafficAlert: false },
    ]);
  });

  test('abort at 50 %: everything back on v1, which gets its replicas back; v2 keeps its floor', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', steps: [10, 50, 100], currentStep: 1 });
    expect(await rollout(file, 'abort')).toBe(0);
    expect(whereRequestsGo(file, mode)).toEqual({ answers: { v1: 1 }, mirrors: {}, replicas: { 'stable v1': 4, 'canary v2': 1 }, noTrafficAlert: false });
  });

  test('a mirror of 25 % copies a quarter of the requests, and the candidate is sized for that quarter', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', mirrorFirst: 25, steps: [100] });
    expect(whereRequestsGo(file, mode)).toEqual({ answers: { v1: 1 }, mirrors: { v2: 0.25 }, replicas: { 'stable v1': 4, 'canary v2': 1 }, noTrafficAlert: true });
  });
});

describe('the mirror step keeps every object name', () => {
  test('moving from the mirror step to 10 % changes no name, only the candidate\'s role', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 100] });
    const names = () => synth(commitOf(file, RoutingMode.ISTIO).app).map(m => `${m.kind}/${m.metadata.name}`).sort();
    const before = names();
    await rollout(file, 'advance');
    expect(names()).toEqual(before);
  });
});

describe('plans and scaling that are refused', () => {
  const canary = (traffic: CanaryTraffic, extra: object = {}) => () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Iris', { name: 'iris', routing: Routing.istio(), stable: iris('v1'), candidate: iris('v2'), traffic, ...extra });
    app.synth();
  };
  test.each<[string, () => void, RegExp]>([
    ['a mirror after a shift', canary(CanaryTraffic.plan([CanaryStep.weight(10), CanaryStep.mirror(100)])),
      /steps \[10 %, mirror 100 %\]: step 1 \(mirror 100 %\) mirrors after traffic has shifted: mirror steps come first/],
    ['a mirror of 0 %', canary(CanaryTraffic.plan([CanaryStep.mirror(0), CanaryStep.weight(10)])), /step 0 \(mirror 0\) must mirror an integer from 1 to 100 percent/],
    ['mirror steps that do not increase', canary(CanaryTraffic.plan([CanaryStep.mirror(50), CanaryStep.mirror(50), CanaryStep.weight(10)])),
      /step 1 \(mirror 50 %\) is not above step 0 \(mirror 50 %\)/],
    ['replicas of 0 at 100 %', canary(CanaryTraffic.weight(10), { replicasFollowTraffic: { replicas: 0 } }), /replicasFollowTraffic.replicas 0 must be an integer >= 1/],
    ['a floor of 0', canary(CanaryTraffic.weight(10), { replicasFollowTraffic: { replicas: 3, minReplicas: 0 } }),
      /minReplicas 0 must be an integer >= 1: a variant at 0 % must answer at once/],
    ['a floor above the replicas', canary(CanaryTraffic.weight(10), { replicasFollowTraffic: { replicas: 3, minReplicas: 4 } }), /minReplicas 4 is above replicas 3/],
    ['a variant that sets its own replicas too', () => {
      const { app, chart } = testChart({ namespace: 'models' });
      new Canary(chart, 'Iris', {
        name: 'iris',
        stable: ModelVariant.seldon({ graph: iris('v1')._seldon!.graph, replicas: 3 }),
        candidate: iris('v2'),
        traffic: CanaryTraffic.weight(10),
        replicasFollowTraffic: { replicas: 4 },
      });
      app.synth();
    }, /stable sets replicas 3 and replicasFollowTraffic sets them too: drop one/],
    ['a state file whose mirror step is 0', () => RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: 0 }), /step 0 \(mirror 0\) must mirror/],
  ])('%s', (_, fn, expected) => {
    const message = errorOf(fn);
    expect(message).toMatch(expected);
  });

  test('errors name the construct path', () => {
    expect(errorOf(canary(CanaryTraffic.plan([CanaryStep.weight(10), CanaryStep.mirror(100)])))).toMatch(/test\/Iris/);
  });
});

describe('CanaryStep and the plan in force', () => {
  test('a mirror step takes no answers and mirrors its percentage; a weight step the reverse', () => {
    const plan = [CanaryStep.mirror(50), CanaryStep.weight(20)];
    expect([CanaryTraffic.plan(plan).candidateWeight, CanaryTraffic.plan(plan).mirrorPercentage]).toEqual([0, 50]);
    expect([CanaryTraffic.plan(plan, { current: 1 }).candidateWeight, CanaryTraffic.plan(plan, { current: 1 }).mirrorPercentage]).toEqual([20, 0]);
    expect(CanaryTraffic.weight(30).mirrorPercentage).toBe(0);
    expect(plan.map(String)).toEqual(['mirror 50 %', '20 %']);
  });

  test('the state file\'s plan: the mirror step is step 0, then the weights', () => {
    const state = RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 100], currentStep: 2 });
    expect(state.plan.map(String)).toEqual(['mirror 100 %', '10 %', '100 %']);
    expect([state.candidateWeight, state.mirrorPercentage, state.atLastStep]).toEqual([100, 0, true]);
    expect(RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: 100 }).mirrorPercentage).toBe(100);
  });
});

describe('replicas that follow the traffic (property)', () => {
  test('every variant runs between its floor and the full size, and together they can always serve 100 %', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 100 }), fc.boolean(),
      (replicas, floor, percent, mirror) => {
        fc.pre(floor <= replicas && (!mirror || percent > 0));
        const { app, chart } = testChart({ namespace: 'models' });
        new Canary(chart, 'Iris', {
          name: 'iris',
          stable: iris('v1'),
          candidate: iris('v2'),
          replicasFollowTraffic: { replicas, minReplicas: floor },
          traffic: CanaryTraffic.plan([mirror ? CanaryStep.mirror(percent) : CanaryStep.weight(percent)]),
        });
        const predictors = only(synth(app), 'SeldonDeployment').spec.predictors;
        const byName = Object.fromEntries(predictors.map((p: any) => [p.name, p]));
        for (const p of predictors) {
          expect(p.replicas).toBeGreaterThanOrEqual(floor);
          expect(p.replicas).toBeLessThanOrEqual(replicas);
          // Each variant has at least its share of the full size: no variant is under-provisioned.
          const share = p.shadow ? percent : p.traffic;
          expect(p.replicas).toBeGreaterThanOrEqual((replicas * share) / 100);
        }
        if (!mirror) expect(byName.stable.replicas + byName.canary.replicas).toBeGreaterThanOrEqual(replicas);
        else expect(byName.stable.replicas).toBe(replicas);
      },
    ), { numRuns: 150 });
  });
});
