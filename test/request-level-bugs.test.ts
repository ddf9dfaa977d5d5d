/**
 * The real-use bugs of issue 10 §3 that the cluster accepted, each shown as a request that went
 * to the wrong place, simulated over the synthesized YAML.
 */
import { Chart, Duration } from 'cdk8s';
import { AbTest, BlueGreen, BlueGreenColour, Canary, CanaryTraffic, Gateway, GatewayServer, IGateway, ModelServer, ModelVariant, RouteReport, RouteSimulator, Routing, RoutingMode, SeldonDeployment, Shadow, SimulationOutcome, StringMatch, TfServingServer, VirtualService } from '../src';
import { errorOf, routingFor, synth, testChart } from './util';

const iris = (version: string) => ModelVariant.seldon({
  graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://seldon-models/iris/${version}` },
});
const at = (path: string, headers: Record<string, string> = {}) =>
  ({ gateway: 'istio-system/seldon-gateway', host: 'models.example.com', path, headers });
const subsets = (r: { destinations: Array<{ subset?: string; probability: number }> }) => r.destinations.map(d => [d.subset, d.probability]);

describe('bugs 1 and 2: sticky cookies', () => {
  function abTest() {
    const { app, chart } = testChart({ namespace: 'models' });
    new AbTest(chart, 'AB', {
      name: 'iris',
      routing: Routing.istio({ stickyCookie: 'arm' }),
      hosts: ['models.example.com'],
      variants: [
        { name: 'a', model: iris('v1'), weight: 50 },
        { name: 'b', model: iris('v2'), weight: 50, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] },
      ],
    });
    return RouteSimulator.fromManifests(synth(app));
  }
  const path = '/seldon/models/iris/api/v1.0/predictions';

  test.each([
    ['ours alone', 'arm=b'],
    ['ours first', 'arm=b; session=1'],
    ['a browser puts "; " between cookies', 'session=1; arm=b'],
    ['in the middle', '_ga=GA1.2.3; arm=b; theme=dark'],
  ])('a user with arm=b stays on b: %s (%s)', (_, cookie) => {
    expect(subsets(abTest().simulate(at(path, { cookie })))).toEqual([['b', 1]]);
  });

  test('a look-alike cookie does not pin the arm', () => {
    expect(subsets(abTest().simulate(at(path, { cookie: 'xarm=b; farm=b' })))).toEqual([['a', 0.5], ['b', 0.5]]);
  });

  test('the arm\'s cookie is appended beside the model\'s own Set-Cookie, on every route that reaches it', () => {
    const sim = abTest();
    for (const r of [sim.simulate(at(path)), sim.simulate(at(path, { 'x-group': 'beta' })), sim.simulate(at(path, { cookie: 'arm=a' }))]) {
      expect(r.outcome).toBe(SimulationOutcome.ROUTED);
      for (const d of r.destinations) {
        expect(d.responseHeadersAdded).toEqual({ 'set-cookie': `arm=${d.subset}; Path=/` });
        expect(d.responseHeadersSet).toBeUndefined();
      }
    }
    // The header-matched user (x-group: beta) gets the cookie of b too.
    expect(sim.simulate(at(path, { 'x-group': 'beta' })).destinations.map(d => d.responseHeadersAdded?.['set-cookie'])).toEqual(['arm=b; Path=/']);
  });
});

describe('bug 3: a 0 % mirror', () => {
  test('Istio mode mirrors nothing; Seldon mode is refused (the operator would mirror 100 %)', () => {
    const build = (mode: RoutingMode) => {
      const { app, chart } = testChart({ namespace: 'models' });
      new Shadow(chart, 'Shadow', { name: 'iris', routing: routingFor(mode), stable: iris('v1'), shadow: iris('v2'), mirrorPercentage: 0 });
      return app;
    };
    const r = RouteSimulator.fromManifests(synth(build(RoutingMode.ISTIO))).simulate(at('/seldon/models/iris/x'));
    expect(subsets(r)).toEqual([['stable', 1]]);
    expect(r.mirrors).toEqual([]);
    expect(errorOf(() => build(RoutingMode.SELDON).synth())).toMatch(/\[SDO003\] mirror "shadow" at 0 %: the Seldon operator would mirror 100 %/);
  });

  test('what the operator does with a shadow of traffic 0, simulated from the SeldonDeployment', () => {
    // The shape the Seldon renderer used to write: shadow: true, traffic: 0.
    const sdep = {
      apiVersion: 'machinelearning.seldon.io/v1',
      kind: 'SeldonDeployment',
      metadata: { name: 'iris', namespace: 'models' },
      spec: { predictors: [{ name: 'main', traffic: 100, graph: { name: 'c' } }, { name: 'shadow', shadow: true, traffic: 0, graph: { name: 'c' } }] },
    };
    expect(RouteSimulator.fromManifests([sdep]).simulate(at('/seldon/models/iris/x')).mirrors.map(m => m.probability)).toEqual([1]);
  });
});

