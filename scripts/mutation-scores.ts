/**
 * The mutation score per file from StrykerJS's JSON reports (one run, or several runs over
 * different files), as a Markdown table for the README:
 * `ts-node scripts/mutation-scores.ts reports/mutation/mutation.json [more.json...]`. Score = killed (and timed
 * out) / all mutants that were tested; mutants no test covers count as survivors.
 */
import * as fs from 'fs';

interface Mutant { readonly status: string }
interface Report { readonly files: Record<string, { readonly mutants: Mutant[] }> }

const reports = process.argv.length > 2 ? process.argv.slice(2) : ['reports/mutation/mutation.json'];
const files: Report['files'] = Object.assign({}, ...reports.map(r => (JSON.parse(fs.readFileSync(r, 'utf-8')) as Report).files));
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
