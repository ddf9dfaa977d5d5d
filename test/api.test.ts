/**
 * The public API's shape: what cannot be written (checked by the type checker, which the test
 * task runs over this file before jest), and the extension points users build on.
 */
import { Chart, Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import {
  AbTest, Canary, CanaryTraffic, Gateway, IstioSidecar, ModelEndpoint, ModelEndpointProps, ModelServer, ModelVariant,
  RouteSimulator, Routing, RoutingMode, StringMatch, StringMatchType, TfServingServer, VariantBackend,
} from '../src';
import { errorOf, only, synth, testChart } from './util';

const iris = (v: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://models/iris/${v}` } });

describe('options only one routing honours cannot be written for the other', () => {
  test('the operator takes retries only; a timeout or a sticky cookie is a type error', () => {
    // @ts-expect-error the Seldon operator cannot write a timeout
    Routing.seldonOperator({ timeout: Duration.seconds(1) });
    // @ts-expect-error nor sticky sessions
    Routing.seldonOperator({ stickyCookie: 'arm' });
    const routing = Routing.seldonOperator({ retries: { attempts: 2 } });
    expect([routing.mode, routing.retries, routing.timeout, routing.stickyCookie])
      .toEqual([RoutingMode.SELDON, { attempts: 2 }, undefined, undefined]);
  });

  test('Istio routing takes all three, and they reach every route', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Canary', {
      name: 'iris',
      routing: Routing.istio({ timeout: Duration.seconds(3), retries: { attempts: 1 }, stickyCookie: 'arm' }),
      stable: iris('v1'),
      candidate: iris('v2'),
      traffic: CanaryTraffic.weight(10),
    });
    const http = only(synth(app), 'VirtualService').spec.http;
    expect(http.map((r: any) => r.name)).toEqual(['sticky-stable-rest', 'sticky-stable-grpc', 'sticky-canary-rest', 'sticky-canary-grpc', 'default-rest', 'default-grpc']);
    for (const route of http) expect([route.timeout, route.retries.attempts]).toEqual(['3s', 1]);
  });

  test('a Canary has no candidateWeight or steps props any more: its traffic is one value', () => {
    const { chart } = testChart({ namespace: 'models' });
    // @ts-expect-error the weight is CanaryTraffic.weight(...)
    new Canary(chart, 'A', { name: 'a', stable: iris('v1'), candidate: iris('v2'), candidateWeight: 5 });
    // @ts-expect-error the steps are CanaryTraffic.steps(...)
    new Canary(chart, 'B', { name: 'b', stable: iris('v1'), candidate: iris('v2'), steps: [5, 50] });
  });
});

describe('CanaryTraffic', () => {
  test('weight and steps give the weight in force; steps default to the first step', () => {
    expect(CanaryTraffic.weight(7).candidateWeight).toBe(7);
    expect(CanaryTraffic.steps([5, 25, 50]).candidateWeight).toBe(5);
    expect(CanaryTraffic.steps([5, 25, 50], { current: 2 }).candidateWeight).toBe(50);
    expect(CanaryTraffic.steps([5, 25, 50], { current: 2 }).planSteps!.map(String)).toEqual(['5 %', '25 %', '50 %']);
  });

  test('the plan is copied: changing the array later does not move the rollout', () => {
    const steps = [5, 25];
    const traffic = CanaryTraffic.steps(steps, { current: 1 });
    steps[1] = 99;
    expect(traffic.candidateWeight).toBe(25);
  });

  test('a step plan without candidate is refused, a weight of 0 without candidate is not', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Promoted', { name: 'iris', stable: iris('v2'), traffic: CanaryTraffic.weight(0) });
    expect(only(synth(app), 'SeldonDeployment').spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['stable', 100]]);
    const other = testChart({ namespace: 'models' });
    new Canary(other.chart, 'Canary', { name: 'iris', stable: iris('v1'), traffic: CanaryTraffic.steps([5, 50]) });
    expect(errorOf(() => other.app.synthYaml())).toMatch(/\[test\/Canary\] \[POL003\] the candidate takes 5% but no candidate is given/);
  });
});

