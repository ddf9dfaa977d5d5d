import { ApiObject, App, Chart, JsonPatch, Testing } from 'cdk8s';
import { KubeConfigMap } from 'cdk8s-plus-27/lib/imports/k8s';
import { Construct } from 'constructs';
import * as abTest from './docs/samples/ab-test';
import * as blueGreen from './docs/samples/blue-green';
import * as canary from './docs/samples/canary';
import * as shadow from './docs/samples/shadow';
import { errorOf, only, synth, testChart } from './util';
import {
  AuthorizationPolicy, DestinationRule, Gateway, ModelServer, PeerAuthentication, RequestAuthentication, SeldonDeployment, VirtualService,
} from '../src';

// cdk8s walks every construct of the app once per chart it renders, so the tree's size is
// what synthesis pays for: each L2 of the library *is* the object it emits (no wrapper node).

const samples: Array<[string, (app: App) => void]> = [
  ['AbTest', abTest.build], ['BlueGreen', blueGreen.build], ['Canary', canary.build], ['Shadow', shadow.build],
];

describe('one construct node per emitted object', () => {
  test.each(samples)('%s: the pattern plus one node per object, each of them an ApiObject', (_, build) => {
    const app = Testing.app();
    build(app);
    for (const chart of app.charts) {
      const nodes = chart.node.findAll().filter(n => n !== chart);
      const objects = nodes.filter(n => n instanceof ApiObject);
      // The pattern is the only node that is not an object, and every object is a direct child of it.
      expect(nodes.length).toBe(objects.length + 1);
      const [pattern] = nodes.filter(n => !(n instanceof ApiObject));
      expect(objects.every(o => o.node.scope === pattern)).toBe(true);
      expect(objects.map(o => o.node.children.length)).toEqual(objects.map(() => 0));
    }
  });

  test('a Seldon-routed canary is two nodes, an Istio-routed one five (baseline: one and four objects)', () => {
    const app = Testing.app();
    canary.build(app);
    expect(app.charts.map(c => [c.node.id, c.node.findAll().length - 1])).toEqual([['canary-seldon', 2], ['canary-istio', 5]]);
  });
});

describe('each L2 is its own ApiObject', () => {
  function everyL2(chart: Chart) {
    const gateway = new Gateway(chart, 'Gateway', { namespace: 'istio-system' });
    return [
      gateway,
      new VirtualService(chart, 'VS', { name: 'iris-routes', hosts: ['iris.example.com'], gateways: [gateway], routes: [{ name: 'all', destinations: [{ host: 'iris' }] }] }),
      new DestinationRule(chart, 'DR', { name: 'iris-subsets', host: 'iris' }),
      new SeldonDeployment(chart, 'Sdep', {
        name: 'iris',
        predictors: [{ name: 'main', graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: 'gs://models/iris/v1' } }],
      }),
      new PeerAuthentication(chart, 'Peer', { name: 'strict' }),
      new RequestAuthentication(chart, 'Jwt', { name: 'jwt', jwtRules: [{ issuer: 'https://issuer.example.com', jwksUri: 'https://issuer.example.com/jwks' }] }),
      new AuthorizationPolicy(chart, 'Deny', { name: 'allow-nothing', blocksMetricsScraping: true }),
    ];
  }

  test('ApiObject.of returns the construct itself, and a JSON patch on it lands in the YAML', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    const l2s = everyL2(chart);
    for (const l2 of l2s) {
      expect(ApiObject.of(l2)).toBe(l2);
      expect(l2.node.children).toEqual([]);
      l2.addJsonPatch(JsonPatch.add('/metadata/labels', { team: 'ml' }));
    }
    const manifests = synth(app);
    expect(manifests.map(m => [m.kind, m.metadata.labels])).toEqual(l2s.map(l2 => [l2.kind, { team: 'ml' }]));
  });

  test('instanceof answers by class, not "any ApiObject" (cdk8s\'s ApiObject[Symbol.hasInstance])', () => {
    const { chart } = testChart({ namespace: 'models' });
    const l2s = everyL2(chart);
    const configMap = new KubeConfigMap(chart, 'Config', { data: { a: '1' } });
    const classes = [Gateway, VirtualService, DestinationRule, SeldonDeployment, PeerAuthentication, RequestAuthentication, AuthorizationPolicy];
    classes.forEach((cls, i) => {
      expect(l2s.map(o => o instanceof cls)).toEqual(l2s.map((_, j) => i === j));
      expect(configMap instanceof cls).toBe(false);
      expect(l2s[i] instanceof ApiObject).toBe(true);
    });
    expect((undefined as unknown as object) instanceof VirtualService).toBe(false);
    expect(({}) instanceof VirtualService).toBe(false);
  });

  test("a user's subclass tests its own prototype", () => {
    class TeamVirtualService extends VirtualService {
      constructor(scope: Construct, id: string) {
        super(scope, id, { hosts: ['iris.example.com'], gateways: [Gateway.fromName('istio-system/seldon-gateway')], routes: [{ name: 'all', destinations: [{ host: 'iris' }] }] });
      }
    }
    const { chart } = testChart({ namespace: 'models' });
    const mine = new TeamVirtualService(chart, 'Mine');
    const plain = new VirtualService(chart, 'Plain', { hosts: ['b.example.com'], gateways: [Gateway.fromName('istio-system/seldon-gateway')], routes: [{ name: 'all', destinations: [{ host: 'b' }] }] });
    expect([mine instanceof TeamVirtualService, mine instanceof VirtualService, plain instanceof TeamVirtualService]).toEqual([true, true, false]);
  });

  test('an unnamed object is named after its construct path, with no trace of a wrapper', () => {
    const { app, chart } = testChart({ namespace: 'models' });
    new DestinationRule(chart, 'Subsets', { host: 'iris' });
    expect(only(synth(app), 'DestinationRule').metadata.name).toMatch(/^test-subsets-c8[0-9a-f]{6}$/);
  });
});

