import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { Routing, Shadow } from '../../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'shadow', { namespace: 'models' });
  new Shadow(chart, 'Iris', { name: 'iris', routing: Routing.seldonOperator(), hosts: ['models.example.com'], stable: iris('v1'), shadow: iris('v2'), mirrorPercentage: 25 });
}
