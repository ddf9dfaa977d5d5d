// Runs the suites in the order of SUITES (quick, focused suites first, the fuzzing test last)
// instead of jest's slowest-first, so that with bail-environment.js most mutants die before the
// slow suites start.
const Sequencer = require('@jest/test-sequencer').default;
const { SUITES } = require('./suites');

const rank = test => {
  const i = SUITES.findIndex(s => test.path.endsWith(`/test/${s}.test.ts`));
  return i === -1 ? SUITES.length : i;
};

class SuiteOrderSequencer extends Sequencer {
  sort(tests) {
    return [...tests].sort((a, b) => rank(a) - rank(b) || a.path.localeCompare(b.path));
  }
}

module.exports = SuiteOrderSequencer;
