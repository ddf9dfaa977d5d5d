/**
 * The documentation's code copies into a fresh app: every TypeScript block of docs/*.md is a file
 * (`// <name>.ts` on its first line) that imports the package by name, never the source tree, and
 * uses nothing the page does not show. Written into an empty directory, the blocks of each page
 * type-check together (strict) and run: each exported function builds an app that synthesizes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdk8s';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const PAGES = ['patterns.md', 'from-seldon-yaml.md', 'gitops.md'];
const PACKAGES = new Set(['cdk8s', 'cdk8s-plus-27', 'constructs', 'cdk8s-seldon-istio']);

interface Block { readonly page: string; readonly file: string; readonly source: string }

function blocksOf(page: string): Block[] {
  const text = fs.readFileSync(path.join(ROOT, 'docs', page), 'utf-8');
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)].map(m => {
    const file = /^\/\/ ([\w-]+\.ts)\n/.exec(m[1])?.[1];
    if (!file) throw new Error(`${page}: a TypeScript block does not start with '// <file>.ts':\n${m[1].slice(0, 200)}`);
    return { page, file, source: m[1] };
  });
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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(path.join(dir, b.page, b.file));
  const builders = Object.entries<any>(module).filter(([, f]) => typeof f === 'function');
  expect(builders.length).toBeGreaterThan(0);
  for (const [name, build] of builders) {
    const app = new App({ outdir: dir });
    if (name === 'atCommit') build(app, { stable: 'v1', step: 1 });
    else build(app);
    expect(app.synthYaml()).toMatch(/kind: /);
  }
});
