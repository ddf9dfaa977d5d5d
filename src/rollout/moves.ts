import { RolloutState, RolloutStatus } from './rollout-state';

/** A move of the rollout: the new state, or why it is refused. @internal */
export type Move = { readonly state: RolloutState; readonly refused?: undefined; readonly unhealthy?: undefined }
  | { readonly state?: undefined; readonly refused: string; readonly unhealthy?: boolean };

/** What a person or a CI job should do next, in one line. @internal */
export function nextAction(state: RolloutState): string {
  if (!state.candidate) return 'start a rollout: set "candidate" in the state file';
  if (state.status === RolloutStatus.ABORTED) return `all traffic is on ${state.stable}: fix the candidate and set a new one, or promote it anyway`;
  if (state.status === RolloutStatus.PAUSED) return 'resume, then advance';
  if (state.status === RolloutStatus.PROMOTING) return `promote again once stable's pods run ${state.stable} (after the dwell time), to send it the traffic`;
  if (state.atLastStep) return `promote ${state.candidate} (it takes ${state.candidateWeight} %)`;
  return `advance to ${state.plan[state.currentStep + 1]} when the health gates pass`;
}

/** One step further, when the rollout may move (the health gates are checked by the caller). @internal */
export function advance(state: RolloutState, now: Date): Move {
  if (!state.candidate) return { refused: 'no candidate: nothing to advance' };
  if (state.status !== RolloutStatus.PROGRESSING) return { refused: `the rollout is ${state.status}` + (state.status === RolloutStatus.PAUSED ? ': resume it first' : '') };
  if (state.atLastStep) return { refused: `already at the last step (${state.plan[state.currentStep]}): promote` };
  const wait = dwellRefusal(state, now);
  if (wait) return { refused: wait };
  return { state: with_(state, { currentStep: state.currentStep + 1, stepStartedAt: now.toISOString() }) };
}

/** Refused while the current step is younger than the dwell time. */
function dwellRefusal(state: RolloutState, now: Date): string | undefined {
  if (state.minStepSeconds === 0 || !state.stepStartedAt) return undefined;
  const dwelt = (now.getTime() - Date.parse(state.stepStartedAt)) / 1000;
  if (dwelt >= state.minStepSeconds) return undefined;
  return `step ${state.currentStep} began ${Math.floor(dwelt)} s ago; it must last ${state.minStepSeconds} s (${Math.ceil(state.minStepSeconds - dwelt)} s to go)`;
}

/**
 * The candidate becomes stable, in two commits so that no request meets a stable variant whose
 * pods are being replaced: first stable takes the candidate's version and starts its pods while the
 * candidate answers everything (`promoting`); then, after the dwell time, stable takes the traffic
 * and the candidate goes. Nothing is renamed. @internal
 */
export function promote(state: RolloutState, now: Date): Move {
  if (!state.candidate) return { refused: 'no candidate to promote' };
  if (state.status !== RolloutStatus.PROMOTING) {
    return { state: with_(state, { stable: state.candidate, status: RolloutStatus.PROMOTING, stepStartedAt: now.toISOString() }) };
  }
  const wait = dwellRefusal(state, now);
  if (wait) return { refused: `stable's pods may not be ready: ${wait}` };
  return { state: with_(state, { candidate: undefined, currentStep: 0, status: RolloutStatus.PROGRESSING, stepStartedAt: now.toISOString() }) };
}

/** All traffic back to stable. @internal */
export function abort(state: RolloutState): Move {
  if (!state.candidate) return { refused: 'no candidate: nothing to abort' };
  if (state.status === RolloutStatus.ABORTED) return { refused: 'already aborted' };
  if (state.status === RolloutStatus.PROMOTING) {
    return { refused: `the promotion has begun: stable already runs ${state.stable}; to go back, roll out the previous version as a new candidate` };
  }
  return { state: with_(state, { status: RolloutStatus.ABORTED }) };
}

/** Hold the current step. @internal */
export function pause(state: RolloutState): Move {
  if (!state.candidate) return { refused: 'no candidate: nothing to pause' };
  if (state.status !== RolloutStatus.PROGRESSING) return { refused: `the rollout is ${state.status}` };
  return { state: with_(state, { status: RolloutStatus.PAUSED }) };
}

/** Go on after a pause. @internal */
export function resume(state: RolloutState, now: Date): Move {
  if (state.status !== RolloutStatus.PAUSED) return { refused: `the rollout is ${state.status}, not paused` };
  return { state: with_(state, { status: RolloutStatus.PROGRESSING, stepStartedAt: now.toISOString() }) };
}

function with_(state: RolloutState, change: Partial<ReturnType<RolloutState['toData']>>): RolloutState {
  return RolloutState.of({ ...state.toData(), ...change });
}
