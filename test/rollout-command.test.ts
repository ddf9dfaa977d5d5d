/**
 * The rollout command: its moves on the state file, the chart that reads the file, and the gated
 * `advance` against a real Prometheus server (Debian's `prometheus`, started here on a free port)
 * that scrapes an exporter served here and evaluates the recording rules RolloutHealth writes.
 * No HTTP is mocked.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Chart } from 'cdk8s';
import { Canary, ModelServer, ModelVariant, RolloutHealth, RolloutState, RolloutStatus } from '../src';
import { istioSelector, RunningPrometheus, startPrometheus } from './prometheus';
import { synth } from './util';
import { main } from '../src/rollout/cli';

const iris = (v: string) => ModelVariant.seldon({ graph: { name: 'classifier', implementation: ModelServer.SKLEARN_SERVER, modelUri: `gs://m/${v}` } });
const NOW = new Date('2026-12-03T10:00:00Z');

function stateFile(data: object): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-')), 'rollout.json');
  fs.writeFileSync(file, JSON.stringify(data, null, 2) + '\n');
  return file;
}

async function run(...args: string[]): Promise<{ code: number; output: string }> {
  let output = '';
  const code = await main(args, s => { output += s; }, () => NOW);
  return { code, output };
}

/** The app repo's chart: the same code at every step, reading the state file. */
function chartYaml(file: string): string {
  const app = new App({ outdir: '/dev/null' });
  const chart = new Chart(app, 'models', { namespace: 'models' });
  const state = RolloutState.fromFile(file);
  new Canary(chart, 'Iris', { name: 'iris', stable: iris(state.stable), candidate: state.candidate ? iris(state.candidate) : undefined, traffic: state.traffic });
  return app.synthYaml();
}

describe('rollout command: moves on the state file', () => {
  test('status, advance, pause, resume, promote: each prints what changed and the next action', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', steps: [5, 50, 100] });
    expect(await run('rollout', 'status', '-f', file)).toEqual({ code: 0, output: 'stable v1 (95 %), candidate v2 (5 %); step 0 of [5 %, 50 %, 100 %], progressing\nnext: advance to 50 % when the health gates pass\n' });
    expect((await run('rollout', 'advance', '-f', file)).output).toBe('advance: currentStep: 0 -> 1\nstable v1 (50 %), candidate v2 (50 %); step 1 of [5 %, 50 %, 100 %], progressing\nnext: advance to 100 % when the health gates pass\n');
    expect(JSON.parse(fs.readFileSync(file, 'utf-8'))).toMatchObject({ currentStep: 1, stepStartedAt: NOW.toISOString() });
    expect((await run('rollout', 'pause', '-f', file)).output).toMatch(/^pause: status: "progressing" -> "paused"\n/);
    expect(await run('rollout', 'advance', '-f', file)).toEqual({ code: 1, output: expect.stringMatching(/^advance refused: the rollout is paused: resume it first\n/) });
    expect((await run('rollout', 'resume', '-f', file)).code).toBe(0);
    expect((await run('rollout', 'advance', '-f', file)).code).toBe(0);
    expect(await run('rollout', 'advance', '-f', file)).toEqual({ code: 1, output: expect.stringMatching(/already at the last step \(100 %\): promote/) });
    expect(await run('rollout', 'promote', '-f', file)).toEqual({
      code: 0,
      output: 'promote: stable: "v1" -> "v2", status: "progressing" -> "promoting"\n'
        + 'stable v2 (0 %, starting its pods), candidate v2 (100 %); promoting\n'
        + "next: promote again once stable's pods run v2 (after the dwell time), to send it the traffic\n",
    });
    expect(await run('rollout', 'abort', '-f', file)).toEqual({ code: 1, output: expect.stringMatching(/^abort refused: the promotion has begun: stable already runs v2/) });
    expect((await run('rollout', 'promote', '-f', file)).output).toMatch(/^promote: candidate: "v2" -> undefined, currentStep: 2 -> 0, status: "promoting" -> "progressing"\n/);
    expect(RolloutState.fromFile(file)).toMatchObject({ stable: 'v2', candidate: undefined, status: RolloutStatus.PROGRESSING });
  });

  test('the second half of a promotion waits for the dwell time (stable\'s pods may still be starting)', async () => {
    const file = stateFile({ stable: 'v2', candidate: 'v2', status: 'promoting', minStepSeconds: 600, stepStartedAt: '2026-12-03T09:58:00Z' });
    expect(await run('rollout', 'promote', '-f', file)).toEqual({ code: 1, output: expect.stringMatching(/^promote refused: stable's pods may not be ready: .*\(480 s to go\)/) });
    expect(() => RolloutState.of({ stable: 'v1', candidate: 'v2', status: RolloutStatus.PROMOTING })).toThrow(/status "promoting" needs the candidate's version as stable too/);
  });

  test('a refused move leaves the file byte for byte as it was', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', currentStep: 1, minStepSeconds: 600, stepStartedAt: '2026-12-03T09:55:00Z' });
    const before = fs.readFileSync(file, 'utf-8');
    expect(await run('rollout', 'advance', '-f', file)).toEqual({ code: 1, output: expect.stringMatching(/step 1 began 300 s ago; it must last 600 s \(300 s to go\)/) });
    expect(fs.readFileSync(file, 'utf-8')).toBe(before);
  });

  test('abort sends all traffic back to stable; the chart\'s code is the same at every step', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', steps: [10, 50, 100] });
    const weights = (yaml: string) => [...yaml.matchAll(/traffic: (\d+)/g)].map(m => Number(m[1]));
    expect(weights(chartYaml(file))).toEqual([90, 10]);
    await run('rollout', 'advance', '-f', file);
    expect(weights(chartYaml(file))).toEqual([50, 50]);
    expect((await run('rollout', 'abort', '-f', file)).output).toMatch(/^abort: status: "progressing" -> "aborted"\n/);
    expect(weights(chartYaml(file))).toEqual([100, 0]);
  });

  test('an invalid state file is an error naming the file and the value', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', steps: [50, 10] });
    expect(() => RolloutState.fromFile(file)).toThrow(`${file}: steps [50 %, 10 %] must increase: step 1 (10 %) is not above step 0 (50 %)`);
    expect((await run('rollout', 'status', '-f', file)).code).toBe(2);
    const notAList = stateFile({ stable: 'v1', candidate: 'v2', steps: '5,50' });
    expect(() => RolloutState.fromFile(notAList)).toThrow(`${notAList}: steps "5,50" must be a list of weights, e.g. [5, 25, 50, 100]`);
  });
});

