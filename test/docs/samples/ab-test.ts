import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { ABTest, RoutingMode, StringMatch } from '../../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'abtest', { namespace: 'models' });
  new ABTest(chart, 'Iris', {
    name: 'iris',
    mode: RoutingMode.ISTIO,
    hosts: ['models.example.com'],
    stickyCookie: 'iris-arm',
    variants: [
      { name: 'model-a', variant: iris('v1'), weight: 90 },
      { name: 'model-b', variant: iris('v2'), weight: 10, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] },
    ],
  });
}
