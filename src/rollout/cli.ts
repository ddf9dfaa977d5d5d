#!/usr/bin/env node
/**
 * `cdk8s-seldon-istio rollout <status | advance | promote | abort | pause | resume>`: moves a
 * rollout by editing its state file (`rollout.json`, read by the chart through `RolloutState`),
 * and only that file: it runs no git. It prints what changed and the next action. Exit codes, for
 * the CI job that runs it: 0 moved, 1 refused (paused, dwell time, last step: try later or act),
 * 3 refused because the candidate is unhealthy (a health gate failed or had no data: abort),
 * 2 a usage error or an unreadable state file.
 *
 *   advance --prometheus URL --namespace NS --endpoint NAME [--variant canary]
 *       moves on only when the candidate's health gates pass, read from the recording rules
 *       RolloutHealth writes through Prometheus's HTTP API; no data is a failed gate.
 */
import * as fs from 'fs';
import { Command, InvalidArgumentError } from 'commander';
import { checkGates } from './health-gates';
import * as moves from './moves';
import { RolloutState, RolloutStatus } from './rollout-state';
import { DEFAULT_HEALTH_WINDOW, durationToPromQl } from '../monitoring/promql';

function number(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`not a number: ${value}`);
  return n;
}

interface AdvanceOptions {
  readonly file: string;
  readonly prometheus?: string;
  readonly namespace?: string;
  readonly endpoint?: string;
  readonly variant: string;
  readonly minSuccessRate: number;
  readonly maxLatencyP99: number;
  readonly window: string;
}

function changes(before: RolloutState, after: RolloutState): string[] {
  const a: Record<string, unknown> = { ...before.toData() };
  const b: Record<string, unknown> = { ...after.toData() };
  return Object.keys({ ...a, ...b })
    .filter(k => k !== 'stepStartedAt' && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map(k => `${k}: ${JSON.stringify(a[k])} -> ${JSON.stringify(b[k])}`);
}

function describe(state: RolloutState): string {
  if (state.status === RolloutStatus.PROMOTING) {
    return `stable ${state.stable} (0 %, starting its pods), candidate ${state.candidate} (100 %); promoting`;
  }
  const weight = state.candidateWeight;
  const share = state.mirrorPercentage > 0 ? `mirror ${state.mirrorPercentage} %` : `${weight} %`;
  return [
    `stable ${state.stable} (${100 - weight} %)` + (state.candidate ? `, candidate ${state.candidate} (${share})` : ''),
    state.candidate ? `step ${state.currentStep} of [${state.plan.join(', ')}], ${state.status}` : `${state.status}`,
  ].join('; ');
}

/** Runs the command line; returns the exit code. @internal */
export async function main(
  argv: string[], out: (s: string) => void = s => process.stdout.write(s), now: () => Date = () => new Date(),
): Promise<number> {
  let code = 0;
  const program = new Command('cdk8s-seldon-istio').exitOverride().configureOutput({ writeOut: out, writeErr: out });
  const rollout = program.command('rollout').description('move a rollout by editing its state file');
  const file = (cmd: Command) => cmd.option('-f, --file <path>', 'the rollout state file', 'rollout.json');

  type MoveOf<O> = (s: RolloutState, options: O) => moves.Move | Promise<moves.Move>;
  const apply = <O extends { file: string }>(name: string, move: MoveOf<O>) => async (options: O) => {
    const before = RolloutState.fromFile(options.file);
    const result = await move(before, options);
    if (result.refused !== undefined) {
      const next = result.unhealthy ? `abort (all traffic back to ${before.stable}), or advance again once the candidate is fixed` : moves.nextAction(before);
      out(`${name} refused: ${result.refused}\n${describe(before)}\nnext: ${next}\n`);
      code = result.unhealthy ? 3 : 1;
      return;
    }
    fs.writeFileSync(options.file, JSON.stringify(result.state.toData(), null, 2) + '\n');
    out(`${name}: ${changes(before, result.state).join(', ') || 'no change'}\n${describe(result.state)}\nnext: ${moves.nextAction(result.state)}\n`);
  };

  file(rollout.command('status').description('print the state and the next action')).action((options: { file: string }) => {
    const state = RolloutState.fromFile(options.file);
    out(`${describe(state)}\nnext: ${moves.nextAction(state)}\n`);
  });
  file(rollout.command('advance').description('move to the next step (gated by --prometheus)'))
    .option('--prometheus <url>', 'Prometheus to read the health gates from (without it, no gate is checked)')
    .option('--namespace <ns>', 'namespace of the endpoint (with --prometheus)')
    .option('--endpoint <name>', 'name of the endpoint (with --prometheus)')
    .option('--variant <name>', 'the candidate variant\'s name', 'canary')
    .option('--min-success-rate <percent>', 'lowest healthy success rate', number, 99)
    .option('--max-latency-p99 <ms>', 'highest healthy p99 latency', number, 500)
    .option('--window <duration>', 'window of the recorded rates (RolloutHealth interval)', durationToPromQl(DEFAULT_HEALTH_WINDOW))
    .action(apply('advance', async (state: RolloutState, options: AdvanceOptions) => {
      const move = moves.advance(state, now());
      if (move.refused !== undefined || !options.prometheus) return move;
      if (!options.namespace || !options.endpoint) return { refused: '--prometheus needs --namespace and --endpoint' };
      const gates = await checkGates(options.prometheus, { namespace: options.namespace, endpoint: options.endpoint, variant: options.variant },
        { minSuccessRate: options.minSuccessRate, maxLatencyP99Ms: options.maxLatencyP99, window: options.window });
      out(gates.map(g => `gate ${g.gate}: ${g.passed ? 'pass' : 'FAIL'} (${g.why})\n`).join(''));
      const failed = gates.filter(g => !g.passed);
      return failed.length > 0 ? { refused: `health gates failed: ${failed.map(g => g.gate).join(', ')}`, unhealthy: true } : move;
    }));
  file(rollout.command('promote').description('make the candidate the new stable (two commits: stable starts the new version, then takes the traffic)')).action(apply('promote', s => moves.promote(s, now())));
  file(rollout.command('abort').description('send all traffic back to stable')).action(apply('abort', s => moves.abort(s)));
  file(rollout.command('pause').description('hold the current step')).action(apply('pause', s => moves.pause(s)));
  file(rollout.command('resume').description('go on after a pause')).action(apply('resume', s => moves.resume(s, now())));

  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (e: any) {
    if (e?.code === 'commander.helpDisplayed' || e?.code === 'commander.help') return 0;
    if (e?.code?.startsWith?.('commander.')) return 2;
    out(`error: ${(e as Error).message}\n`);
    return 2;
  }
  return code;
}

if (require.main === module) {
  void main(process.argv.slice(2)).then(code => process.exit(code));
}