// ------------------------------------------------------------------- against a real Prometheus

describe('rollout advance --prometheus: gated by a real Prometheus server', () => {
  let prometheus: RunningPrometheus | undefined;
  let url = '';

  beforeAll(async () => {
    // The rules the app would deploy: RolloutHealth of four canaries.
    const app = new App({ outdir: '/dev/null' });
    const chart = new Chart(app, 'models', { namespace: 'models' });
    for (const name of ['good', 'bad', 'idle', 'mirrored']) {
      // 'mirrored' is at its mirror step: the candidate's answers are dropped, its health is measured all the same.
      const state = RolloutState.of({ stable: 'v1', candidate: 'v2', mirrorFirst: name === 'mirrored' ? 100 : undefined });
      const canary = new Canary(chart, name, { name, stable: iris('v1'), candidate: iris('v2'), traffic: state.traffic });
      new RolloutHealth(chart, `${name}-health`, { endpoint: canary });
    }
    const groups = synth(app).filter(m => m.kind === 'PrometheusRule').flatMap(r => r.spec.groups);
    const selector = (endpoint: string, variant: string) => istioSelector('models', `${endpoint}-${variant}`, variant);
    prometheus = await startPrometheus(groups, [
      { selector: selector('good', 'stable'), errors: 0 }, { selector: selector('good', 'canary'), errors: 0 },
      { selector: selector('bad', 'stable'), errors: 0 }, { selector: selector('bad', 'canary'), errors: 0.1 },
      // idle: the candidate answers nothing.
      { selector: selector('idle', 'stable'), errors: 0 },
      { selector: selector('mirrored', 'stable'), errors: 0 }, { selector: selector('mirrored', 'canary'), errors: 0 },
    ]);
    url = prometheus.url;
  }, 90_000);

  afterAll(async () => {
    await prometheus?.stop();
  });

  const gated = (file: string, endpoint: string) => run('rollout', 'advance', '-f', file, '--prometheus', url, '--namespace', 'models', '--endpoint', endpoint);

  test('a healthy candidate advances', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2' });
    const { code, output } = await gated(file, 'good');
    expect(output).toMatch(/^gate request rate: pass \(\d+\.\d+ req\/s > 0\)\ngate success rate: pass \(100\.00 % >= 99 %\)\ngate p99 latency: pass \(\d+\.\d ms <= 500 ms\)\nadvance: currentStep: 0 -> 1\n/);
    expect(code).toBe(0);
    expect(RolloutState.fromFile(file).currentStep).toBe(1);
  });

  test('from the mirror step, a healthy candidate (measured on the mirrored copies) advances to its first weight', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2', mirrorFirst: 100 });
    const { code, output } = await gated(file, 'mirrored');
    expect(output).toMatch(/gate success rate: pass \(100\.00 % >= 99 %\)\n.*\nadvance: currentStep: 0 -> 1\nstable v1 \(95 %\), candidate v2 \(5 %\); step 1 of \[mirror 100 %, 5 %, 25 %, 50 %, 100 %\]/);
    expect(code).toBe(0);
  });

  test('a candidate answering 10 % 5xx is refused, and the file is unchanged', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2' });
    const before = fs.readFileSync(file, 'utf-8');
    const { code, output } = await gated(file, 'bad');
    // About 90 %: the rate over the scrape window depends on when the scrapes fall (89.80 % seen on a loaded machine).
    const rate = Number(/gate success rate: FAIL \((\d+\.\d\d) % < 99 %\)/.exec(output)?.[1]);
    expect(rate).toBeGreaterThanOrEqual(85);
    expect(rate).toBeLessThanOrEqual(95);
    expect(output).toMatch(/advance refused: health gates failed: success rate\n.*\nnext: abort \(all traffic back to v1\)/);
    expect(code).toBe(3);
    expect(fs.readFileSync(file, 'utf-8')).toBe(before);
  });

  test('a candidate that served nothing has no data, which is not healthy', async () => {
    const file = stateFile({ stable: 'v1', candidate: 'v2' });
    const { code, output } = await gated(file, 'idle');
    expect(output).toMatch(/gate request rate: FAIL \(no data for variant canary/);
    expect(output).toMatch(/advance refused: health gates failed: request rate, success rate, p99 latency/);
    expect(code).toBe(3);
  });
});
