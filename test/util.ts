import { App, Chart, ChartProps, Testing } from 'cdk8s';
import { parseAllDocuments } from 'yaml';
import { Routing, RoutingMode, SeldonOperatorRoutingOptions } from '../src';

/** A fresh app and a chart in it. */
export function testChart(props: ChartProps = {}): { app: App; chart: Chart } {
  const app = Testing.app();
  const chart = new Chart(app, 'test', props);
  return { app, chart };
}

/**
 * Synthesizes the app the way `cdk8s synth` does (validations included) and returns the
 * manifests, parsed back from the YAML a user would commit.
 */
export function synth(app: App): any[] {
  return parseAllDocuments(app.synthYaml()).map(d => d.toJS()).filter(d => d !== null);
}

/** The one manifest of `kind` (fails when there are none or several). */
export function only(manifests: any[], kind: string): any {
  const found = manifests.filter(m => m.kind === kind);
  if (found.length !== 1) throw new Error(`expected one ${kind}, found ${found.length}`);
  return found[0];
}

/** The error message `fn` throws (fails when it does not throw). */
export function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error, none was thrown');
}

/** The routing of `mode`, for tests that run in both modes. */
export function routingFor(mode: RoutingMode, options: SeldonOperatorRoutingOptions = {}): Routing {
  return mode === RoutingMode.ISTIO ? Routing.istio(options) : Routing.seldonOperator(options);
}
