import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { AbTest, Routing, StringMatch } from '../../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'abtest', { namespace: 'models' });
  new AbTest(chart, 'Iris', {
    name: 'iris',
    routing: Routing.istio({ stickyCookie: 'iris-arm' }),
    hosts: ['models.example.com'],
    variants: [
      { name: 'model-a', model: iris('v1'), weight: 90 },
      { name: 'model-b', model: iris('v2'), weight: 10, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] },
    ],
  });
}
