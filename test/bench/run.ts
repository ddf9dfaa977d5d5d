/**
 * `npm run bench`: synthesizes N = 100, 1,000 and 10,000 endpoints (canaries, and a mix of all
 * four patterns in both modes) with the library and as plain cdk8s ApiObjects with identical
 * output, and prints a Markdown table: medians and spread of several repetitions, ratio,
 * ms per endpoint, scaling 1,000 → 10,000, peak RSS, validation share, cold require time and
 * tarball size. A benchmark, not a test: it never fails on a timing.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const SIZES = (process.env.BENCH_SIZES ?? '100,1000,10000').split(',').map(Number);
const REPS = Number(process.env.BENCH_REPS ?? 5);
const root = path.join(__dirname, '..', '..');

interface Run {
  n: number;
  mix: string;
  objects: number;
  library: number[];
  onePass: number[];
  baseline: number[];
  baselineOnePass: number[];
  validation: number[];
  /** Peak RSS of a process that only synthesizes the library's app. */
  maxRssKiB: number;
  /** Peak RSS of the timing worker (reference, library and baseline apps together). */
  workerRssKiB: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs: number[]) => `${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)}`;

function runWorker(...args: string[]): any {
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'worker.ts'), ...args],
    { cwd: root, encoding: 'utf-8', maxBuffer: 64 * 1024 * 1024, env: { ...process.env, TS_NODE_PROJECT: path.join(root, 'test', 'tsconfig.json') } });
  return JSON.parse(out.trim().split('\n').pop()!);
}

function worker(n: number, mix: string): Run {
  // Fewer repetitions at 10,000: each takes tens of seconds.
  const reps = n >= 10_000 ? Math.min(REPS, 3) : REPS;
  return { ...runWorker(String(n), mix, String(reps)), maxRssKiB: runWorker(String(n), mix, 'rss').maxRssKiB };
}

function coldRequire(target: string, reps = 7): number[] {
  return Array.from({ length: reps }, () => Number(execFileSync(process.execPath, ['-e',
    `const t = process.hrtime.bigint(); require(${JSON.stringify(target)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`],
  { cwd: root, encoding: 'utf-8' })));
}

const runs: Run[] = [];
const MIXES = (process.env.BENCH_MIXES ?? 'canary,mix').split(',');
for (const mix of MIXES) {
  for (const n of SIZES) {
    process.stderr.write(`bench: ${mix} n=${n}...\n`);
    const run = worker(n, mix);
    // Each measurement as it comes, so a long run can be followed (and is not lost if stopped).
    process.stderr.write(`bench: ${JSON.stringify(run)}\n`);
    runs.push(run);
  }
}

const lines = [
  `Benchmark of ${new Date().toISOString().slice(0, 10)} on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, Node ${process.version}; `
  + `medians of ${REPS} runs (3 at 10,000), spread min–max in ms.`,
  '',
  '| workload | N | objects | library ms | baseline ms | ratio | library one-pass ms | baseline one-pass ms | one-pass ratio | ms / endpoint | validation | peak RSS, library alone | peak RSS, bench worker |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const r of runs) {
  const lib = median(r.library);
  const base = median(r.baseline);
  const [one, baseOne] = [median(r.onePass), median(r.baselineOnePass)];
  lines.push(`| ${r.mix} | ${r.n} | ${r.objects} | ${lib.toFixed(0)} (${spread(r.library)}) | ${base.toFixed(0)} (${spread(r.baseline)}) | ${(lib / base).toFixed(2)} | `
    + `${one.toFixed(0)} (${spread(r.onePass)}) | ${baseOne.toFixed(0)} (${spread(r.baselineOnePass)}) | ${(one / baseOne).toFixed(2)} | ${(lib / r.n).toFixed(3)} | ${(100 * median(r.validation) / lib).toFixed(1)} % | ${(r.maxRssKiB / 1024).toFixed(0)} MiB | ${(r.workerRssKiB / 1024).toFixed(0)} MiB |`);
}
lines.push('');
for (const mix of ['canary', 'mix']) {
  const at = (n: number) => runs.find(r => r.mix === mix && r.n === n);
  const [a, b] = [at(1000), at(10_000)];
  if (a && b) {
    lines.push(`- ${mix}, 1,000 → 10,000 endpoints: library × ${(median(b.library) / median(a.library)).toFixed(1)}, `
      + `baseline × ${(median(b.baseline) / median(a.baseline)).toFixed(1)} (linear would be × 10).`);
  }
}
const ours = coldRequire('./lib');
const plus = coldRequire('cdk8s-plus-27');
lines.push(`- cold \`require\`: cdk8s-seldon-istio ${median(ours).toFixed(0)} ms, cdk8s-plus-27 ${median(plus).toFixed(0)} ms `
  + `(× ${(median(ours) / median(plus)).toFixed(2)}), medians of ${ours.length} fresh processes.`);
const tarballs = fs.existsSync(path.join(root, 'dist', 'js')) ? fs.readdirSync(path.join(root, 'dist', 'js')).filter(f => f.endsWith('.tgz')) : [];
lines.push(tarballs.length > 0
  ? `- npm tarball: ${(fs.statSync(path.join(root, 'dist', 'js', tarballs[0])).size / 1024).toFixed(0)} KiB (${tarballs[0]}).`
  : '- npm tarball: not built (run `npx projen package:js` first).');
process.stdout.write(lines.join('\n') + '\n');
