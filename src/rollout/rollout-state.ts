import * as fs from 'fs';
import { CanaryStep } from '../delivery/canary-step';
import { CanaryTraffic } from '../delivery/canary-traffic';

/** Where a rollout stands. */
export enum RolloutStatus {
  /** The candidate takes the weight of the current step; `advance` moves on. */
  PROGRESSING = 'progressing',
  /** The candidate keeps the weight of the current step; `advance` is refused until `resume`. */
  PAUSED = 'paused',
  /** All traffic is back on stable; the candidate stays deployed at 0 % until `promote` or a new rollout. */
  ABORTED = 'aborted',
  /**
   * Half-way through `promote`: stable has the candidate's version and starts its pods while the
   * candidate answers everything; `promote` again (after the dwell time) sends the traffic to stable.
   */
  PROMOTING = 'promoting',
}

/** The content of a rollout state file (`rollout.json`). */
export interface RolloutStateData {
  /** The version that serves today (whatever the chart maps to a model: a tag, a URI). */
  readonly stable: string;

  /**
   * The version being rolled out.
   * @default none: stable serves alone
   */
  readonly candidate?: string;

  /**
   * "Mirror first": a first step at which stable answers every request and this percentage of them
   * (1-100) is mirrored to the candidate, before `steps` shift any traffic to it.
   * @default no mirror step
   */
  readonly mirrorFirst?: number;

  /**
   * The candidate's weight at each step, increasing.
   * @default [5, 25, 50, 100]
   */
  readonly steps?: number[];

  /**
   * Index of the step in force in the plan: the mirror step (when `mirrorFirst` is set) is step 0,
   * then `steps`.
   * @default 0
   */
  readonly currentStep?: number;

  /**
   * Where the rollout stands.
   * @default RolloutStatus.PROGRESSING
   */
  readonly status?: RolloutStatus;

  /**
   * Minimum seconds at a step before `advance` moves on (the command reads `stepStartedAt`).
   * @default 0
   */
  readonly minStepSeconds?: number;

  /**
   * When the current step began (ISO 8601), written by the rollout command. Only the command reads
   * it: the chart's output never depends on it.
   * @default unknown: no dwell time is enforced
   */
  readonly stepStartedAt?: string;
}

/**
 * A rollout's state, kept in a small file of the app repo (`rollout.json`) that the rollout
 * command (`cdk8s-seldon-istio rollout status | advance | promote | abort | pause | resume`)
 * edits and the chart reads, so the chart's code never changes between steps.
 *
 * @example
 * const state = RolloutState.fromFile('rollout.json');
 * new Canary(chart, 'Iris', {
 *   name: 'iris', stable: iris(state.stable), candidate: state.candidate ? iris(state.candidate) : undefined,
 *   traffic: state.traffic,
 * });
 */
export class RolloutState {
  /** The default plan of a new rollout. */
  public static readonly DEFAULT_STEPS = [5, 25, 50, 100];

  /** Reads a state file; an invalid file is an error that names it and the bad value. */
  public static fromFile(file: string): RolloutState {
    let data: RolloutStateData;
    try {
      data = JSON.parse(fs.readFileSync(file, 'utf-8'));
    } catch (e) {
      throw new Error(`${file}: not a readable rollout state (${(e as Error).message})`);
    }
    return RolloutState.of(data, file);
  }

  /** A state from its data (`where` names it in errors). */
  public static of(data: RolloutStateData, where: string = 'rollout state'): RolloutState {
    const state = new RolloutState(data);
    const problems = state.problems();
    if (problems.length > 0) throw new Error(`${where}: ${problems.join('; ')}`);
    return state;
  }

  /** The version that serves today. */
  public readonly stable: string;
  /** The version being rolled out, if any. */
  public readonly candidate?: string;
  /** The percentage of the requests mirrored to the candidate at the first step, if the plan mirrors first. */
  public readonly mirrorFirst?: number;
  /** The candidate's weight at each step after the mirror step. */
  public readonly steps: number[];
  /** Index in `plan` of the step in force. */
  public readonly currentStep: number;
  /** Where the rollout stands. */
  public readonly status: RolloutStatus;
  /** Minimum seconds at a step before `advance`. */
  public readonly minStepSeconds: number;
  /** When the current step began, if known. */
  public readonly stepStartedAt?: string;

