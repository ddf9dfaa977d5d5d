import { App, Chart, Duration } from 'cdk8s';
import { iris } from './common';
import { Canary, RoutingMode } from '../../../src';

export function build(app: App): void {
  for (const mode of [RoutingMode.SELDON, RoutingMode.ISTIO]) {
    const chart = new Chart(app, `canary-${mode.toLowerCase()}`, { namespace: 'models' });
    new Canary(chart, 'Iris', {
      name: `iris-${mode.toLowerCase()}`,
      mode,
      hosts: ['models.example.com'],
      stable: iris('v1'),
      candidate: iris('v2'),
      steps: [5, 25, 50, 100],
      currentStep: 0,
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2) },
    });
  }
}
