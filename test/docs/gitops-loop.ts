/**
 * The gated GitOps loop of docs/gitops.md, end to end: the CI job's commands run against a real
 * Prometheus (test/prometheus.ts) that evaluates the recording rules of the docs' chart, on a
 * candidate that is healthy and then fails. `npx projen docs:gitops-loop` records a run into
 * docs/recorded/gitops-loop.json, which `npx projen docs` renders; test/gitops-loop.test.ts runs
 * the loop again and compares it with the recording (measured numbers aside), so the page cannot
 * drift from what the command does.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import { unifiedDiff } from './diff';
import * as gitops from './samples/gitops-canary';
import { RolloutState, RolloutStateData, RouteReport } from '../../src';
import { main } from '../../src/rollout/cli';
import { istioSelector, startPrometheus } from '../prometheus';

/** The command the CI job runs at every tick, as its workflow writes it. */
export const ADVANCE = 'npx cdk8s-seldon-istio rollout advance --prometheus "$PROMETHEUS_URL" --namespace models --endpoint iris';

/** The state file of the pull request that starts the rollout. */
export const STARTED: RolloutStateData = {
  stable: 'v1', candidate: 'v2', mirrorFirst: 100, steps: [10, 50, 100], minStepSeconds: 600, stepStartedAt: '2026-12-03T09:50:00.000Z',
};

/** The CI job of the app repo (GitHub Actions): advance, or abort an unhealthy candidate, and open a pull request with the change. */
export const WORKFLOW = `# .github/workflows/rollout.yml of the app repo
name: rollout
on:
  schedule: [{ cron: '*/10 * * * *' }]   # one tick every 10 minutes
  workflow_dispatch: {}
permissions: { contents: write, pull-requests: write }
jobs:
  tick:
    runs-on: [self-hosted, in-cluster]    # a runner that reaches Prometheus
    env:
      PROMETHEUS_URL: http://prometheus-operated.monitoring:9090
      GH_TOKEN: \${{ github.token }}
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with: { node-version: 20 }
      - run: npm ci
      - id: move
        name: advance when healthy; abort when not
        run: |
          # One rollout pull request at a time: the next tick moves from the merged state.
          if [ "$(gh pr list --label rollout --state open --json number --jq length)" != 0 ]; then
            echo "code=1" >> "$GITHUB_OUTPUT"; exit 0
          fi
          set +e
          ${ADVANCE}
          code=$?
          # 3: the health gates refused the move. Send all traffic back to stable.
          if [ "$code" = 3 ]; then npx cdk8s-seldon-istio rollout abort; code=$?; fi
          echo "code=$code" >> "$GITHUB_OUTPUT"
          # 1: not yet (dwell time, paused, last step): nothing to commit. 2: a broken file or command.
          [ "$code" = 0 ] || [ "$code" = 1 ]
      - if: steps.move.outputs.code == '0'
        name: the step as a pull request
        run: |
          npx cdk8s synth
          npx cdk8s-seldon-istio-routes dist/ --out routes.md
          git switch -c "rollout/$(date -u +%Y%m%d-%H%M)"
          git add rollout.json dist/ routes.md
          git -c user.name=rollout-bot -c user.email=rollout-bot@example.com commit -m "rollout: $(npx cdk8s-seldon-istio rollout status | head -1)"
          git push -u origin HEAD
          gh pr create --fill --label rollout
`;

/** One command of the loop, as the job ran it, and what it changed. */
export interface LoopStep {
  /** The clock of the command (the loop moves it forward between ticks). */
  readonly at: string;
  readonly title: string;
  readonly command: string;
  readonly exitCode: number;
  readonly output: string;
  /** The diffs of the pull request the job opens (none when nothing changed). */
  readonly diffs: Array<{ readonly file: string; readonly diff: string }>;
}

/** A recorded run of the loop. */
export interface LoopRecording {
  readonly recordedOn: string;
  readonly prometheus: string;
  readonly steps: LoopStep[];
}

function routes(state: RolloutState): string {
  const app = new App({ outdir: os.tmpdir() });
  gitops.build(app, state);
  return RouteReport.fromApp(app).toMarkdown();
}

/** The PrometheusRule groups the docs' chart deploys (the same in every state of the rollout that has a candidate). */
function ruleGroups(): any[] {
  const app = new App({ outdir: os.tmpdir() });
  gitops.build(app, RolloutState.of(STARTED));
  return app.charts.flatMap(c => c.toJson()).filter(m => m.kind === 'PrometheusRule').flatMap(r => r.spec.groups);
}

/** Runs the loop against a real Prometheus; `log` hears about progress. */
export async function runGatedLoop(log: (line: string) => void = () => undefined): Promise<LoopStep[]> {
  const candidate = { selector: istioSelector('models', 'iris-canary', 'canary'), errors: 0 };
  const prometheus = await startPrometheus(ruleGroups(), [{ selector: istioSelector('models', 'iris-stable', 'stable'), errors: 0 }, candidate]);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'gitops-loop-')), 'rollout.json');
  fs.writeFileSync(file, JSON.stringify(RolloutState.of(STARTED).toData(), null, 2) + '\n');
  const steps: LoopStep[] = [];
  const tick = async (at: string, title: string, command: string) => {
    log(`${at} ${command}`);
    const stateBefore = fs.readFileSync(file, 'utf-8');
    const routesBefore = routes(RolloutState.fromFile(file));
    const args = command.replace(/^npx cdk8s-seldon-istio /, '').split(' ')
      .map(a => a === '"$PROMETHEUS_URL"' ? prometheus.url : a);
    let output = '';
    const exitCode = await main([...args, '-f', file], s => { output += s; }, () => new Date(at));
    const stateAfter = fs.readFileSync(file, 'utf-8');
    const diffs = stateAfter === stateBefore ? [] : [
      { file: 'rollout.json', diff: unifiedDiff(stateBefore, stateAfter, 'rollout.json') },
      { file: 'routes.md', diff: unifiedDiff(routesBefore, routes(RolloutState.fromFile(file)), 'routes.md') },
    ];
    steps.push({ at, title, command, exitCode, output, diffs });
  };
  try {
    await tick('2026-12-03T10:00:00.000Z', 'Where the rollout stands', 'npx cdk8s-seldon-istio rollout status');
    await tick('2026-12-03T10:00:00.000Z', 'Tick: the mirrored candidate is healthy, so it takes its first 10 %', ADVANCE);
    await tick('2026-12-03T10:05:00.000Z', 'Tick: too early for the next step (dwell time), nothing to commit', ADVANCE);
    // v2 starts failing: one answer in five is a 5xx. Wait for a few scrapes and rule evaluations.
    candidate.errors = 0.2;
    await new Promise(r => setTimeout(r, 8000));
    await tick('2026-12-03T10:11:00.000Z', 'Tick: v2 now fails one request in five; the gates refuse (exit 3)', ADVANCE);
    await tick('2026-12-03T10:11:00.000Z', 'The same job aborts: all traffic back to v1, as a pull request', 'npx cdk8s-seldon-istio rollout abort');
    await tick('2026-12-03T10:11:00.000Z', 'Where the rollout stands', 'npx cdk8s-seldon-istio rollout status');
  } finally {
    await prometheus.stop();
  }
  return steps;
}

/** A step with the measured numbers (rates, percentages, latencies) masked, to compare runs. */
export function withoutMeasurements(step: LoopStep): LoopStep {
  return { ...step, output: step.output.replace(/^gate .*$/gm, line => line.replace(/\d+\.\d+/g, 'N')) };
}
