/**
 * Requests go where the user meant: every example app (its committed dist/) and every docs
 * sample, checked request by request through the route simulator against each pattern's intent.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App, Yaml } from 'cdk8s';
import { RolloutState } from '../src';
import { checkBehaviour, endpointsOf } from './behaviour';
import * as abTest from './docs/samples/ab-test';
import * as blueGreen from './docs/samples/blue-green';
import * as canary from './docs/samples/canary';
import * as gitops from './docs/samples/gitops-canary';
import * as kubeflow from './docs/samples/kubeflow-rollout';
import * as shadow from './docs/samples/shadow';
import { synth } from './util';

/** Runs an example's main.ts in this process and returns its app (synth and file writes stubbed out). */
function exampleApp(example: string): App {
  let captured: App | undefined;
  const synthSpy = jest.spyOn(App.prototype, 'synth').mockImplementation(function (this: App) { captured = this; });
  // The module object itself (the `import * as fs` namespace is read-only).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const writeSpy = jest.spyOn(require('fs') as typeof fs, 'writeFileSync').mockImplementation(() => undefined);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(`../examples/${example}/main`);
  } finally {
    synthSpy.mockRestore();
    writeSpy.mockRestore();
  }
  return captured!;
}

function committedDist(example: string): any[] {
  const dir = path.join(__dirname, '..', 'examples', example, 'dist');
  return fs.readdirSync(dir).sort().filter(f => f.endsWith('.yaml')).flatMap(f => Yaml.load(path.join(dir, f)));
}

describe('examples: each request lands where the intent says, in the committed dist/', () => {
  test.each(['delivery-patterns', 'secure-serving'])('%s', example => {
    const app = exampleApp(example);
    const endpoints = endpointsOf(app);
    expect(endpoints.length).toBeGreaterThan(0);
    const report = checkBehaviour(committedDist(example), endpoints);
    expect(report.mismatches).toEqual([]);
    expect(report.requests).toBeGreaterThan(endpoints.length);
  });
});

describe('docs samples: each request lands where the intent says', () => {
  test.each<[string, (app: App) => void]>([
    ['canary', canary.build],
    ['blue-green', blueGreen.build],
    ['shadow', shadow.build],
    ['ab-test', abTest.build],
    ['kubeflow-rollout', kubeflow.build],
    ['gitops mirror step', app => gitops.build(app, RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: 100 }))],
    ['gitops at 50 %', app => gitops.build(app, RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 50, 100], currentStep: 2 }))],
    ['gitops promoted', app => gitops.build(app, RolloutState.of({ stable: 'v2' }))],
  ])('%s', (_, build) => {
    const app = new App();
    build(app);
    const report = checkBehaviour(synth(app), endpointsOf(app));
    expect(report.mismatches).toEqual([]);
    expect(report.requests).toBeGreaterThan(0);
  });
});
