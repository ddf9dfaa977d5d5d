import { JsonFile, cdk8s, javascript, TaskShell } from 'projen';
import { UpdateSnapshot } from 'projen/lib/javascript';

// Versions of everything that generates code or output are pinned exactly, so
// `src/imports/`, `.jsii`, API.md and the synthesized examples do not drift.
const CDK8S_VERSION = '2.70.106';
const CONSTRUCTS_VERSION = '10.8.1';
const CDK8S_PLUS_VERSION = '2.9.5';
const CDK8S_CLI_VERSION = '2.207.60';
const JSII_VERSION = '6.0.16';
// jsii-pacmak writes the Python, Java and Go packages; the jsii runtime each of them requires
// (PyPI jsii, Maven software.amazon.jsii:jsii-runtime, Go github.com/aws/jsii-runtime-go) is this version.
const JSII_PACMAK_VERSION = '1.140.0';

const project = new cdk8s.ConstructLibraryCdk8s({
  name: 'cdk8s-seldon-istio',
  description: 'cdk8s constructs for serving Seldon Core v1 and TensorFlow Serving models behind Istio: gateways, SeldonDeployments and delivery patterns.',
  author: 'cdk8s-seldon-istio maintainers',
  authorAddress: 'maintainers@cdk8s-seldon-istio.dev',
  authorName: 'cdk8s-seldon-istio maintainers',
  repositoryUrl: 'https://github.com/cdk8s-seldon-istio/cdk8s-seldon-istio.git',
  defaultReleaseBranch: 'main',
  // Construct Hub lists jsii packages with the `cdk8s` keyword as cdk8s libraries.
  keywords: ['cdk8s', 'seldon', 'istio', 'mlops', 'canary', 'kubernetes', 'tensorflow-serving', 'constructs'],
  packageManager: javascript.NodePackageManager.NPM,
  // What the library is built and tested with; jsii itself supports Node 20 and later.
  minNodeVersion: '20.0.0',
  // The release workflow runs on the latest Node 20, not on 20.0.0.
  workflowNodeVersion: '20.x',
  projenrcTs: true,

  // Bindings for other languages, built by `npx projen package-all` into dist/python, dist/java and
  // dist/go, and published by the release workflow with publib (secrets named below, never stored).
  // The Go module is <moduleName>/<packageName>, pushed to its own repository.
  releaseToNpm: true,
  npmAccess: javascript.NpmAccess.PUBLIC,
  npmTokenSecret: 'NPM_TOKEN',
  publishToPypi: {
    distName: 'cdk8s-seldon-istio',
    module: 'cdk8s_seldon_istio',
    twineUsernameSecret: 'TWINE_USERNAME',
    twinePasswordSecret: 'TWINE_PASSWORD',
  },
  publishToMaven: {
    javaPackage: 'io.github.cdk8sseldonistio',
    mavenGroupId: 'io.github.cdk8sseldonistio',
    mavenArtifactId: 'cdk8s-seldon-istio',
    // Maven Central through its publisher portal (publib's `central-ossrh`).
    mavenServerId: 'central-ossrh',
    mavenUsername: 'MAVEN_USERNAME',
    mavenPassword: 'MAVEN_PASSWORD',
    mavenGpgPrivateKeySecret: 'MAVEN_GPG_PRIVATE_KEY',
    mavenGpgPrivateKeyPassphrase: 'MAVEN_GPG_PRIVATE_KEY_PASSPHRASE',
  },
  publishToGo: {
    moduleName: 'github.com/cdk8s-seldon-istio/cdk8s-seldon-istio-go',
    packageName: 'cdk8sseldonistio',
    githubTokenSecret: 'GO_GITHUB_TOKEN',
    gitUserName: 'cdk8s-seldon-istio-automation',
    gitUserEmail: 'automation@cdk8s-seldon-istio.dev',
  },

  cdk8sVersion: CDK8S_VERSION,
  constructsVersion: CONSTRUCTS_VERSION,
  jsiiVersion: JSII_VERSION,

  // Releases as cdk8s-plus makes them: projen's release workflow on every push to the default
  // branch computes the next semantic version from the conventional commits since the last tag,
  // writes the changelog and publishes the four packages. CI for changes stays `.ci/run`, so no
  // build workflow; no dependency-upgrade or other hosted workflows either.
  github: true,
  release: true,
  // The version bump and changelog tool: v13 (projen's default) needs Node 22; v12 runs on Node 20.
  bumpPackage: 'commit-and-tag-version@^12',
  buildWorkflow: false,
  githubOptions: { mergify: false, pullRequestLint: false },
  stale: false,
  depsUpgrade: false,
  pullRequestTemplate: false,

  peerDeps: [`cdk8s-plus-27@^${CDK8S_PLUS_VERSION}`],
  // Not jsii modules, so bundled into the package: RE2 (the regex engine Envoy runs) for the
  // route simulator, and an argument parser for the command-line tools.
  bundledDeps: ['re2js@^2.10.0', 'commander@^14.0.3'],
  devDeps: [
    `cdk8s-plus-27@${CDK8S_PLUS_VERSION}`,
    `cdk8s-cli@${CDK8S_CLI_VERSION}`,
    'jsii-docgen@10.12.6',
    `jsii-pacmak@${JSII_PACMAK_VERSION}`,
    // ts-jest does not support TypeScript 7 yet; jsii 6 compiles with TypeScript 6.
    'typescript@~6.0.3',
    '@types/node@^20',
    'fast-check@^4.10.2',
    'yaml@^2.9.1',
    // JSON-schema validation of synthesized manifests against the vendored CRDs' schemas (tests).
    'ajv@^8.20.0',
    // Mutation testing (`npx projen mutation`). StrykerJS 10 refuses Node 20; 9.x runs on it.
    '@stryker-mutator/core@9.6.1',
    '@stryker-mutator/jest-runner@9.6.1',
  ],

  // The route report as a command: `npx cdk8s-seldon-istio-routes dist/`.
  bin: { 'cdk8s-seldon-istio-routes': 'lib/report/cli.js', 'cdk8s-seldon-istio': 'lib/rollout/cli.js' },

  jestOptions: {
    // Snapshots are never rewritten by a test run; update them by hand after reading the diff.
    updateSnapshot: UpdateSnapshot.NEVER,
    passWithNoTests: false,
    jestConfig: {
      coveragePathIgnorePatterns: ['/node_modules/', '/src/imports/'],
      testPathIgnorePatterns: ['/node_modules/', '/examples/.*/dist/', '<rootDir>/.stryker-tmp/'],
      // StrykerJS's sandboxes are copies of the project: never part of a normal test run.
      modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
      // The docs' code blocks import the package by name, as users do: in the tests, that is src/.
      moduleNameMapper: { '^cdk8s-seldon-istio$': '<rootDir>/src' },
    },
  },
});

