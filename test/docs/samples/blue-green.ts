import { App, Chart } from 'cdk8s';
import { iris } from './common';
import { BlueGreen, BlueGreenColour, Routing } from '../../../src';

export function build(app: App): void {
  const chart = new Chart(app, 'bluegreen', { namespace: 'models' });
  new BlueGreen(chart, 'Iris', {
    name: 'iris',
    routing: Routing.istio(),
    hosts: ['models.example.com'],
    blue: iris('v1'),
    green: iris('v2'),
    active: BlueGreenColour.BLUE,
    preview: { headerName: 'x-preview' },
  });
}
