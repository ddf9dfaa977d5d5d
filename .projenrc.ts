import { cdk8s, javascript } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// Versions of everything that generates code or output are pinned exactly, so
// `src/imports/`, `.jsii`, API.md and the synthesized examples do not drift.
const CDK8S_VERSION = '2.70.106';
const CONSTRUCTS_VERSION = '10.8.1';
const CDK8S_PLUS_VERSION = '2.9.5';
const CDK8S_CLI_VERSION = '2.207.60';
const JSII_VERSION = '6.0.16';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-seldon-istio',
  description: 'cdk8s constructs for serving Seldon Core v1 and TensorFlow Serving models behind Istio: gateways, SeldonDeployments and delivery patterns.',
  author: 'cdk8s-seldon-istio maintainers',
  authorAddress: 'maintainers@cdk8s-seldon-istio.dev',
  authorName: 'cdk8s-seldon-istio maintainers',
  repositoryUrl: 'https://github.com/cdk8s-seldon-istio/cdk8s-seldon-istio.git',
  defaultReleaseBranch: 'main',
  keywords: ['cdk8s', 'seldon', 'istio', 'mlops', 'kubernetes', 'tensorflow-serving'],
  packageManager: javascript.NodePackageManager.NPM,
  projenrcTs: true,

  cdk8sVersion: CDK8S_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: JSII_VERSION,

  // CI for this project is `.ci/run`; no hosted workflows, no release automation yet.
  github: false,
  release: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  peerDeps: [`cdk8s-plus-27@^${CDK8S_PLUS_VERSION}`],
  devDeps: [
    `cdk8s-plus-27@${CDK8S_PLUS_VERSION}`,
    `cdk8s-cli@${CDK8S_CLI_VERSION}`,
    'jsii-docgen@10.12.6',
    'jsii-pacmak@1.140.0',
    // ts-jest does not support TypeScript 7 yet; jsii 6 compiles with TypeScript 6.
    'typescript@~6.0.3',
    '@types/node@^20',
    'fast-check@^4.10.2',
    'yaml@^2.9.1',
    // JSON-schema validation of synthesized manifests against the vendored CRDs' schemas (tests).
    'ajv@^8.20.0',
  ],

  // The route report as a command: `npx cdk8s-seldon-istio-routes dist/`.
  bin: { 'cdk8s-seldon-istio-routes': 'lib/cli/route-report.js' },

  jestOptions: {
    // Snapshots are never rewritten by a test run; update them by hand after reading the diff.
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/dist/'],
    },
  },
});

// Generated imports are not ours to lint (line length, naming).
project.eslint?.addIgnorePattern('src/imports/');
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.eslint?.allowDefaultProjectFiles('scripts/*.ts', 'examples/*/*.ts');
project.eslint?.allowDevDeps('scripts/**');
project.eslint?.allowDevDeps('examples/**');
project.npmignore?.addPatterns('/examples/', '/scripts/', '/crds/', '/.ci/', '/docs/');

// Regenerate src/imports/ from the vendored CRDs in crds/, offline, with the pinned cdk8s-cli.
project.addTask('import', {
  description: 'Regenerate src/imports/ from the vendored CRDs (offline, pinned cdk8s-cli)',
  exec: 'ts-node --project test/tsconfig.json scripts/import-crds.ts',
});

// The rule catalogue as a page: docs/rules.md.
const rulesDoc = project.addTask('docs:rules', {
  description: 'Write docs/rules.md from the rule catalogue (src/rules/catalogue.ts)',
  exec: 'ts-node --project test/tsconfig.json scripts/rules-doc.ts',
});

// `npm run bench`: synth timings against a plain-ApiObject baseline. Not a test: never fails on a timing.
const bench = project.addTask('bench', {
  description: 'Benchmark synthesis of 100 to 10,000 endpoints against plain cdk8s ApiObjects (prints a Markdown table)',
});
bench.spawn(project.compileTask);
// It lives in test/bench/ for the test tsconfig and lint rules; jest runs only *.test.ts.
bench.exec('ts-node --project test/tsconfig.json test/bench/run.ts');

// npm 11.19 (and projen's install with it) writes a lock without unrs-resolver's optional
// per-platform bindings, which `npm ci` on npm 11.19 then refuses. npm 11.13.0 writes a complete
// one; it must start from package.json alone, or it keeps the incomplete tree.
project.addTask('lockfile', {
  description: 'Rewrite package-lock.json with npm 11.13.0 so that `npm ci` passes on npm 11.19',
  exec: [
    'tmp=$(mktemp -d)',
    'cp package.json "$tmp"/',
    '(cd "$tmp" && npx -y npm@11.13.0 install --package-lock-only --no-audit --no-fund)',
    'cp "$tmp"/package-lock.json package-lock.json',
    'rm -rf "$tmp"',
    'ts-node --project test/tsconfig.json scripts/check-lockfile.ts',
  ].join(' && '),
});

// The example apps, synthesized the way a user's app repo would: `cdk8s synth` into its own dist/.
// --no-check-upgrade: no network call to look for a newer cdk8s-cli (CI is offline but for registries).
const example = project.addTask('example', {
  description: 'Synthesize every example app into examples/<app>/dist/',
});
for (const app of ['seldon-iris', 'delivery-patterns', 'secure-serving']) {
  example.spawn(project.addTask(`example:${app}`, {
    description: `Synthesize examples/${app} into examples/${app}/dist/`,
    cwd: `examples/${app}`,
    exec: 'cdk8s synth --no-check-upgrade',
  }));
}

// What `.ci/run` and the README's test command run: imports, jsii build, tests, API.md, example,
// then fail when any generated file differs from what is committed.
const verify = project.addTask('verify', {
  description: 'Regenerate imports, build with jsii, run the tests, synthesize the example, and check for drift',
});
verify.spawn(project.tasks.tryFind('import')!);
verify.spawn(project.buildTask);
verify.spawn(example);
verify.spawn(rulesDoc);
verify.exec('ts-node --project test/tsconfig.json scripts/check-lockfile.ts');
verify.exec('ts-node --project test/tsconfig.json scripts/check-drift.ts');

project.synth();