// eslint-import-resolver-typescript v4 depends on unrs-resolver, whose per-platform native
// bindings are optional dependencies: the lock entries npm writes for them broke `npm ci` on a
// fresh machine (versionless entries, "Invalid Version"). The rules we use from eslint-plugin-import
// (no-extraneous-dependencies, order, no-duplicates) need only Node's resolution with .ts files.
project.deps.removeDependency('eslint-import-resolver-typescript');
project.tryFindObjectFile('.eslintrc.json')?.addOverride('settings.import/resolver.node', { extensions: ['.ts', '.js'] });
project.tryFindObjectFile('.eslintrc.json')?.addDeletionOverride('settings.import/resolver.typescript');

// ts-jest compiles each test file alone (isolatedModules), without type checking: check the
// tests, examples, scripts and smoke programs with the compiler before they run.
project.testTask.prependExec('tsc --noEmit -p test/tsconfig.json');

// Generated imports are not ours to lint (line length, naming).
project.eslint?.addIgnorePattern('src/imports/');
project.tsconfigDev.addInclude('../examples/**/*.ts');
project.tsconfigDev.addInclude('../scripts/**/*.ts');
project.tsconfigDev.addInclude('../smoke/**/*.ts');
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
project.eslint?.addLintPattern('smoke');
project.eslint?.allowDefaultProjectFiles('scripts/*.ts', 'examples/*/*.ts', 'smoke/*/*.ts');
project.eslint?.allowDevDeps('scripts/**');
project.eslint?.allowDevDeps('examples/**');
project.eslint?.allowDevDeps('smoke/**');
// Scripts, example apps, the smoke program and .projenrc.ts are more than typescript-eslint's
// default limit of 8 files outside a tsconfig; they are few and small.
project.eslint?.addOverride({
  files: ['*.ts'],
  parserOptions: { projectService: { maximumDefaultProjectFileMatchCount_THIS_WILL_SLOW_DOWN_LINTING: 16 } },
} as any);
project.npmignore?.addPatterns('/examples/', '/scripts/', '/imports/', '/.ci/', '/docs/', '/smoke/');