describe('one validation pass per app', () => {
  const badRoute = { name: 'all', destinations: [{ host: 'iris', weight: 40 }] };

  test('no construct carries a validation of its own: the root runs every rule, in the tree\'s order', () => {
    const app = Testing.app();
    const first = new Chart(app, 'a');
    const second = new Chart(app, 'b');
    // Registered b before a: the report still follows the tree (cdk8s's order), not construction.
    new VirtualService(second, 'Routes', { hosts: ['b.example.com'], routes: [badRoute] });
    new VirtualService(first, 'Routes', { hosts: ['a.example.com'], routes: [badRoute] });
    for (const c of app.node.findAll().filter(n => n !== app)) expect(c.node.validate()).toEqual([]);
    const message = errorOf(() => app.node.validate());
    expect(message).toMatch(/^Validation failed with the following errors:\n {2}\[a\/Routes\] \[POL001\][^\n]*\n {2}\[b\/Routes\] \[POL001\]/);
    expect(errorOf(() => app.synthYaml())).toBe(message);
  });

  test('a valid app passes the root, and other constructs\' validations are reported by cdk8s as before', () => {
    const { app, chart } = testChart();
    new VirtualService(chart, 'Routes', { hosts: ['a.example.com'], routes: [{ name: 'all', destinations: [{ host: 'iris' }] }] });
    expect(app.node.validate()).toEqual([]);
    new Construct(chart, 'Custom').node.addValidation({ validate: () => ['not ready'] });
    expect(errorOf(() => app.synthYaml())).toBe('Validation failed with the following errors:\n  [test/Custom] not ready');
  });

  test('the library\'s problems come first and alone while there are any', () => {
    const { app, chart } = testChart();
    new Construct(chart, 'Custom').node.addValidation({ validate: () => ['not ready'] });
    new VirtualService(chart, 'Routes', { hosts: ['a.example.com'], routes: [badRoute] });
    const message = errorOf(() => app.synthYaml());
    expect(message).toMatch(/\[test\/Routes\] \[POL001\] route 'all': weights sum to 40, not 100/);
    expect(message).not.toMatch(/not ready/);
  });

  test('a construct removed from the tree is no longer validated', () => {
    const { app, chart } = testChart();
    new VirtualService(chart, 'Routes', { hosts: ['a.example.com'], routes: [badRoute] });
    expect(errorOf(() => app.synthYaml())).toMatch(/POL001/);
    chart.node.tryRemoveChild('Routes');
    new VirtualService(chart, 'Other', { hosts: ['a.example.com'], routes: [{ name: 'all', destinations: [{ host: 'iris' }] }] });
    expect(synth(app).map(m => m.metadata.name)).toEqual([expect.stringMatching(/^test-other-/)]);
  });
});
