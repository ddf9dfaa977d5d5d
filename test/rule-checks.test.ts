/**
 * The catalogue's value checks at their boundaries: what each accepts, and the exact message
 * (rule id, the value as written, the fix) of what it refuses. The constructs' tests see these
 * messages through one prop at a time; here every boundary of each check is pinned once.
 */
import { Duration } from 'cdk8s';
import * as fc from 'fast-check';
import {
  ISV_DURATION, ISV_GATEWAY_REF, ISV_HOST, ISV_MIRROR_PERCENTAGE, ISV_PORT, ISV_RETRY_ON, ISV_SUBSET_NAME, ISV_WEIGHT,
  K8S_NAME, K8S_REPLICAS, K8S_SERVICE_NAME, POL_HEADER_NAME, retryProblems, SDW_TRAFFIC_RANGE,
} from '../src/rules/catalogue';

describe('ranges of numbers', () => {
  test('weights and predictor traffic: integers from 0 to 100', () => {
    for (const ok of [0, 1, 99, 100]) expect([ISV_WEIGHT.check('w', ok), SDW_TRAFFIC_RANGE.check('p', ok)]).toEqual([undefined, undefined]);
    expect(ISV_WEIGHT.check('variant \'a\'', 101)).toBe("[ISV001] variant 'a': weight 101 must be an integer from 0 to 100");
    expect(ISV_WEIGHT.check('w', -1)).toBe('[ISV001] w: weight -1 must be an integer from 0 to 100');
    expect(ISV_WEIGHT.check('w', 12.5)).toBe('[ISV001] w: weight 12.5 must be an integer from 0 to 100');
    expect(SDW_TRAFFIC_RANGE.check("predictor 'main'", 101)).toBe("[SDW009] predictor 'main': traffic 101 must be an integer from 0 to 100 (a percentage)");
    expect(SDW_TRAFFIC_RANGE.check('p', -1)).toMatch(/^\[SDW009\] p: traffic -1 /);
    expect(SDW_TRAFFIC_RANGE.check('p', 0.5)).toMatch(/^\[SDW009\] p: traffic 0.5 /);
  });

  test('mirror percentages: any number from 0 to 100, fractions included (Istio takes a double)', () => {
    for (const ok of [0, 0.5, 100]) expect(ISV_MIRROR_PERCENTAGE.check('m', ok)).toBeUndefined();
    expect(ISV_MIRROR_PERCENTAGE.check('mirror \'shadow\'', 100.5)).toBe("[ISV008] mirror 'shadow': mirror percentage 100.5 must be from 0 to 100");
    expect(ISV_MIRROR_PERCENTAGE.check('m', -0.1)).toBe('[ISV008] m: mirror percentage -0.1 must be from 0 to 100');
  });

  test('ports: integers from 1 to 65535', () => {
    for (const ok of [1, 8000, 65535]) expect(ISV_PORT.check('port', ok)).toBeUndefined();
    expect(ISV_PORT.check('server port', 0)).toBe('[ISV012] server port 0 is out of range: use an integer from 1 to 65535');
    expect(ISV_PORT.check('port', 65536)).toBe('[ISV012] port 65536 is out of range: use an integer from 1 to 65535');
    expect(ISV_PORT.check('port', 80.5)).toBe('[ISV012] port 80.5 is out of range: use an integer from 1 to 65535');
  });

  test('replicas: integers from 0', () => {
    expect([K8S_REPLICAS.check('r', 0), K8S_REPLICAS.check('r', 30)]).toEqual([undefined, undefined]);
    expect(K8S_REPLICAS.check('replicas', -1)).toBe('[K8S003] replicas -1 must be an integer >= 0');
    expect(K8S_REPLICAS.check('replicas', 1.5)).toBe('[K8S003] replicas 1.5 must be an integer >= 0');
  });

  test('property: a number is accepted exactly when it is an integer within the range', () => {
    fc.assert(fc.property(fc.oneof(fc.integer({ min: -1000, max: 70_000 }), fc.double({ min: -1000, max: 70_000, noNaN: true })), n => {
      const integer = Number.isInteger(n);
      expect(ISV_WEIGHT.check('w', n) === undefined).toBe(integer && n >= 0 && n <= 100);
      expect(SDW_TRAFFIC_RANGE.check('t', n) === undefined).toBe(integer && n >= 0 && n <= 100);
      expect(ISV_PORT.check('p', n) === undefined).toBe(integer && n >= 1 && n <= 65535);
      expect(K8S_REPLICAS.check('r', n) === undefined).toBe(integer && n >= 0);
    }));
  });
});