// projen's jsii support adds `jsii-pacmak` unversioned after the options' devDeps: pin it again.
project.addDevDeps(`jsii-pacmak@${JSII_PACMAK_VERSION}`);

// `build` (and so `verify`) packages JavaScript only, on a laptop as in CI (projen would run
// `package-all` outside CI). The other languages are built by `package-all`, which `smoke` runs.
project.packageTask.reset();
project.packageTask.spawn(project.tasks.tryFind('package:js')!);

// The Java and Go bindings of our dependencies, at exactly the npm versions we pin, are not to be
// had from the registries: Maven Central's org.cdk8s:cdk8s stops at 2.70.47 and it has no
// org.cdk8s:cdk8s-plus-27 2.9.5; the Go module proxy refuses github.com/cdk8s-team/cdk8s-core-go
// and cdk8s-plus-go (403). jsii-pacmak builds them from the npm packages in node_modules into
// node_modules/<package>/dist/<language>, which is where jsii-pacmak looks for locally built
// dependencies when it builds ours (and where the smoke programs take them from). constructs
// 10.8.1 and the jsii runtimes do come from Maven Central and the Go module proxy.
// Each is built once per `npm ci` (the condition skips a finished one); javadoc is skipped for them.
// Maven uses ~/.m2/repository (jsii-pacmak would use an empty one per run), so a second run is fast.
const MAVEN_REPO = '--maven-local-repository="$HOME/.m2/repository"';
const depsMarker = (dep: string, lang: string) => `node_modules/${dep}/dist/${lang}/.built-by-projen`;
for (const lang of ['java', 'go']) {
  const depsTask = project.addTask(`package:deps:${lang}`, {
    description: `Build the ${lang} bindings of cdk8s and cdk8s-plus-27 from node_modules (not served by the registries at our versions)`,
    shell: TaskShell.bash(),
  });
  for (const dep of ['cdk8s', 'cdk8s-plus-27']) { // in dependency order: cdk8s-plus-27 builds against cdk8s
    // The directory comes first: --target takes every word after it.
    const options = lang === 'java' ? ` ${MAVEN_REPO} --mvn-define=maven.javadoc.skip=true` : '';
    depsTask.exec(
      `jsii-pacmak node_modules/${dep} --target ${lang}${options} && touch ${depsMarker(dep, lang)}`,
      { condition: `test ! -e ${depsMarker(dep, lang)}` },
    );
  }
  const packageTask = project.tasks.tryFind(`package:${lang}`)!;
  packageTask.reset();
  packageTask.spawn(depsTask);
  if (lang === 'java') {
    packageTask.exec(`jsii-pacmak -v --target java ${MAVEN_REPO}`, { shell: TaskShell.bash() });
  } else {
    packageTask.execArgs(['jsii-pacmak', '-v', '--target', lang]);
  }
}

// Regenerate src/imports/ from the vendored CRDs in imports/, offline, with the pinned cdk8s-cli.
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

