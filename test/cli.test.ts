import * as path from 'path';
import { main } from '../src/report/cli';

const dist = (example: string) => path.join(__dirname, '..', 'examples', example, 'dist');

function run(args: string[]): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((s: any) => { out += s; return true; });
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((s: any) => { err += s; return true; });
  try {
    return { code: main(args), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

test('explain: a browser with the sticky cookie of model-b, at the gateway, as a table', () => {
  const { code, out } = run(['explain', dist('delivery-patterns'), '--host', 'models.example.com',
    '--path', '/seldon/models/iris-abtest-istio/api/v1.0/predictions', '-H', 'cookie: session=1; iris-arm=model-b']);
  expect(code).toBe(0);
  expect(out.split('\n')[0]).toBe('ROUTED: models/iris-abtest-istio-routes route sticky-model-b-rest');
  expect(out).toContain('path sent: /api/v1.0/predictions');
  expect(out).toMatch(/\| route \| iris-abtest-istio-model-b\.models\.svc\.cluster\.local:8000 \| model-b \| 100 % \| SeldonDeployment models\/iris-abtest-istio predictor model-b/);
});

test('explain: a Seldon-managed canary splits 75/25 and retries as annotated', () => {
  const { out } = run(['explain', dist('delivery-patterns'), '--host', 'models.example.com', '--path', '/seldon/models/iris-canary-seldon/api/v1.0/predictions']);
  expect(out).toMatch(/^ROUTED: models\/iris-canary-seldon \(Seldon operator\) route #0/);
  expect(out).toMatch(/\| stable +\| 75 % +\|/);
  expect(out).toMatch(/\| canary +\| 25 % +\|/);
  expect(out).toContain('retries: 3 × 2s on gateway-error,connect-failure,refused-stream');
});

test('explain: a mesh gRPC call to TF Serving, and a 404 with its reason', () => {
  const grpc = run(['explain', dist('secure-serving'), '--gateway', 'mesh', '--host', 'inception.kubeflow', '--port', '8500',
    '--path', '/tensorflow.serving.PredictionService/Predict', '-H', 'Content-Type: application/grpc']);
  expect(grpc.out).toMatch(/\| route \| inception\.kubeflow\.svc\.cluster\.local:8500 \| v1     \| 95 % +\|/);
  const missing = run(['explain', dist('delivery-patterns'), '--host', 'models.example.com', '--path', '/nowhere']);
  expect(missing.code).toBe(0);
  expect(missing.out).toMatch(/^NOT_FOUND \(404\): no route of .* matches POST \/nowhere/);
});

test('usage errors exit 2 with the parser\'s message; the report stays the default command', () => {
  const bad = run(['explain', dist('delivery-patterns')]);
  expect(bad.code).toBe(2);
  expect(bad.err).toContain("required option '--host <host>' not specified");
  expect(run(['explain', dist('delivery-patterns'), '--host', 'x', '-H', 'no-colon']).err).toMatch(/expected 'name: value'/);
  const report = run([dist('delivery-patterns')]);
  expect(report.code).toBe(0);
  expect(report.out).toMatch(/^# Routes of .*\n\n\| Routes \| Gateways/);
});