/** A pattern of a user's own: three versions at fixed shares, the newest also mirrored from the oldest's traffic. */
class ThreeWay extends ModelEndpoint {
  constructor(scope: Construct, id: string, props: ModelEndpointProps & { readonly versions: ModelVariant[] }) {
    super(scope, id, props);
    this.renderPlan({
      variants: [
        { name: 'old', model: props.versions[0], weight: 60 },
        { name: 'mid', model: props.versions[1], weight: 30 },
        { name: 'new', model: props.versions[2], weight: 10 },
      ],
      routes: [{ name: 'testers', matches: [{ headers: { 'x-tester': StringMatch.exact('1') } }], target: 'new' }],
    });
  }
}

describe('TrafficPlan: the extension point for patterns of your own', () => {
  test('a custom pattern gets both routings, the checks and what the built-in ones expose', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const endpoint = new ThreeWay(chart, 'Three', {
      name: 'iris', routing: Routing.istio(), hosts: ['models.example.com'], versions: [iris('v1'), iris('v2'), iris('v3')],
    });
    expect(endpoint.variants.map(v => v.name)).toEqual(['old', 'mid', 'new']);
    const manifests = synth(app);
    expect(endpoint.virtualService).toBeDefined();
    const simulator = RouteSimulator.fromManifests(manifests);
    const tester = simulator.simulate({ gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path: '/seldon/models/iris/api/v1.0/predictions', headers: { 'x-tester': '1' } });
    expect(tester.destinations.map(d => [d.subset, d.probability])).toEqual([['new', 1]]);
    const anyone = simulator.simulate({ gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path: '/seldon/models/iris/api/v1.0/predictions' });
    expect(anyone.destinations.map(d => [d.subset, d.probability])).toEqual([['old', 0.6], ['mid', 0.3], ['new', 0.1]]);
  });

  test('its plan is checked like a built-in one: weights that do not sum to 100 name the construct', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    class Broken extends ModelEndpoint {
      constructor(scope: Construct, id: string) {
        super(scope, id, { name: 'iris' });
        this.renderPlan({ variants: [{ name: 'a', model: iris('v1'), weight: 70 }, { name: 'b', model: iris('v2'), weight: 20 }] });
      }
    }
    new Broken(chart, 'Broken');
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/Broken\] \[POL001\] weights sum to 90, not 100 \(a=70 \+ b=20\)/);
  });

  test.each<[string, object, RegExp]>([
    ['no variant', { variants: [] }, /\[POL003\] has no variant that takes traffic: add one/],
    ['a route to an unknown variant', { variants: [{ name: 'a', model: iris('v1'), weight: 100 }], routes: [{ name: 'r', matches: [{ headers: { 'x-a': StringMatch.exact('1') } }], target: 'b' }] },
      /route 'r' targets 'b', which is not a variant that takes traffic: use one of \["a"\]/],
    ['a route without match', { variants: [{ name: 'a', model: iris('v1'), weight: 100 }], routes: [{ name: 'r', matches: [], target: 'a' }] },
      /route 'r' has no match: give it at least one condition/],
  ])('a custom plan with %s is refused, naming the construct', (_, plan, expected) => {
    const { app, chart } = testChart({ namespace: 'models' });
    class Custom extends ModelEndpoint {
      constructor(scope: Construct, id: string) {
        super(scope, id, { name: 'iris', routing: Routing.istio() });
        this.renderPlan(plan as any);
      }
    }
    new Custom(chart, 'Custom');
    const message = errorOf(() => app.synthYaml());
    expect(message).toMatch(/\[test\/Custom\] \[POL003\] /);
    expect(message).toMatch(expected);
  });

  test('a plan is rendered once', () => {
    const { chart } = testChart({ namespace: 'models' });
    class Twice extends ModelEndpoint {
      constructor(scope: Construct, id: string) {
        super(scope, id, { name: 'iris' });
        this.renderPlan({ variants: [{ name: 'a', model: iris('v1'), weight: 100 }] });
        this.renderPlan({ variants: [{ name: 'a', model: iris('v1'), weight: 100 }] });
      }
    }
    expect(() => new Twice(chart, 'Twice')).toThrow('[test/Twice] renderPlan was called twice');
  });
});