// Mutation testing of the code that decides where requests go: the traffic model, the patterns,
// the renderers, the operator model, the simulator and the rules. Too slow for .ci/run (tens of
// minutes on two cores): run it by hand, and copy the per-file scores into the README.
new JsonFile(project, 'stryker.config.json', {
  obj: {
    $schema: './node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'npm',
    testRunner: 'jest',
    // The project's jest config, without the suites that spawn processes or compile the docs
    // (they test packaging, not the mutated logic, and take minutes per mutant).
    jest: { projectType: 'custom', configFile: 'test/mutation/jest.config.js', enableFindRelatedTests: false },
    coverageAnalysis: 'perTest',
    // The sandbox needs the sources, tests, CRDs and node_modules, not the packages and toolchains.
    ignorePatterns: ['/smoke', '/dist', '/lib', '/coverage', '/test-reports', '/reports'],
    checkers: [],
    mutate: [
      'src/delivery/**/*.ts',
      'src/seldon/operator.ts',
      'src/report/route-simulator.ts',
      'src/rules/**/*.ts',
    ],
    ignoreStatic: true,
    concurrency: 2,
    timeoutMS: 20000,
    reporters: ['clear-text', 'progress', 'json'],
    jsonReporter: { fileName: 'reports/mutation/mutation.json' },
    thresholds: { high: 80, low: 60, break: null },
    tempDirName: '.stryker-tmp',
  },
});
project.addTask('mutation', {
  description: 'Mutation testing (StrykerJS) of the traffic model, patterns, renderers, operator model, simulator and rules',
  exec: 'stryker run && ts-node --project test/tsconfig.json scripts/mutation-scores.ts reports/mutation/mutation.json',
});
project.gitignore.exclude('/.stryker-tmp/', '/reports/');

// The examples' PrometheusRules through promtool (Debian's prometheus package): check rules, then
// unit tests written from each rule that prove every alert fires for an unhealthy candidate and
// stays silent otherwise. .ci/run installs promtool where it is missing.
project.addTask('prometheus:rules', {
  description: 'promtool check rules and test rules on every PrometheusRule of the examples (needs promtool)',
  exec: 'ts-node --project test/tsconfig.json scripts/check-prometheus-rules.ts examples',
});

// The user guides in docs/, written from the runnable samples in test/docs/samples/.
const guides = project.addTask('docs', {
  description: 'Write docs/patterns.md, docs/from-seldon-yaml.md and docs/gitops.md from the samples',
  exec: 'ts-node --project test/tsconfig.json scripts/docs.ts',
});

// The gated loop of docs/gitops.md, recorded against a real Prometheus (test/gitops-loop.test.ts
// runs it again and compares); not part of verify: a recording is made by hand, and read.
project.addTask('docs:gitops-loop', {
  description: 'Record the gated rollout loop of docs/gitops.md against a real Prometheus (needs prometheus)',
  exec: 'ts-node --project test/tsconfig.json scripts/record-gitops-loop.ts',
});

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

// The smoke test (smoke/run.sh): programs in TypeScript, Python, Java and Go build the same charts,
// the last three through the packages in dist/, and their YAML must be byte-identical.
// Run it after `build` (or `verify`): it packages the compiled lib/ and .jsii.
const smoke = project.addTask('smoke', {
  description: 'Package Python, Java and Go, then check that the smoke programs in every language write byte-identical YAML',
});
smoke.spawn(project.tasks.tryFind('package-all')!);
smoke.exec('bash smoke/run.sh');
project.gitignore.exclude('/smoke/*/dist/', '/smoke/python/.venv/', '/smoke/java/target/');
// test/docs-blocks.test.ts writes the docs' code blocks here while it runs.
project.gitignore.exclude('/test/.docs-blocks-*/');

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
verify.spawn(guides);
verify.exec('ts-node --project test/tsconfig.json scripts/check-lockfile.ts');
verify.exec('ts-node --project test/tsconfig.json scripts/check-drift.ts');

project.synth();
