import { App, Chart, Duration } from 'cdk8s';
import { iris } from './common';
import { Canary, CanaryTraffic, Routing } from '../../../src';

export function build(app: App): void {
  const retries = { attempts: 3, perTryTimeout: Duration.seconds(2) };
  for (const routing of [Routing.seldonOperator({ retries }), Routing.istio({ retries })]) {
    const suffix = routing.mode.toLowerCase();
    const chart = new Chart(app, `canary-${suffix}`, { namespace: 'models' });
    new Canary(chart, 'Iris', {
      name: `iris-${suffix}`,
      routing,
      hosts: ['models.example.com'],
      stable: iris('v1'),
      candidate: iris('v2'),
      traffic: CanaryTraffic.steps([5, 25, 50, 100], { current: 0 }),
    });
  }
}
