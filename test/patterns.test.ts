import { Duration } from 'cdk8s';
import { AbTest, BlueGreen, BlueGreenColour, Gateway, ModelServer, ModelVariant, Routing, Shadow, StringMatch } from '../src';
import { errorOf, only, synth, testChart } from './util';

const sklearn = (uri: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: uri } });
const a = sklearn('gs://models/iris/a');
const b = sklearn('gs://models/iris/b');
const c = sklearn('gs://models/iris/c');
const host = (p: string) => `iris-${p}.models.svc.cluster.local`;

function build(fn: (chart: any) => void): any[] {
  const { app, chart } = testChart({ namespace: 'models' });
  fn(chart);
  return synth(app);
}

function failure(fn: (chart: any) => void): string {
  const { app, chart } = testChart({ namespace: 'models' });
  fn(chart);
  return errorOf(() => app.synthYaml());
}

describe('Shadow', () => {
  test('Seldon mode: the shadow is a predictor with shadow: true and its traffic as the mirror percentage', () => {
    const sdep = only(build(chart => new Shadow(chart, 'S', { name: 'iris', stable: a, shadow: b, mirrorPercentage: 25 })), 'SeldonDeployment');
    expect(sdep.spec.predictors.map((p: any) => [p.name, p.traffic, p.shadow])).toEqual([['stable', 100, undefined], ['shadow', 25, true]]);
  });

  test('mirror percentage defaults to 100', () => {
    const sdep = only(build(chart => new Shadow(chart, 'S', { name: 'iris', stable: a, shadow: b })), 'SeldonDeployment');
    expect(sdep.spec.predictors[1]).toMatchObject({ name: 'shadow', shadow: true, traffic: 100 });
  });

  test('Istio mode: every route mirrors to the shadow subset on the same port, with an explicit percentage', () => {
    const manifests = build(chart => new Shadow(chart, 'S', { name: 'iris', routing: Routing.istio(), stable: a, shadow: b, mirrorPercentage: 25 }));
    const vs = only(manifests, 'VirtualService');
    expect(vs.spec.http.map((r: any) => [r.name, r.route.length, r.mirror, r.mirrorPercentage])).toEqual([
      ['default-rest', 1, { host: host('shadow'), subset: 'shadow', port: { number: 8000 } }, { value: 25 }],
      ['default-grpc', 1, { host: host('shadow'), subset: 'shadow', port: { number: 5001 } }, { value: 25 }],
    ]);
    // The shadow's pods exist, take no live traffic, and its subset is defined.
    const sdep = only(manifests, 'SeldonDeployment');
    expect(sdep.spec.predictors.map((p: any) => [p.name, p.traffic, p.shadow])).toEqual([['stable', 100, undefined], ['shadow', 0, undefined]]);
    expect(manifests.filter(m => m.kind === 'DestinationRule').map(r => r.spec.subsets[0].name)).toEqual(['stable', 'shadow']);
  });

  test('mirror percentage out of range is refused', () => {
    expect(failure(chart => new Shadow(chart, 'S', { name: 'iris', stable: a, shadow: b, mirrorPercentage: 150 })))
      .toMatch(/\[test\/S\] \[ISV008\] mirror 'shadow': mirror percentage 150 must be from 0 to 100/);
  });
});

describe('BlueGreen', () => {
  test('the active colour takes 100%; switching is one prop that changes only the weights', () => {
    const render = (active: BlueGreenColour) => only(build(chart => new BlueGreen(chart, 'BG', { name: 'iris', blue: a, green: b, active })), 'SeldonDeployment');
    const blue = render(BlueGreenColour.BLUE);
    const green = render(BlueGreenColour.GREEN);
    expect(blue.spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['blue', 100], ['green', 0]]);
    expect(green.spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['blue', 0], ['green', 100]]);
    const withoutTraffic = (m: any) => ({ ...m, spec: { ...m.spec, predictors: m.spec.predictors.map(({ traffic, ...p }: any) => p) } });
    expect(withoutTraffic(green)).toEqual(withoutTraffic(blue));
  });

  test('Istio mode: a preview header and a preview host reach the inactive colour before the weighted default', () => {
    const manifests = build(chart => new BlueGreen(chart, 'BG', {
      name: 'iris',
      routing: Routing.istio(),
      blue: a,
      green: b,
      active: BlueGreenColour.BLUE,
      hosts: ['iris.example.com'],
      preview: { headerName: 'x-preview', host: 'preview.iris.example.com' },
    }));
    const vs = only(manifests, 'VirtualService');
    expect(vs.spec.hosts).toEqual(['iris.example.com', 'preview.iris.example.com']);
    expect(vs.spec.http.map((r: any) => r.name)).toEqual(['preview-header-rest', 'preview-header-grpc', 'preview-host-rest', 'preview-host-grpc', 'default-rest', 'default-grpc']);
    expect(vs.spec.http[0].match).toEqual([{ uri: { prefix: '/seldon/models/iris/' }, headers: { 'x-preview': { exact: 'true' } } }]);
    expect(vs.spec.http[0].route).toEqual([{ destination: { host: host('green'), subset: 'green', port: { number: 8000 } } }]);
    expect(vs.spec.http[2].match[0].authority).toEqual({ exact: 'preview.iris.example.com' });
    expect(vs.spec.http[4].route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['blue', 100], ['green', 0]]);
  });

  test('a preview cannot be expressed in Seldon mode', () => {
    expect(failure(chart => new BlueGreen(chart, 'BG', { name: 'iris', blue: a, green: b, active: BlueGreenColour.GREEN, preview: { headerName: 'x-preview' } })))
      .toMatch(/route "preview-header" matches requests .* use routing: Routing\.istio\(\)/);
  });
});