describe('names and references', () => {
  test('object names are DNS-1123 labels; Service names must also start with a letter', () => {
    expect([K8S_NAME.check('n', 'iris-1'), K8S_NAME.check('n', '1-iris'), K8S_SERVICE_NAME.check('s', 'iris-1')]).toEqual([undefined, undefined, undefined]);
    expect(K8S_SERVICE_NAME.check('predictor \'main\': serviceName', '1-iris')).toBe("[K8S002] predictor 'main': serviceName '1-iris' is not a valid Service name (DNS-1035 label): "
      + "use 1-63 lowercase letters, digits and '-', starting with a letter and ending with a letter or digit (e.g. 'iris-main')");
    expect(K8S_NAME.check('name', 'a'.repeat(64))).toMatch(/^\[K8S001\] name 'a{64}' is not a valid DNS-1123 label/);
    expect(K8S_NAME.check('name', 'a'.repeat(63))).toBeUndefined();
  });

  test('subset names', () => {
    expect(ISV_SUBSET_NAME.check('subset', 'v1')).toBeUndefined();
    expect(ISV_SUBSET_NAME.check('subset', 'V1')).toBe("[ISV010] subset 'V1' is not a valid subset name (DNS-1123 label): use 1-63 lowercase letters, digits and '-'");
  });

  test("gateway references: 'mesh', '<name>' or '<namespace>/<name>' of DNS-1123 labels", () => {
    for (const ok of ['mesh', 'public', 'istio-system/public']) expect(ISV_GATEWAY_REF.check('gateway', ok)).toBeUndefined();
    for (const bad of ['a/b/c', 'Istio-System/public', 'istio-system/', '']) {
      expect(ISV_GATEWAY_REF.check('gateway', bad)).toBe(`[ISV003] gateway '${bad}' is not a valid gateway reference: `
        + "use '<namespace>/<name>' or '<name>' with DNS-1123 labels (e.g. 'istio-system/seldon-gateway'), or 'mesh'");
    }
  });

  test("hosts: '<namespace>/<host>' only where a Gateway server allows it", () => {
    expect(ISV_HOST.check('host', 'istio-system/models.example.com', true)).toBeUndefined();
    expect(ISV_HOST.check('host', './models.example.com', true)).toBeUndefined();
    expect(ISV_HOST.check('host', '*/models.example.com', true)).toBeUndefined();
    expect(ISV_HOST.check('server host', 'Bad_NS/models.example.com', true)).toBe("[ISV011] server host 'Bad_NS/models.example.com' is not a valid host: "
      + "use '*', '*.example.com', 'model.example.com' or '<namespace>/<host>'");
    expect(ISV_HOST.check('host', 'a/b/c.example.com', true)).toMatch(/^\[ISV011\] host 'a\/b\/c.example.com' is not a valid host/);
  });

  test('header names in matches are lower-case; the message gives the lower-case spelling', () => {
    expect(POL_HEADER_NAME.check("route 'beta'", 'x-group')).toBeUndefined();
    expect(POL_HEADER_NAME.check("route 'beta'", 'X-Group')).toBe("[POL011] route 'beta': header name 'X-Group' has upper case: "
      + "Istio's API requires lower-case header names (HTTP header names are case-insensitive): write 'x-group'");
  });
});

describe('durations and retries', () => {
  test('durations: whole milliseconds, at least 1', () => {
    expect([ISV_DURATION.check('t', Duration.millis(1)), ISV_DURATION.check('t', Duration.seconds(2))]).toEqual([undefined, undefined]);
    expect(ISV_DURATION.check('timeout', Duration.millis(0))).toBe('[ISV004] timeout 0ms is not a valid Istio duration: use at least 1ms, in whole milliseconds');
    expect(ISV_DURATION.check('timeout', Duration.millis(1.5))).toBe('[ISV004] timeout 1.5ms is not a valid Istio duration: use at least 1ms, in whole milliseconds');
  });

  test('a retry policy: each of its problems, in order', () => {
    expect(retryProblems('retries', { attempts: 3, perTryTimeout: Duration.seconds(1), retryOn: ['5xx', '503'] })).toEqual([]);
    expect(retryProblems('retries', { attempts: -1 })).toEqual(['[ISV005] retries: retry attempts -1 must be an integer >= 0']);
    expect(retryProblems('retries', { attempts: 0, perTryTimeout: Duration.millis(0), retryOn: ['sometimes'] })).toEqual([
      '[ISV004] retries: perTryTimeout 0ms is not a valid Istio duration: use at least 1ms, in whole milliseconds',
      '[ISV006] retries: perTryTimeout is set with 0 retry attempts, which Istio refuses: set attempts > 0, or leave attempts: 0 alone to disable retries',
      "[ISV007] retries: retryOn 'sometimes' is not a known Envoy retry policy or HTTP status code (e.g. '5xx', 'gateway-error', '503')",
    ]);
    expect(retryProblems('retries', { attempts: 0, retryOn: ['5xx'] })).toEqual([
      '[ISV006] retries: retryOn is set with 0 retry attempts, which Istio refuses: set attempts > 0, or leave attempts: 0 alone to disable retries',
    ]);
    expect(retryProblems('retries', { attempts: 0 })).toEqual([]);
  });

  test('retryOn: Envoy policies, and the HTTP status codes Go knows, written as three digits', () => {
    for (const ok of ['5xx', 'gateway-error', 'retriable-4xx', 'unavailable', '503', '429', '100']) expect(ISV_RETRY_ON.check('r', ok)).toBeUndefined();
    for (const bad of ['599', '099', '5030', ' 503', '5XX', 'x503']) expect(ISV_RETRY_ON.check('r', bad)).toMatch(/^\[ISV007\] r: retryOn '.*' is not a known/);
  });
});
