import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { Canary, RolloutHealth, RolloutState, Routing } from '../../../src';

/**
 * The app repo's chart: the same code at every commit of a rollout. Its main.ts passes
 * `RolloutState.fromFile('rollout.json')`, the file the rollout command edits.
 */
export function build(app: App, state = RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 50, 100], currentStep: 1 })): void {
  const chart = new Chart(app, 'models', { namespace: 'models' });
  const canary = new Canary(chart, 'Iris', {
    name: 'iris',
    routing: Routing.istio(),
    hosts: ['models.example.com'],
    stable: iris(state.stable),
    candidate: state.candidate ? iris(state.candidate) : undefined,
    traffic: state.traffic,
    // Each version runs pods for its share: 4 at 100 %, never fewer than 1.
    replicasFollowTraffic: { replicas: 4 },
  });
  // The candidate's health signals, which `rollout advance --prometheus` reads.
  new RolloutHealth(chart, 'IrisHealth', { endpoint: canary });
}