describe('bug 4: a multi-port Service behind an ingress gateway', () => {
  function tfCanary(gateways?: IGateway[]) {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = new TfServingServer(chart, 'Inception', {
      name: 'inception',
      modelName: 'inception',
      versions: [{ name: 'v1', modelBasePath: 'gs://kubeflow-models/inception/v1' }, { name: 'v2', modelBasePath: 'gs://kubeflow-models/inception/v2' }],
    });
    new Canary(chart, 'Canary', {
      name: 'inception',
      routing: Routing.istio(),
      gateways,
      hosts: gateways ? ['inception.example.com'] : undefined,
      stable: ModelVariant.tfServing(server, 'v1'),
      candidate: ModelVariant.tfServing(server, 'v2'),
      traffic: CanaryTraffic.weight(5),
    });
    return RouteSimulator.fromManifests(synth(app));
  }

  test('REST reaches 8501 and gRPC 8500 at the gateway (before: port 80, no cluster, 503)', () => {
    const sim = tfCanary([Gateway.fromName('istio-system/seldon-gateway')]);
    const rest = sim.simulate({ gateway: 'istio-system/seldon-gateway', host: 'inception.example.com', path: '/v1/models/inception:predict' });
    expect(rest.destinations.map(d => [d.subset, d.port, d.probability, d.failure])).toEqual([['stable', 8501, 0.95, undefined], ['canary', 8501, 0.05, undefined]]);
    const grpc = sim.simulate({
      gateway: 'istio-system/seldon-gateway',
      host: 'inception.example.com',
      path: '/tensorflow.serving.PredictionService/Predict',
      headers: { 'content-type': 'application/grpc' },
    });
    expect(grpc.destinations.map(d => [d.subset, d.port, d.probability, d.failure])).toEqual([['stable', 8500, 0.95, undefined], ['canary', 8500, 0.05, undefined]]);
  });

  test('in the mesh, each port the caller dials reaches that port', () => {
    const sim = tfCanary();
    expect(sim.simulate({ host: 'inception.kubeflow', port: 8501, path: '/v1/models/inception:predict' }).destinations.map(d => d.port)).toEqual([8501, 8501]);
    expect(sim.simulate({ host: 'inception.kubeflow', port: 8500, path: '/x', headers: { 'content-type': 'application/grpc+proto' } }).destinations.map(d => d.port)).toEqual([8500, 8500]);
  });

  test('a Service variant without port behind an ingress gateway is refused (POL010)', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Canary', {
      name: 'iris',
      routing: Routing.istio(),
      gateways: [Gateway.fromName('istio-system/seldon-gateway')],
      stable: ModelVariant.service({ serviceName: 'iris', labels: { version: 'v1' } }),
      candidate: ModelVariant.service({ serviceName: 'iris', labels: { version: 'v2' } }),
      traffic: CanaryTraffic.weight(10),
    });
    expect(errorOf(() => app.synth())).toMatch(/\[POL010\] variant 'stable' \(Service 'iris'\) has no port/);
  });
});

describe('bug 6: the route report reads the operator as the operator does', () => {
  test('one gateway, not split on commas; long names shortened with md5, as the Services are', () => {
    const long = 'a'.repeat(58);
    const sdep = {
      apiVersion: 'machinelearning.seldon.io/v1',
      kind: 'SeldonDeployment',
      metadata: { name: long, namespace: 'models' },
      spec: { annotations: { 'seldon.io/istio-gateway': 'gw-a,gw-b' }, predictors: [{ name: 'stable', graph: { name: 'c' } }] },
    };
    const rows = RouteReport.fromManifests([sdep]).rows;
    expect(rows.map(r => r.gateways)).toEqual([['gw-a,gw-b'], ['gw-a,gw-b']]);
    expect(rows[0].destination).toMatch(/^seldon-[0-9a-f]{32}\.models\.svc\.cluster\.local\/stable:8000$/);
    expect(rows.map(r => r.route)).toEqual(['rest', 'grpc']);
  });

  test('the report and the simulator agree with the Seldon-managed endpoint a pattern writes', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10) });
    const manifests = synth(app);
    const rest = RouteReport.fromManifests(manifests).rows.filter(r => r.route === 'rest');
    const simulated = RouteSimulator.fromManifests(manifests).simulate(at('/seldon/models/iris/api/v1.0/predictions'));
    expect(rest.map(r => [r.destination, (r.weight ?? 0) / 100]))
      .toEqual(simulated.destinations.map(d => [`${d.host}/${d.subset}:${d.port}`, d.probability]));
  });
});

