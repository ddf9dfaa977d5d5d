/**
 * The one model of the Seldon v1 operator (`src/seldon/operator.ts`) against what the operator
 * writes, as documented in shared/reference/domain.md (checked in its code at v1.18.2,
 * `createIstioResources` / `createPredictorService`). Every expectation is a literal from that
 * page, not recomputed: the route report, the simulator and the analyzers all rely on this model.
 */
import { operatorObjectName, operatorObjects, seldonPodSelector } from '../src/seldon/operator';

const GRPC_REGEX = '.*tensorflow.*|.*seldon.protos.*|.*inference.*';
const RETRY_ON = 'gateway-error,connect-failure,refused-stream';

function sdep(metadata: any, spec: any): any {
  return { apiVersion: 'machinelearning.seldon.io/v1', kind: 'SeldonDeployment', metadata, spec };
}

describe('what the operator writes for canary-example-1 with a shadow', () => {
  // Computed in each test, not once in the describe block: StrykerJS attributes coverage to the
  // running test, and code run while jest collects tests counts for none (its mutants would never
  // meet these tests).
  let objects: ReturnType<typeof operatorObjects>;
  beforeEach(() => {
    objects = operatorObjects(sdep({ name: 'iris', namespace: 'models' }, {
      annotations: { 'seldon.io/istio-retries': '3', 'seldon.io/istio-retries-timeout': '2' },
      predictors: [
        { name: 'main', traffic: 75, graph: {} },
        { name: 'canary', traffic: 25, labels: { team: 'ml' }, annotations: { 'seldon.io/svc-name': 'iris-next' }, graph: {} },
        { name: 'shadow', shadow: true, traffic: 10, labels: { version: 'v9' }, graph: {} },
      ],
    }));
  });

  test('one Service per predictor: ports 8000 http and 5001 grpc, selecting seldon-app', () => {
    expect(objects.services).toEqual(['iris-main', 'iris-next', 'iris-shadow'].map(name => ({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name, namespace: 'models', labels: { 'seldon-app': name, 'seldon-deployment-id': 'iris' } },
      spec: {
        selector: { 'seldon-app': name },
        ports: [
          { name: 'http', port: 8000, protocol: 'TCP', targetPort: 8000 },
          { name: 'grpc', port: 5001, protocol: 'TCP', targetPort: 5001 },
        ],
      },
    })));
  });

  test('one VirtualService: REST prefix rewritten to / on 8000, gRPC regex + seldon/namespace headers on 5001, weights, mirror, retries', () => {
    const to = (port: number) => [
      { destination: { host: 'iris-main.models.svc.cluster.local', subset: 'main', port: { number: port } }, weight: 75 },
      { destination: { host: 'iris-next.models.svc.cluster.local', subset: 'canary', port: { number: port } }, weight: 25 },
    ];
    const mirror = (port: number) => ({ host: 'iris-shadow.models.svc.cluster.local', subset: 'shadow', port: { number: port } });
    const retries = { attempts: 3, perTryTimeout: '2s', retryOn: RETRY_ON };
    expect(objects.virtualService).toEqual({
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'VirtualService',
      metadata: { name: 'iris', namespace: 'models' },
      spec: {
        hosts: ['*'],
        gateways: ['istio-system/seldon-gateway'],
        http: [
          { match: [{ uri: { prefix: '/seldon/models/iris/' } }], rewrite: { uri: '/' }, route: to(8000), mirror: mirror(8000), mirrorPercentage: { value: 10 }, retries },
          {
            match: [{ uri: { regex: GRPC_REGEX }, headers: { seldon: { exact: 'iris' }, namespace: { exact: 'models' } } }],
            route: to(5001),
            mirror: mirror(5001),
            mirrorPercentage: { value: 10 },
            retries,
          },
        ],
      },
    });
  });

  test('one DestinationRule per predictor, named like its Service, subset by version, idle timeout 60s', () => {
    expect(objects.destinationRules).toEqual([['iris-main', 'main', 'main'], ['iris-next', 'canary', 'canary'], ['iris-shadow', 'shadow', 'v9']].map(([name, subset, version]) => ({
      apiVersion: 'networking.istio.io/v1alpha3',
      kind: 'DestinationRule',
      metadata: { name, namespace: 'models' },
      spec: {
        host: `${name}.models.svc.cluster.local`,
        subsets: [{ name: subset, labels: { version } }],
        trafficPolicy: { connectionPool: { http: { idleTimeout: '60s' } } },
      },
    })));
  });

  test('pod labels: the predictor\'s labels, version defaulted to its name, the deployment id, seldon-app, and the shadow mark', () => {
    expect(objects.predictors.map(p => [p.name, p.host, p.shadow, p.traffic, p.podLabels])).toEqual([
      ['main', 'iris-main.models.svc.cluster.local', false, 75, { 'version': 'main', 'seldon-deployment-id': 'iris', 'seldon-app': 'iris-main' }],
      ['canary', 'iris-next.models.svc.cluster.local', false, 25, { 'team': 'ml', 'version': 'canary', 'seldon-deployment-id': 'iris', 'seldon-app': 'iris-next' }],
      ['shadow', 'iris-shadow.models.svc.cluster.local', true, 10, { 'version': 'v9', 'seldon-deployment-id': 'iris', 'seldon-app': 'iris-shadow', 'seldon.io/shadow': 'true' }],
    ]);
  });
});

