import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { Canary, CanaryTraffic, Routing } from '../../../src';

/** The rollout as the app repo holds it at one commit: the stable version, and the step of the plan if a canary runs. */
export function atCommit(app: App, commit: { stable: string; step?: number }): void {
  const chart = new Chart(app, 'models', { namespace: 'models' });
  new Canary(chart, 'Iris', {
    name: 'iris',
    routing: Routing.istio(),
    hosts: ['models.example.com'],
    stable: iris(commit.stable),
    ...(commit.step === undefined ? {} : { candidate: iris('v2'), traffic: CanaryTraffic.steps([5, 25, 50, 100], { current: commit.step }) }),
  });
}
