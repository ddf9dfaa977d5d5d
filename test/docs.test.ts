/**
 * The documentation's code runs: every sample shown in docs/ (test/docs/samples/) synthesizes
 * without error, and the pages show its current output (`verify` regenerates them and fails on drift).
 */
import { App } from 'cdk8s';
import { RolloutState, RolloutStateData } from '../src';
import * as abTest from './docs/samples/ab-test';
import * as blueGreen from './docs/samples/blue-green';
import * as canary from './docs/samples/canary';
import * as gitops from './docs/samples/gitops-canary';
import * as kubeflow from './docs/samples/kubeflow-rollout';
import * as seldonDocs from './docs/samples/seldon-ingress-docs';
import * as shadow from './docs/samples/shadow';
import { synth } from './util';

describe('documentation samples', () => {
  test.each<[string, (app: App) => void, string[]]>([
    ['canary', canary.build, ['SeldonDeployment', 'SeldonDeployment', 'DestinationRule', 'DestinationRule', 'VirtualService']],
    ['blue-green', blueGreen.build, ['SeldonDeployment', 'DestinationRule', 'DestinationRule', 'VirtualService']],
    ['shadow', shadow.build, ['SeldonDeployment']],
    ['ab-test', abTest.build, ['SeldonDeployment', 'DestinationRule', 'DestinationRule', 'VirtualService']],
    ['seldon-ingress-docs', seldonDocs.build, ['Gateway', 'SeldonDeployment', 'SeldonDeployment']],
  ])('%s synthesizes what the page says', (_, build, kinds) => {
    const app = new App();
    build(app);
    expect(synth(app).map(m => m.kind)).toEqual(kinds);
  });

  test('the Kubeflow rollout sends 95 % to model A and 5 % to model B', () => {
    const app = new App();
    kubeflow.build(app);
    const vs = synth(app).find(m => m.kind === 'VirtualService');
    expect(vs.spec.http.map((r: any) => r.route.map((d: any) => [d.destination.subset, d.weight]))).toContainEqual([['v1', 95], ['v2', 5]]);
  });

  test('the GitOps steps change only weights, and promotion keeps the names', () => {
    const at = (state: RolloutStateData) => {
      const app = new App();
      gitops.build(app, RolloutState.of(state));
      return synth(app);
    };
    const names = (ms: any[]) => ms.map(m => `${m.kind}/${m.metadata.name}`);
    const rollout = { stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 50, 100] };
    expect(names(at({ ...rollout, currentStep: 0 }))).toEqual(names(at({ ...rollout, currentStep: 3 })));
    expect(names(at({ stable: 'v2' }))).toEqual(names(at({ stable: 'v1' })));
  });
});