describe('ModelVariant is plain data', () => {
  test('fromService takes a cdk8s-plus Service of the app and routes to its pods by label', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const service = new kplus.Service(chart, 'Flowers', { metadata: { name: 'flowers' }, ports: [{ port: 8080 }] });
    const v1 = ModelVariant.fromService(service, { labels: { version: 'v1' }, port: 8080, podSelector: { app: 'flowers' } });
    expect([v1.backend, v1.serviceName, v1.podSelector, v1.versionLabels, v1.isSeldon]).toEqual([VariantBackend.SERVICE, 'flowers', { app: 'flowers' }, { version: 'v1' }, false]);
    new AbTest(chart, 'AB', {
      name: 'flowers',
      routing: Routing.istio(),
      gateways: [Gateway.mesh()],
      variants: [
        { name: 'v1', model: v1, weight: 80 },
        { name: 'v2', model: ModelVariant.fromService(service, { labels: { version: 'v2' }, port: 8080 }), weight: 20 },
      ],
    });
    const dr = only(synth(app), 'DestinationRule');
    expect(dr.spec).toEqual({ host: 'flowers.models.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
  });

  test('a TF Serving variant holds names only: the server is found in the app at synth (TFS004)', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const server = new TfServingServer(chart, 'Inception', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }] });
    const v2 = ModelVariant.tfServing(server, 'v2');
    expect([v2.backend, v2.serviceName, v2.versionLabels]).toEqual([VariantBackend.TF_SERVING, 'inception', { version: 'v2' }]);
    new Canary(chart, 'Rollout', { name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1'), candidate: v2, traffic: CanaryTraffic.weight(5) });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[TFS004\] variant 'canary' routes to version 'v2'/);
    // The version added after the pattern was built counts.
    server.addVersion({ name: 'v2', modelBasePath: 'gs://m/v2' });
    expect(() => app.synthYaml()).not.toThrow();
  });

  test('a TF Serving variant whose server is in another app is refused', () => {
    const other = testChart({ namespace: 'models' });
    const server = new TfServingServer(other.chart, 'Inception', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }] });
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Rollout', { name: 'inception', routing: Routing.istio(), stable: ModelVariant.tfServing(server, 'v1') });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/Rollout\] \[TFS004\] variant 'stable': no TfServingServer named 'inception' is in this app/);
  });
});

describe('sidecar on every endpoint', () => {
  test('IstioSidecar.inject() labels every predictor; the default leaves it to the namespace', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Injected', { name: 'a', sidecar: IstioSidecar.inject(), podLabels: { team: 'ml' }, stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(5) });
    new Canary(chart, 'Plain', { name: 'b', stable: iris('v1') });
    const [injected, plain] = synth(app).filter(m => m.kind === 'SeldonDeployment');
    expect(injected.spec.predictors.map((p: any) => p.labels)).toEqual([
      { 'sidecar.istio.io/inject': 'true', 'team': 'ml' }, { 'sidecar.istio.io/inject': 'true', 'team': 'ml' },
    ]);
    expect(plain.spec.predictors[0].labels).toBeUndefined();
  });

  test('a root proxy is for TF Serving pods; on Seldon predictors it is refused with the fix', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Canary', { name: 'a', sidecar: IstioSidecar.injectWithRootProxy(), stable: iris('v1') });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/Canary\] \[POL003\] sidecar IstioSidecar.injectWithRootProxy\(\) is for TfServingServer/);
  });
});

describe('typed values instead of bare strings', () => {
  test('StringMatch says how it compares', () => {
    expect([StringMatch.exact('a').type, StringMatch.prefix('/').type, StringMatch.cookie('arm', 'b').type]).toEqual([StringMatchType.EXACT, StringMatchType.PREFIX, StringMatchType.REGEX]);
  });

  test('a chart without namespace still needs one on the endpoint', () => {
    const { app } = testChart();
    const chart = new Chart(app, 'nons');
    new Canary(chart, 'Canary', { name: 'a', stable: iris('v1') });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[nons\/Canary\] \[POL003\] has no namespace/);
  });
});
