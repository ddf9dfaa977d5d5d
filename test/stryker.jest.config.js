// Jest as StrykerJS runs it (`npx projen mutation`): the project's config from package.json (which
// projen writes), with the fuzzing test at 300 configurations instead of 10,000, and without the
// suites that test packaging rather than the mutated logic (they spawn processes or compile every
// docs block, seconds per run, and would run for every mutant).
const path = require('path');
const base = require('../package.json').jest;

process.env.CONFORMANCE_RUNS = process.env.CONFORMANCE_RUNS ?? '300';

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
  collectCoverage: false,
  reporters: ['default'],
};
