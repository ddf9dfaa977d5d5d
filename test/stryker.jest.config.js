// Jest as StrykerJS runs it (`npx projen mutation`): the project's config from package.json (which
// projen writes), transpiled without type checks, limited to the suites that test where requests go
// and what the rules refuse, with the fuzzing test at 200 configurations instead of 10,000. Jest
// loads every selected suite for every mutant, so suites that test packaging, docs or processes
// (they spawn processes, start a Prometheus server, compile every docs block) stay out.
const path = require('path');
const base = require('../package.json').jest;

process.env.CONFORMANCE_RUNS = process.env.CONFORMANCE_RUNS ?? '200';

const SUITES = [
  'api', 'behaviour', 'canary', 'patterns', 'request-level-bugs', 'traffic-properties',
  'route-simulator', 'routing-constructs', 'rules', 'conformance/fuzz', 'rollout-steps', 'renderers', 'blue-green', 'construct-tree',
  'seldon-operator', 'security',
];

module.exports = {
  ...base,
  rootDir: path.join(__dirname, '..'),
  testMatch: SUITES.map(s => `<rootDir>/test/${s}.test.ts`),
  // Transpile only: the type checker already ran on the unmutated code (the test task), and a
  // mutant that only a type error would catch is not a behaviour the tests should pin.
  transform: { '^.+\\.[t]sx?$': ['ts-jest', { tsconfig: 'test/tsconfig.json', isolatedModules: true }] },
  collectCoverage: false,
  reporters: ['default'],
};