describe('annotations as the operator reads them', () => {
  test('spec.annotations win over metadata.annotations; metadata.annotations apply when spec has none', () => {
    const both = operatorObjects(sdep(
      { name: 'iris', namespace: 'models', annotations: { 'seldon.io/istio-gateway': 'istio-system/from-metadata', 'seldon.io/istio-host': 'meta.example.com' } },
      { annotations: { 'seldon.io/istio-gateway': 'istio-system/from-spec' }, predictors: [{ name: 'main', graph: {} }] },
    ));
    expect([both.virtualService.spec.gateways, both.virtualService.spec.hosts]).toEqual([['istio-system/from-spec'], ['meta.example.com']]);
  });

  test('hosts are split on commas, trimmed, empty entries dropped; the gateway is one name', () => {
    const { virtualService } = operatorObjects(sdep(
      { name: 'iris', namespace: 'models' },
      { annotations: { 'seldon.io/istio-host': 'a.example.com, b.example.com,,', 'seldon.io/istio-gateway': 'mesh' }, predictors: [{ name: 'main', graph: {} }] },
    ));
    expect([virtualService.spec.hosts, virtualService.spec.gateways]).toEqual([['a.example.com', 'b.example.com'], ['mesh']]);
  });

  test.each([
    ['absent', undefined, undefined, undefined],
    ['0 (not > 0)', '0', undefined, undefined],
    ['not a number', 'three', undefined, undefined],
    ['1, default per-try timeout 1s', '1', undefined, { attempts: 1, perTryTimeout: '1s', retryOn: RETRY_ON }],
    ['5 with 4s per try', '5', '4', { attempts: 5, perTryTimeout: '4s', retryOn: RETRY_ON }],
  ])('retries %s', (_, attempts, timeout, expected) => {
    const annotations: Record<string, string> = {};
    if (attempts !== undefined) annotations['seldon.io/istio-retries'] = attempts;
    if (timeout !== undefined) annotations['seldon.io/istio-retries-timeout'] = timeout;
    const { virtualService } = operatorObjects(sdep({ name: 'iris', namespace: 'models' }, { annotations, predictors: [{ name: 'main', graph: {} }] }));
    expect(virtualService.spec.http.map((r: any) => r.retries)).toEqual([expected, expected]);
  });

  test('a manifest without namespace or spec: namespace default, no predictors, hosts *, the default gateway', () => {
    const objects = operatorObjects(sdep({ name: 'iris' }, undefined));
    expect([objects.namespace, objects.predictors, objects.services, objects.destinationRules]).toEqual(['default', [], [], []]);
    expect(objects.virtualService.metadata).toEqual({ name: 'iris', namespace: 'default' });
    expect(objects.virtualService.spec.hosts).toEqual(['*']);
    expect(objects.virtualService.spec.gateways).toEqual(['istio-system/seldon-gateway']);
    expect(objects.virtualService.spec.http[0].match).toEqual([{ uri: { prefix: '/seldon/default/iris/' } }]);
  });

  test('a shadow with traffic 0 is mirrored without mirrorPercentage (Istio reads it as 100 %)', () => {
    const { virtualService } = operatorObjects(sdep({ name: 'iris', namespace: 'models' }, {
      predictors: [{ name: 'main', graph: {} }, { name: 'shadow', shadow: true, graph: {} }],
    }));
    for (const route of virtualService.spec.http) {
      expect(route.mirror.subset).toBe('shadow');
      expect(Object.keys(route)).not.toContain('mirrorPercentage');
      expect(route.route).toEqual([expect.objectContaining({ weight: 0 })]);
    }
  });
});

describe('names past 63 characters become seldon-<md5>', () => {
  test('63 characters are kept, 64 are shortened (the object, the pods\' deployment id, the predictor Services)', () => {
    const at63 = 'a'.repeat(63);
    const at64 = 'a'.repeat(64);
    expect(operatorObjectName(at63)).toBe(at63);
    expect(operatorObjectName(at64)).toBe('seldon-014842d480b571495a4a0363793f7367');
    expect(seldonPodSelector(at64)).toEqual({ 'seldon-deployment-id': 'seldon-014842d480b571495a4a0363793f7367' });
    const objects = operatorObjects(sdep({ name: 'iris', namespace: 'models' }, { predictors: [{ name: `${'x'.repeat(59)}`, graph: {} }] }));
    expect(objects.services[0].metadata.name).toBe('seldon-353488a2f98b8ff917c2a2fa163aed91');
  });
});