describe('AbTest', () => {
  test('Seldon mode: weights only', () => {
    const sdep = only(build(chart => new AbTest(chart, 'AB', {
      name: 'iris', variants: [{ name: 'model-a', model: a, weight: 50 }, { name: 'model-b', model: b, weight: 50 }],
    })), 'SeldonDeployment');
    expect(sdep.spec.predictors.map((p: any) => [p.name, p.traffic])).toEqual([['model-a', 50], ['model-b', 50]]);
  });

  test('Istio mode: "users with header x-group: beta see model B", cookie and caller matches, sticky sessions, weighted default last', () => {
    const manifests = build(chart => new AbTest(chart, 'AB', {
      name: 'iris',
      routing: Routing.istio({ stickyCookie: 'iris-arm' }),
      gateways: [Gateway.mesh()],
      serviceName: 'iris',
      variants: [
        { name: 'model-a', model: a, weight: 80 },
        { name: 'model-b', model: b, weight: 20, matches: [{ headers: { 'x-group': StringMatch.exact('beta') } }] },
        { name: 'model-c', model: c, matches: [{ sourceLabels: { app: 'batch-scorer' } }, { headers: { cookie: StringMatch.regex('^(.*?;)?(tier=gold)(;.*)?$') } }] },
      ],
    }));
    const vs = only(manifests, 'VirtualService');
    expect(vs.spec.gateways).toEqual(['mesh']);
    expect(vs.spec.hosts).toEqual(['iris']);
    const rest = vs.spec.http.filter((r: any) => r.name.endsWith('-rest'));
    expect(rest.map((r: any) => r.name)).toEqual(['match-model-b-rest', 'match-model-c-rest', 'sticky-model-a-rest', 'sticky-model-b-rest', 'sticky-model-c-rest', 'default-rest']);
    expect(rest[0].match).toEqual([{ uri: { prefix: '/seldon/models/iris/' }, headers: { 'x-group': { exact: 'beta' } } }]);
    expect(rest[1].match).toEqual([
      { uri: { prefix: '/seldon/models/iris/' }, sourceLabels: { app: 'batch-scorer' } },
      { uri: { prefix: '/seldon/models/iris/' }, headers: { cookie: { regex: '^(.*?;)?(tier=gold)(;.*)?$' } } },
    ]);
    expect(rest[2].match[0].headers.cookie).toEqual({ regex: '^(.*?;\\s*)?(iris-arm=model-a)(;.*)?$' });
    expect(rest[2].route[0].destination.subset).toBe('model-a');
    expect(rest[5].route.map((r: any) => [r.destination.subset, r.weight, r.headers.response.add['set-cookie']])).toEqual([
      ['model-a', 80, 'iris-arm=model-a; Path=/'],
      ['model-b', 20, 'iris-arm=model-b; Path=/'],
      ['model-c', 0, 'iris-arm=model-c; Path=/'],
    ]);
    // In the mesh, the first predictor's Service is the host clients call.
    expect(only(manifests, 'SeldonDeployment').spec.predictors[0].annotations).toEqual({ 'seldon.io/svc-name': 'iris' });
  });

  test('Service variants (labelled pods behind one Service): one DestinationRule with a subset per version', () => {
    const manifests = build(chart => new AbTest(chart, 'AB', {
      name: 'flowers',
      routing: Routing.istio({ timeout: Duration.seconds(5) }),
      variants: [
        { name: 'v1', model: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v1' }, port: 8501 }), weight: 95 },
        { name: 'v2', model: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v2' }, port: 8501 }), weight: 5 },
      ],
    }));
    expect(manifests.map(m => m.kind)).toEqual(['DestinationRule', 'VirtualService']);
    const dr = only(manifests, 'DestinationRule');
    expect(dr.metadata.name).toBe('flowers-subsets');
    expect(dr.spec).toEqual({ host: 'flowers.models.svc.cluster.local', subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }] });
    const vs = only(manifests, 'VirtualService');
    expect(vs.spec).toEqual({
      gateways: ['mesh'],
      hosts: ['flowers'],
      http: [{
        name: 'default',
        timeout: '5s',
        route: [
          { destination: { host: 'flowers.models.svc.cluster.local', subset: 'v1', port: { number: 8501 } }, weight: 95 },
          { destination: { host: 'flowers.models.svc.cluster.local', subset: 'v2', port: { number: 8501 } }, weight: 5 },
        ],
      }],
    });
  });

  test.each<[string, (chart: any) => void, RegExp]>([
    ['weights not summing to 100', chart => new AbTest(chart, 'AB', { name: 'iris', variants: [{ name: 'x', model: a, weight: 60 }, { name: 'y', model: b, weight: 30 }] }), /weights sum to 90, not 100 \(x=60 \+ y=30\)/],
    ['one arm only', chart => new AbTest(chart, 'AB', { name: 'iris', variants: [{ name: 'x', model: a, weight: 100 }] }), /needs at least two variants, got 1/],
    ['source labels through an ingress gateway', chart => new AbTest(chart, 'AB', {
      name: 'iris',
      routing: Routing.istio(),
      variants: [{ name: 'x', model: a, weight: 100 }, { name: 'y', model: b, matches: [{ sourceLabels: { app: 'z' } }] }],
    }), /sourceLabels match the calling workload and only work with the 'mesh' gateway alone/],
    ['a URI match on a Seldon endpoint', chart => new AbTest(chart, 'AB', {
      name: 'iris',
      routing: Routing.istio(),
      variants: [{ name: 'x', model: a, weight: 100 }, { name: 'y', model: b, matches: [{ uri: StringMatch.prefix('/v2') }] }],
    }), /route 'match-y' matches a URI, but a Seldon endpoint's routes are under '\/seldon\/models\/iris\/'/],
    ['Service variants in Seldon mode', chart => new AbTest(chart, 'AB', {
      name: 'flowers',
      variants: [
        { name: 'v1', model: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v1' } }), weight: 50 },
        { name: 'v2', model: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v2' } }), weight: 50 },
      ],
    }), /Service variants are not Seldon predictors, so the Seldon operator cannot route to them/],
    ['mixed backends', chart => new AbTest(chart, 'AB', {
      name: 'mixed',
      routing: Routing.istio(),
      variants: [{ name: 'v1', model: ModelVariant.service({ serviceName: 'flowers', labels: { version: 'v1' } }), weight: 50 }, { name: 'v2', model: a, weight: 50 }],
    }), /mixes Seldon predictors and Service variants/],
    ['invalid variant name', chart => new AbTest(chart, 'AB', { name: 'iris', variants: [{ name: 'Model_A', model: a, weight: 50 }, { name: 'b', model: b, weight: 50 }] }), /variant name 'Model_A' is not a valid DNS-1123 label/],
    ['a variant name that collides with our object names', chart => new AbTest(chart, 'AB', {
      name: 'iris', routing: Routing.istio(), variants: [{ name: 'routes', model: a, weight: 50 }, { name: 'b', model: b, weight: 50 }],
    }), /variant name 'routes' would make the operator's object 'iris-routes' share a name/],
  ])('%s', (_, fn, expected) => {
    expect(failure(fn)).toMatch(expected);
  });

  test('a namespace is required (it is part of the public path)', () => {
    const { app, chart } = testChart();
    new AbTest(chart, 'AB', { name: 'iris', variants: [{ name: 'x', model: a, weight: 50 }, { name: 'y', model: b, weight: 50 }] });
    expect(errorOf(() => app.synthYaml())).toMatch(/\[test\/AB\] \[POL003\] has no namespace: set namespace on the pattern or its chart/);
  });
});

describe('ModelEndpoint.variants', () => {
  test('lists what the endpoint runs, traffic variants first, then mirrors, as the manifests name them', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const shadow = new Shadow(chart, 'Shadow', { name: 'iris', routing: Routing.istio(), stable: a, shadow: b, mirrorPercentage: 10 });
    expect(shadow.variants.map(v => [v.name, v.mirror, v.model === a || v.model === b])).toEqual([['stable', false, true], ['shadow', true, true]]);
    const predictors = only(synth(app), 'SeldonDeployment').spec.predictors.map((p: any) => p.name);
    expect(predictors).toEqual(shadow.variants.map(v => v.name));
  });
});
