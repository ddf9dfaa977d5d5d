// The suites StrykerJS runs, in the order they run: the ones that test where requests go and what
// the rules refuse, quick and focused first. Suites that test packaging, docs or processes (they
// spawn processes, start a Prometheus server, compile every docs block) stay out: jest loads every
// selected suite for every mutant. MUTATION_SUITES=a,b narrows them for one file's run.
const ALL_SUITES = [
  'seldon-operator', 'rule-checks', 'route-simulator', 'request-level-bugs', 'behaviour', 'renderers', 'blue-green', 'traffic-model',
  'canary', 'patterns', 'routing-constructs', 'rules', 'security', 'traffic-properties', 'api',
  'construct-tree', 'rollout-steps', 'conformance/fuzz',
];

const SUITES = process.env.MUTATION_SUITES ? process.env.MUTATION_SUITES.split(',') : ALL_SUITES;

module.exports = { SUITES };
