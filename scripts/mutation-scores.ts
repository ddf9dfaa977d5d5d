/**
 * The mutation score per file from StrykerJS's JSON reports (one run, or several runs over
 * different files), as a Markdown table for the README:
 * `ts-node scripts/mutation-scores.ts reports/mutation/mutation.json [more.json...]`. Score = killed (and timed
 * out) / all mutants that were tested; mutants no test covers count as survivors.
 *
 * A later report of a file whose source is unchanged updates the earlier one mutant by mutant
 * (same place, mutator and replacement): a run over line ranges (`--mutate 'file.ts:52-60'`) after
 * tests were added re-measures only those lines. A changed source replaces the file's results.
 */
import * as fs from 'fs';

interface Mutant {
  readonly status: string;
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}
interface FileResult { readonly source: string; readonly mutants: Mutant[] }
interface Report { readonly files: Record<string, FileResult> }

const key = (m: Mutant) => `${m.location.start.line}:${m.location.start.column} ${m.mutatorName} ${m.replacement ?? ''}`;

const reports = process.argv.length > 2 ? process.argv.slice(2) : ['reports/mutation/mutation.json'];
const files: Record<string, FileResult> = {};
for (const report of reports) {
  for (const [file, result] of Object.entries((JSON.parse(fs.readFileSync(report, 'utf-8')) as Report).files)) {
    const earlier = files[file];
    if (!earlier || earlier.source !== result.source) {
      files[file] = result;
      continue;
    }
    const byKey = new Map(earlier.mutants.map(m => [key(m), m]));
    for (const m of result.mutants) byKey.set(key(m), m);
    files[file] = { source: result.source, mutants: [...byKey.values()] };
  }
}
const DETECTED = new Set(['Killed', 'Timeout']);
const COUNTED = new Set(['Killed', 'Timeout', 'Survived', 'NoCoverage']);

const rows = Object.entries(files).sort(([a], [b]) => a.localeCompare(b)).map(([file, { mutants }]) => {
  const counted = mutants.filter(m => COUNTED.has(m.status));
  const detected = counted.filter(m => DETECTED.has(m.status)).length;
  return { file, detected, total: counted.length, survived: counted.length - detected };
});
const all = rows.reduce((t, r) => ({ detected: t.detected + r.detected, total: t.total + r.total }), { detected: 0, total: 0 });
const pct = (d: number, t: number) => (t === 0 ? 'n/a' : `${(100 * d / t).toFixed(1)} %`);

const lines = ['| file | mutants | killed | survived | score |', '|---|---:|---:|---:|---:|'];
for (const r of rows) lines.push(`| ${r.file} | ${r.total} | ${r.detected} | ${r.survived} | ${pct(r.detected, r.total)} |`);
lines.push(`| **all** | ${all.total} | ${all.detected} | ${all.total - all.detected} | **${pct(all.detected, all.total)}** |`);
process.stdout.write(lines.join('\n') + '\n');
