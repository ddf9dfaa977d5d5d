/**
 * OnePassSynthesis writes what cdk8s writes, byte for byte: the YAML string of every example
 * program and docs sample, the files of `synth()` (one per chart, numbered when charts depend on
 * each other, or one per app), and the same validation error.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { ApiObject, App, Chart, YamlOutputType } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Canary, ModelServer, ModelVariant, OnePassSynthesis, TfServingServer } from '../src';
import { errorOf } from './util';

const ROOT = path.join(__dirname, '..');
const EXAMPLES = fs.readdirSync(path.join(ROOT, 'examples')).filter(e => fs.existsSync(path.join(ROOT, 'examples', e, 'main.ts')));
const SAMPLES = fs.readdirSync(path.join(ROOT, 'test', 'docs', 'samples')).filter(f => f !== 'common.ts').map(f => f.replace(/\.ts$/, ''));

/**
 * The App an example program builds, taken at its `app.synth()` call instead of writing files,
 * with the OnePassSynthesis of the same module registry (the program's own cdk8s classes).
 */
function exampleApp(example: string): { app: App; onePass: typeof OnePassSynthesis } {
  let result: { app: App; onePass: typeof OnePassSynthesis } | undefined;
  jest.isolateModules(() => {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const cdk8s = require('cdk8s');
    const onePass = require(path.join(ROOT, 'src')).OnePassSynthesis;
    const spy = jest.spyOn(cdk8s.App.prototype, 'synth').mockImplementation(function (this: App) {
      result = { app: this, onePass };
    });
    // A program may write files beside its output (delivery-patterns writes routes.md): not here.
    const cwd = process.cwd();
    process.chdir(tmp());
    try {
      require(path.join(ROOT, 'examples', example, 'main.ts'));
    } finally {
      process.chdir(cwd);
      spy.mockRestore();
    }
    /* eslint-enable @typescript-eslint/no-require-imports */
  });
  if (!result) throw new Error(`examples/${example}/main.ts did not call app.synth()`);
  return result;
}

function files(dir: string): Record<string, string> {
  return Object.fromEntries(fs.readdirSync(dir).sort().map(f => [f, fs.readFileSync(path.join(dir, f), 'utf-8')]));
}

function tmp(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'one-pass-'));
}

test.each(EXAMPLES)('examples/%s: the same YAML as app.synthYaml()', example => {
  // Two apps from the same program: one run through cdk8s, one in one pass.
  const expected = exampleApp(example).app.synthYaml();
  const { app, onePass } = exampleApp(example);
  expect(onePass.synthYaml(app)).toBe(expected);
  expect(expected).toMatch(/^kind: /m);
});

test.each(SAMPLES)('docs sample %s: the same YAML as app.synthYaml()', sample => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.join(ROOT, 'test', 'docs', 'samples', sample));
  const build = (app: App) => module.build(app);
  const [reference, onePass] = [new App({ outdir: tmp() }), new App({ outdir: tmp() })];
  build(reference);
  build(onePass);
  expect(OnePassSynthesis.synthYaml(onePass)).toBe(reference.synthYaml());
});

describe('files', () => {
  const iris = (v: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${v}` } });
  /** Charts that depend on each other (an object of one depends on an object of another), and TF Serving's cdk8s-plus objects. */
  function build(outdir: string, yamlOutputType?: YamlOutputType): App {
    const app = new App({ outdir, yamlOutputType });
    const models = new Chart(app, 'models', { namespace: 'models' });
    const base = new Chart(app, 'base', { namespace: 'models' });
    const config = new kplus.ConfigMap(base, 'Config', { data: { a: '1' } });
    const canary = new Canary(models, 'Canary', { name: 'iris', stable: iris('v1'), candidate: iris('v2') });
    canary.node.addDependency(config);
    new TfServingServer(models, 'Inception', { name: 'inception', versions: [{ name: 'v1', modelBasePath: 'gs://m/v1' }] });
    new ApiObject(new Chart(models, 'nested'), 'Plain', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'plain' } });
    return app;
  }

  test('one file per chart, numbered as cdk8s numbers them when charts depend on each other', () => {
    const [a, b] = [tmp(), tmp()];
    build(a).synth();
    OnePassSynthesis.synth(build(b));
    expect(Object.keys(files(a))).toEqual(['0000-models-nested-c8826bd5.k8s.yaml', '0001-base.k8s.yaml', '0002-models.k8s.yaml']);
    expect(files(b)).toEqual(files(a));
  });

  test('one file per app', () => {
    const [a, b] = [tmp(), tmp()];
    build(a, YamlOutputType.FILE_PER_APP).synth();
    OnePassSynthesis.synth(build(b, YamlOutputType.FILE_PER_APP));
    expect(Object.keys(files(b))).toEqual(['app.k8s.yaml']);
    expect(files(b)).toEqual(files(a));
  });

  test('other output types are left to cdk8s', () => {
    const [a, b] = [tmp(), tmp()];
    build(a, YamlOutputType.FILE_PER_RESOURCE).synth();
    OnePassSynthesis.synth(build(b, YamlOutputType.FILE_PER_RESOURCE));
    expect(files(b)).toEqual(files(a));
  });

  test('an invalid app fails with the error cdk8s gives', () => {
    const invalid = () => {
      const app = new App({ outdir: tmp() });
      new Canary(new Chart(app, 'models', { namespace: 'models' }), 'Canary', { name: 'Iris', stable: iris('v1') });
      return app;
    };
    const expected = errorOf(() => invalid().synthYaml());
    expect(expected).toMatch(/^Validation failed with the following errors:\n {2}\[models\/Canary\] \[K8S001\]/);
    expect(errorOf(() => OnePassSynthesis.synthYaml(invalid()))).toBe(expected);
    expect(errorOf(() => OnePassSynthesis.synth(invalid()))).toBe(expected);
  });
});
