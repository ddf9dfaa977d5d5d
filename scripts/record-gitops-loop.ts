/**
 * Records the gated GitOps loop of docs/gitops.md against a real Prometheus (Debian's
 * `prometheus`) into docs/recorded/gitops-loop.json, which `npx projen docs` renders. Run it when
 * the rollout command's output changes: test/gitops-loop.test.ts fails until the recording matches.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import { LoopRecording, runGatedLoop } from '../test/docs/gitops-loop';

async function record(): Promise<void> {
  const steps = await runGatedLoop(line => process.stdout.write(`${line}\n`));
  const recording: LoopRecording = {
    recordedOn: new Date().toISOString().slice(0, 10),
    prometheus: execFileSync('prometheus', ['--version'], { encoding: 'utf-8' }).split('\n')[0].trim(),
    steps,
  };
  fs.mkdirSync('docs/recorded', { recursive: true });
  fs.writeFileSync('docs/recorded/gitops-loop.json', JSON.stringify(recording, null, 2) + '\n');
  process.stdout.write(`docs/recorded/gitops-loop.json: ${steps.length} commands, exit codes ${steps.map(s => s.exitCode).join(' ')}\n`);
}

record().catch(e => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exit(1);
});