describe('bug 8: header names with upper case', () => {
  test('a match on X-Group is refused, in a pattern (preview header too) and in a VirtualService, with the lower-case name to use', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new AbTest(chart, 'AB', {
      name: 'iris',
      routing: Routing.istio(),
      variants: [
        { name: 'a', model: iris('v1'), weight: 100 },
        { name: 'b', model: iris('v2'), weight: 0, matches: [{ headers: { 'X-Group': StringMatch.exact('beta') } }] },
      ],
    });
    new BlueGreen(chart, 'BG', { name: 'iris-bg', routing: Routing.istio(), blue: iris('v1'), green: iris('v2'), active: BlueGreenColour.BLUE, preview: { headerName: 'X-Preview' } });
    new VirtualService(chart, 'VS', {
      hosts: ['iris'], routes: [{ name: 'r', matches: [{ headers: { 'X-User': StringMatch.exact('1') } }], destinations: [{ host: 'iris' }] }],
    });
    const message = errorOf(() => app.synth());
    expect(message).toMatch(/\[test\/AB\] \[POL011\] route 'match-b': header name 'X-Group' has upper case: .* write 'x-group'/);
    expect(message).toMatch(/\[test\/BG\] \[POL011\] route 'preview-header': header name 'X-Preview' has upper case/);
    expect(message).toMatch(/\[test\/VS\] \[POL011\] route 'r': header name 'X-User' has upper case/);
  });
});

describe('bug 5: a TF Serving version added after the pattern', () => {
  function rollout(addLater: boolean) {
    const { app, chart } = testChart({ namespace: 'kubeflow' });
    const server = new TfServingServer(chart, 'Inception', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://kubeflow-models/inception/v1' }] });
    new Canary(chart, 'Canary', {
      name: 'inception',
      routing: Routing.istio(),
      stable: ModelVariant.tfServing(server, 'v1'),
      candidate: ModelVariant.tfServing(server, 'v2'),
      traffic: CanaryTraffic.weight(5),
    });
    if (addLater) server.addVersion({ name: 'v2', modelBasePath: 'gs://kubeflow-models/inception/v2' });
    return app;
  }

  test('is routed to once it exists: 5 % of requests reach the v2 pods', () => {
    const r = RouteSimulator.fromManifests(synth(rollout(true))).simulate({ host: 'inception.kubeflow', port: 8501, path: '/v1/models/inception:predict' });
    expect(r.destinations.map(d => [d.subset, d.probability, d.workloads.map(w => w.name)]))
      .toEqual([['stable', 0.95, ['Deployment kubeflow/inception-v1']], ['canary', 0.05, ['Deployment kubeflow/inception-v2']]]);
  });

  test('a version that never appears is still refused at synth (TFS004)', () => {
    expect(errorOf(() => rollout(false).synth())).toMatch(/\[TFS004\] variant 'canary' routes to version 'v2' of TfServingServer 'test\/Inception', which has only \["v1"\]/);
  });
});

describe('bug 7: two endpoints of one name in one namespace', () => {
  test.each([RoutingMode.SELDON, RoutingMode.ISTIO])('Canary and Shadow both named iris, in two charts (%s): the error says so and names both', mode => {
    const { app } = testChart();
    new Canary(new Chart(app, 'a', { namespace: 'models' }), 'Canary', { name: 'iris', routing: routingFor(mode), stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10) });
    new Shadow(new Chart(app, 'b', { namespace: 'models' }), 'Shadow', { name: 'iris', routing: routingFor(mode), stable: iris('v1'), shadow: iris('v2'), mirrorPercentage: 10 });
    const message = errorOf(() => app.synth());
    expect(message).toContain("[XRS004] 2 SeldonDeployments are named 'iris' in namespace 'models' (a/Canary/SeldonDeployment, b/Shadow/SeldonDeployment)");
    if (mode === RoutingMode.ISTIO) expect(message).toContain("[XRS004] 2 VirtualServices are named 'iris-routes' in namespace 'models'");
  });

  test('the same name in two namespaces is fine', () => {
    const { app } = testChart();
    new Canary(new Chart(app, 'a', { namespace: 'models' }), 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10) });
    new Canary(new Chart(app, 'b', { namespace: 'staging' }), 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10) });
    expect(synth(app).filter(m => m.kind === 'SeldonDeployment')).toHaveLength(2);
  });
});

