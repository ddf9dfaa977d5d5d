// Jest as StrykerJS runs it (`npx projen mutation`): the project's config from package.json (which
// projen writes), transpiled without type checks, limited to the behaviour suites (suites.js) in a
// fixed order, stopping each mutant's run at its first failure (bail-environment.js), with the
// fuzzing test at 200 configurations instead of 10,000.
const path = require('path');
const base = require('../../package.json').jest;
const { SUITES } = require('./suites');

process.env.CONFORMANCE_RUNS = process.env.CONFORMANCE_RUNS ?? '200';

module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..', '..'),
  testMatch: SUITES.map(s => `<rootDir>/test/${s}.test.ts`),
  testEnvironment: path.join(__dirname, 'bail-environment.js'),
  testSequencer: path.join(__dirname, 'sequencer.js'),
  // Transpile only: the type checker already ran on the unmutated code (the test task), and a
  // mutant that only a type error would catch is not a behaviour the tests should pin.
  transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json', isolatedModules: true }] },
  collectCoverage: false,
  reporters: ['default'],
};
