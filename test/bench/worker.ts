/**
 * One benchmark measurement in a fresh process: `ts-node bench/worker.ts <n> <canary|mix>
 * <repetitions>` prints one JSON line of timings; `... <n> <canary|mix> rss` synthesizes the
 * library's app once and prints its peak RSS alone (the timing run also holds the reference app,
 * its manifests and the baseline apps, so its peak is the bench's, not the library's).
 */
import { App } from 'cdk8s';
import { baselineApp, lib, libraryApp, Mix } from './workload';

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function manifestsPerChart(app: App): any[][] {
  return app.charts.map(chart => chart.toJson());
}

const [n, mix] = [Number(process.argv[2]), process.argv[3] as Mix];
if (process.argv[4] === 'rss') {
  libraryApp(n, mix).synthYaml();
  process.stdout.write(JSON.stringify({ maxRssKiB: process.resourceUsage().maxRSS }) + '\n');
  process.exit(0);
}
const reps = Number(process.argv[4] ?? 3);

// Equal output first: the baseline writes exactly the library's manifests.
const reference = libraryApp(n, mix);
const expected = reference.synthYaml();
const manifests = manifestsPerChart(reference);
if (baselineApp(manifests).synthYaml() !== expected) {
  process.stderr.write(`baseline output differs from the library's at n=${n} ${mix}\n`);
  process.exit(1);
}
const objects = manifests.reduce((total, m) => total + m.length, 0);

if (lib.OnePassSynthesis.synthYaml(libraryApp(n, mix)) !== expected) {
  process.stderr.write(`one-pass output differs from app.synthYaml() at n=${n} ${mix}\n`);
  process.exit(1);
}

const library: number[] = [];
const onePass: number[] = [];
const baselineOnePass: number[] = [];
const baseline: number[] = [];
const validation: number[] = [];
for (let r = 0; r < reps; r++) {
  let start = process.hrtime.bigint();
  libraryApp(n, mix).synthYaml();
  library.push(ms(start));

  start = process.hrtime.bigint();
  lib.OnePassSynthesis.synthYaml(libraryApp(n, mix));
  onePass.push(ms(start));

  start = process.hrtime.bigint();
  baselineApp(manifests).synthYaml();
  baseline.push(ms(start));

  start = process.hrtime.bigint();
  lib.OnePassSynthesis.synthYaml(baselineApp(manifests));
  baselineOnePass.push(ms(start));

  // The validation phase of App.synth alone: every construct's validations, once.
  const app = libraryApp(n, mix);
  start = process.hrtime.bigint();
  for (const c of app.node.findAll()) c.node.validate();
  validation.push(ms(start));
}
process.stdout.write(JSON.stringify({ n, mix, objects, library, onePass, baseline, baselineOnePass, validation, workerRssKiB: process.resourceUsage().maxRSS }) + '\n');
