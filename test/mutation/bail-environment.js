// Jest's node environment that stops a mutant's run at its first failure. StrykerJS forces
// `bail: false` (jest cannot bail programmatically) and runs every test that covers the mutant, so
// a mutant the first test kills still paid for the fuzzing test. A mutant is killed by one failure;
// once a test failed for the active mutant, its remaining tests are skipped. Every test file of one
// mutant run runs in band in the same process, so this module's state is shared by them.
const { TestEnvironment } = require('jest-environment-node');

const ACTIVE_MUTANT = '__STRYKER_ACTIVE_MUTANT__';
let killedMutant;

class BailOnFirstFailureEnvironment extends TestEnvironment {
  async handleTestEvent(event) {
    const mutant = process.env[ACTIVE_MUTANT];
    if (mutant === undefined) return; // the dry run: every test must run to measure coverage
    if (event.name === 'test_fn_failure' || event.name === 'hook_failure') killedMutant = mutant;
    if (event.name === 'test_start' && killedMutant === mutant) event.test.mode = 'skip';
  }
}

module.exports = BailOnFirstFailureEnvironment;
