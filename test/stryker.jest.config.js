// Jest as StrykerJS runs it (`npx projen mutation`): the project's config from package.json (which
// projen writes), transpiled without type checks, with the fuzzing test at 200 configurations instead of 10,000, and without the
// suites that test packaging rather than the mutated logic (they spawn processes or compile every
// docs block, seconds per run, and would run for every mutant).
const path = require('path');
const base = require('../package.json').jest;

process.env.CONFORMANCE_RUNS = process.env.CONFORMANCE_RUNS ?? '200';

module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..'),
  testPathIgnorePatterns: [
    ...base.testPathIgnorePatterns,
    '/test/cli\\.test\\.ts$',
    '/test/docs-blocks\\.test\\.ts$',
    '/test/docs\\.test\\.ts$',
    '/test/lockfile\\.test\\.ts$',
    '/test/release-workflow\\.test\\.ts$',
    '/test/one-pass-synthesis\\.test\\.ts$',
  ],
  // Transpile only: the type checker already ran on the unmutated code (the test task), and a
  // mutant that only a type error would catch is not a behaviour the tests should pin.
  transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json', isolatedModules: true }] },
  collectCoverage: false,
  reporters: ['default'],
};