describe('bug 9: errors say what the user wrote, with the construct path', () => {
  const synthError = (build: (chart: Chart) => void) => {
    const { app, chart } = testChart({ namespace: 'models' });
    build(chart);
    return errorOf(() => app.synth());
  };

  test('a weight of 150 is reported as the CanaryTraffic written, not as a stable weight of -50', () => {
    const message = synthError(chart => new Canary(chart, 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(150) }));
    expect(message).toContain('[test/Canary] [POL003] CanaryTraffic.weight(150) must be an integer from 0 to 100');
    expect(message).not.toMatch(/-50/);
    const step = synthError(chart => new Canary(chart, 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.steps([5, 150], { current: 1 }) }));
    expect(step).toContain('steps[1] 150 must be an integer from 0 to 100');
    expect(step).not.toMatch(/-50/);
  });

  test('a fractional Duration is a synth error naming the construct and the prop, not a bare exception', () => {
    expect(synthError(chart => new Canary(chart, 'Canary', { name: 'iris', routing: Routing.istio({ timeout: Duration.millis(1.5) }), stable: iris('v1') })))
      .toContain('[test/Canary] [ISV004] timeout 1.5ms is not a valid Istio duration');
    expect(synthError(chart => new Canary(chart, 'Canary', { name: 'iris', routing: Routing.seldonOperator({ retries: { attempts: 2, perTryTimeout: Duration.millis(1.5) } }), stable: iris('v1') })))
      .toContain('[test/Canary] [ISV004] retries: perTryTimeout 1.5ms is not a valid Istio duration');
    expect(synthError(chart => new SeldonDeployment(chart, 'Iris', {
      name: 'iris',
      retries: 2,
      retriesTimeout: Duration.millis(1.5),
      predictors: [{ name: 'p', graph: { name: 'c', implementation: ModelServer.SKLEARN_SERVER, modelUri: 'gs://m' } }],
    }))).toContain('[test/Iris] [SDO001] retriesTimeout 1.5ms must be a whole number of seconds >= 1');
  });

  test('an https server without credentialName (plain JavaScript) is a synth error with the path', () => {
    expect(synthError(chart => new Gateway(chart, 'Gateway', { servers: [GatewayServer.https({} as any)] })))
      .toContain("[test/Gateway] [ISV013] server 'https': TLS mode SIMPLE needs credentialName");
  });
});

describe('bug 10: retries mean the same in both modes', () => {
  const path = '/seldon/models/iris/api/v1.0/predictions';
  const retriesIn = (mode: RoutingMode, retries?: { attempts: number; perTryTimeout?: Duration; retryOn?: string[] }) => {
    const { app, chart } = testChart({ namespace: 'models' });
    new Canary(chart, 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2'), traffic: CanaryTraffic.weight(10), routing: routingFor(mode, { retries }) });
    return RouteSimulator.fromManifests(synth(app)).simulate(at(path)).retries;
  };

  test.each([
    ['no retries', undefined],
    ['3 attempts, no per-try timeout', { attempts: 3 }],
    ['3 attempts of 2s', { attempts: 3, perTryTimeout: Duration.seconds(2) }],
  ])('%s: the policy in force is identical', (_, retries) => {
    expect(retriesIn(RoutingMode.ISTIO, retries)).toEqual(retriesIn(RoutingMode.SELDON, retries));
  });

  test('the values: Istio\'s mesh default without retries; the operator\'s 1s per try with attempts only', () => {
    expect(retriesIn(RoutingMode.ISTIO)).toEqual({ attempts: 2, retryOn: 'connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes', meshDefault: true });
    expect(retriesIn(RoutingMode.ISTIO, { attempts: 3 })).toEqual({ attempts: 3, perTryTimeout: '1s', retryOn: 'gateway-error,connect-failure,refused-stream', meshDefault: false });
  });
});
