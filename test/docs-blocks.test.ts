/**
 * The documentation's code copies into a fresh app: every TypeScript block of docs/*.md and of
 * the README is a file (`// <name>.ts` on its first line; blocks of one name continue that file)
 * that imports the package by name, never the source tree, and uses nothing the page does not
 * show. Written into an empty directory, the blocks of each page type-check together (strict)
 * and run: each exported function builds an app that synthesizes, and each program synthesizes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const PAGES = ['docs/patterns.md', 'docs/from-seldon-yaml.md', 'docs/gitops.md', 'README.md'];
const PACKAGES = new Set(['cdk8s', 'cdk8s-plus-27', 'constructs', 'cdk8s-seldon-istio']);

interface Block { readonly page: string; readonly file: string; readonly source: string }

function blocksOf(page: string): Block[] {
  const text = fs.readFileSync(path.join(ROOT, page), 'utf-8');
  const files = new Map<string, string>();
  for (const m of text.matchAll(/```ts\n([\s\S]*?)```/g)) {
    const file = /^\/\/ ([\w-]+\.ts)\n/.exec(m[1])?.[1];
    if (!file) throw new Error(`${page}: a TypeScript block does not start with '// <file>.ts':\n${m[1].slice(0, 200)}`);
    files.set(file, (files.get(file) ?? '') + m[1]);
  }
  // The README's patterns.ts "ends with app.synth()", as its text says.
  return [...files].map(([file, source]) => ({ page, file, source: file === 'patterns.ts' ? `${source}app.synth();\n` : source }));
}

const blocks = PAGES.flatMap(blocksOf);
let dir: string;

beforeAll(() => {
  // Under the project root, so that jest compiles the files and Node finds node_modules.
  dir = fs.mkdtempSync(path.join(ROOT, 'test', '.docs-blocks-'));
  for (const b of blocks) {
    fs.mkdirSync(path.join(dir, b.page), { recursive: true });
    fs.writeFileSync(path.join(dir, b.page, b.file), b.source);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every block imports published packages, or another block of its page', () => {
  expect(blocks.length).toBeGreaterThanOrEqual(8);
  for (const b of blocks) {
    for (const [, from] of b.source.matchAll(/from '([^']+)'/g)) {
      if (from.startsWith('./')) expect(blocks.filter(o => o.page === b.page).map(o => `./${o.file.replace(/\.ts$/, '')}`)).toContain(from);
      else expect([...PACKAGES]).toContain(from);
    }
  }
});

test('the blocks of each page type-check together, strict, against the package', () => {
  const program = ts.createProgram(blocks.map(b => path.join(dir, b.page, b.file)), {
    strict: true,
    noEmit: true,
    esModuleInterop: true,
    skipLibCheck: true,
    types: ['node'],
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // What `npm install cdk8s-seldon-istio` gives: its types (here, the source they are built from).
    paths: { 'cdk8s-seldon-istio': [path.join(ROOT, 'src', 'index.ts')] },
  });
  const diagnostics = ts.getPreEmitDiagnostics(program).map(d => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diagnostics).toEqual([]);
});

test.each(blocks.filter(b => b.file !== 'common.ts').map(b => [`${b.page} ${b.file}`, b] as const))('%s runs and synthesizes', (_, b) => {
  // A program writes dist/ where it runs, as `cdk8s synth` would.
  const cwd = process.cwd();
  const run = path.join(dir, b.page, `run-${b.file.replace(/\.ts$/, '')}`);
  fs.mkdirSync(run, { recursive: true });
  process.chdir(run);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(path.join(dir, b.page, b.file));
    const builders = Object.entries<any>(module).filter(([, f]) => typeof f === 'function');
    for (const [, build] of builders) {
      const app = new App({ outdir: run });
      build(app);
      expect(app.synthYaml()).toMatch(/kind: /);
    }
    // A block without exports is a program: it synthesized into dist/ when it ran.
    if (builders.length === 0 && /app\.synth\(\)/.test(b.source)) {
      expect(fs.readdirSync(path.join(run, 'dist')).filter(f => f.endsWith('.k8s.yaml')).length).toBeGreaterThan(0);
    }
  } finally {
    process.chdir(cwd);
  }
});