  private constructor(data: RolloutStateData) {
    this.stable = data.stable;
    this.candidate = data.candidate ?? undefined;
    this.mirrorFirst = data.mirrorFirst ?? undefined;
    // Copied when it is a list; anything else is kept as written for problems() to name.
    this.steps = data.steps === undefined ? [...RolloutState.DEFAULT_STEPS] : Array.isArray(data.steps) ? [...data.steps] : data.steps;
    this.currentStep = data.currentStep ?? 0;
    this.status = data.status ?? RolloutStatus.PROGRESSING;
    this.minStepSeconds = data.minStepSeconds ?? 0;
    this.stepStartedAt = data.stepStartedAt;
  }

  /** Every step of the rollout: the mirror step, if any, then the weights. */
  public get plan(): CanaryStep[] {
    return [...(this.mirrorFirst === undefined ? [] : [CanaryStep.mirror(this.mirrorFirst)]), ...this.steps.map(s => CanaryStep.weight(s))];
  }

  /**
   * The candidate's share for a `Canary`: the current step while progressing or paused, 0 when
   * aborted or without candidate.
   */
  public get traffic(): CanaryTraffic {
    if (!this.candidate || this.status === RolloutStatus.ABORTED) return CanaryTraffic.weight(0);
    if (this.status === RolloutStatus.PROMOTING) return CanaryTraffic.promoting();
    return CanaryTraffic.plan(this.plan, { current: this.currentStep });
  }

  /** The candidate's share of the answers in force, in percent (0 at the mirror step). */
  public get candidateWeight(): number {
    return this.traffic.candidateWeight;
  }

  /** The percentage of the requests mirrored to the candidate in force (0 but at the mirror step). */
  public get mirrorPercentage(): number {
    return this.traffic.mirrorPercentage;
  }

  /** The last step of the plan is in force: the next move is `promote`. */
  public get atLastStep(): boolean {
    return this.currentStep >= this.plan.length - 1;
  }

  /** The state as the file holds it (keys in a fixed order, so the file's diff is only what changed). */
  public toData(): RolloutStateData {
    return {
      stable: this.stable,
      candidate: this.candidate,
      mirrorFirst: this.mirrorFirst,
      steps: [...this.steps],
      currentStep: this.currentStep,
      status: this.status,
      minStepSeconds: this.minStepSeconds,
      stepStartedAt: this.stepStartedAt,
    };
  }

  private problems(): string[] {
    const problems: string[] = [];
    if (typeof this.stable !== 'string' || this.stable.length === 0) problems.push(`stable ${JSON.stringify(this.stable)} must name the version that serves`);
    if (this.candidate !== undefined && (typeof this.candidate !== 'string' || this.candidate.length === 0)) {
      problems.push(`candidate ${JSON.stringify(this.candidate)} must name a version, or be left out`);
    }
    if (this.status === RolloutStatus.PROMOTING && this.candidate !== this.stable) {
      problems.push(`status "promoting" needs the candidate's version as stable too (stable ${JSON.stringify(this.stable)}, candidate ${JSON.stringify(this.candidate)})`);
    }
    if (!Object.values(RolloutStatus).includes(this.status)) problems.push(`status ${JSON.stringify(this.status)} must be one of ${Object.values(RolloutStatus).join(', ')}`);
    if (!Number.isInteger(this.minStepSeconds) || this.minStepSeconds < 0) problems.push(`minStepSeconds ${JSON.stringify(this.minStepSeconds)} must be a whole number of seconds >= 0`);
    if (this.stepStartedAt !== undefined && Number.isNaN(Date.parse(this.stepStartedAt))) problems.push(`stepStartedAt ${JSON.stringify(this.stepStartedAt)} is not an ISO 8601 time`);
    if (!Array.isArray(this.steps)) problems.push(`steps ${JSON.stringify(this.steps)} must be a list of weights, e.g. [5, 25, 50, 100]`);
    else problems.push(...CanaryTraffic.plan(this.plan, { current: this.currentStep })._problems());
    return problems;
  }
}
