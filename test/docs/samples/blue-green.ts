import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { BlueGreen, Colour, RoutingMode } from '../../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'bluegreen', { namespace: 'models' });
  new BlueGreen(chart, 'Iris', {
    name: 'iris',
    mode: RoutingMode.ISTIO,
    hosts: ['models.example.com'],
    blue: iris('v1'),
    green: iris('v2'),
    active: Colour.BLUE,
    preview: { headerName: 'x-preview' },
  });
}
