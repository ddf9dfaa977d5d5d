/**
 * docs/gitops.md shows the gated loop as recorded (docs/recorded/gitops-loop.json). This runs the
 * loop again against a real Prometheus and expects the same commands, exit codes, output and
 * pull-request diffs, measured numbers aside: a change of the command that the page does not show
 * fails here (re-record with `npx projen docs:gitops-loop`, read the diff, commit it).
 */
import * as fs from 'fs';
import { LoopRecording, runGatedLoop, withoutMeasurements } from './docs/gitops-loop';

test('the gated loop runs as docs/gitops.md shows it', async () => {
  const recorded: LoopRecording = JSON.parse(fs.readFileSync('docs/recorded/gitops-loop.json', 'utf-8'));
  const steps = await runGatedLoop();
  expect(steps.map(withoutMeasurements)).toEqual(recorded.steps.map(withoutMeasurements));
  // The story the page tells: advance, wait, refuse an unhealthy candidate, abort.
  expect(steps.map(s => s.exitCode)).toEqual([0, 0, 1, 3, 0, 0]);
  expect(steps.map(s => s.diffs.length > 0)).toEqual([false, true, false, false, true, false]);
  expect(steps[3].output).toMatch(/^gate success rate: FAIL \(\d+\.\d\d % < 99 %\)$/m);
}, 120_000);
