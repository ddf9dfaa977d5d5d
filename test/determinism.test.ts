/**
 * The same code gives byte-identical YAML on every run and machine: the docs samples are
 * synthesized in two separate processes, with different time zones, locales, working directories
 * and hash seeds, and the outputs must be equal and free of anything that varies (timestamps).
 * (Running the same code twice in one process would prove nothing: it shares every cache.)
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

function synthesizeInProcess(seed: number, env: Record<string, string>): string {
  const args = [`--random-seed=${seed}`, '-r', require.resolve('ts-node/register/transpile-only'), path.join(__dirname, 'determinism', 'synth-samples.ts')];
  return execFileSync(process.execPath, args, {
    cwd: fs.mkdtempSync(path.join(os.tmpdir(), 'determinism-')),
    env: { ...process.env, TS_NODE_PROJECT: path.join(ROOT, 'test', 'tsconfig.json'), ...env },
    encoding: 'utf-8',
    maxBuffer: 64 * 1024 * 1024,
  });
}

test('two processes, two time zones and locales: byte-identical YAML without timestamps', () => {
  const first = synthesizeInProcess(1, { TZ: 'UTC', LC_ALL: 'C' });
  const second = synthesizeInProcess(987654, { TZ: 'Pacific/Kiritimati', LC_ALL: 'de_DE.UTF-8' });
  expect(first.match(/^# .*\.ts$/gm)).toHaveLength(7);
  expect(first.length).toBeGreaterThan(10_000);
  expect(second).toBe(first);
  expect(first).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
}, 60_000);
