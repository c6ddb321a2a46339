// One lane of a plan as the nemesis loop runs it: a generator of nemesis
// operations, sleeps and bursts. A start with several attempts becomes
// untilOk, which reads the outcome of the lane's last operation from the
// context the loop passes (LaneContext).

import { assertNever } from '../../core/assert.js';
import type { JsonValue } from '../../core/history.js';
import {
  genEmpty,
  genList,
  genUnfold,
  type GenContext,
  type Generator,
  type GenStep,
} from '../../workloads/generator.js';
import type { NemesisOp, NemesisOutcome, NemesisStep } from '../nemesis.js';
import { untilOkGapMs, type PlanLane, type PlanStep, type PlanTargets } from './plan.js';

/** What a lane asks the loop for: a nemesis step, extra client load for a while, or to play alone (plan.ts). */
export type LaneStep =
  | NemesisStep
  | { readonly kind: 'burst'; readonly clients: number; readonly forMs: number }
  | { readonly kind: 'solo'; readonly begin: boolean };

/** The context the nemesis loop gives a lane: the outcome of the lane's last operation (null before any). */
export interface LaneContext extends GenContext {
  readonly outcomeLast: NemesisOutcome | null;
}

/** The lane's last outcome, or null where the context carries none (a plain generator context). */
export function outcomeLastOf(context: GenContext): NemesisOutcome | null {
  return 'outcomeLast' in context ? (context as LaneContext).outcomeLast : null;
}

/** The lane's steps in order, once or (repeat) again and again; the loop's bounds end a repeated lane. */
export function laneGenerator(lane: PlanLane, repeat = false): Generator<LaneStep> {
  if (lane.length === 0) return genEmpty();
  const from = (at: number): Generator<LaneStep> => ({
    op: (context) => {
      if (at >= lane.length && !repeat) return { kind: 'done' };
      const step = lane[at % lane.length]!;
      return thenFrom(laneStepGenerator(step), () => from(at + 1)).op(context);
    },
  });
  return from(0);
}

/**
 * Repeats `op` until an outcome is ok, at most `attemptsMax` times, `gapMs`
 * apart; each retry is decided from the outcome the loop reports in the context.
 */
export function untilOk(op: NemesisOp, attemptsMax: number, gapMs: number = untilOkGapMs): Generator<LaneStep> {
  type State = { readonly attempt: number; readonly phase: 'invoke' | 'judge' };
  return genUnfold<State, LaneStep>({ attempt: 1, phase: 'invoke' }, (state, context) => {
    switch (state.phase) {
      case 'invoke':
        return { op: { kind: 'op', op }, state: { ...state, phase: 'judge' } };
      case 'judge': {
        const outcome = outcomeLastOf(context);
        if (outcome === null || outcome.ok || state.attempt >= attemptsMax) return null;
        return { op: { kind: 'sleep', ms: gapMs }, state: { attempt: state.attempt + 1, phase: 'invoke' } };
      }
      default:
        return assertNever(state.phase, 'untilOk phase');
    }
  });
}

export function laneStepGenerator(step: PlanStep): Generator<LaneStep> {
  switch (step.kind) {
    case 'sleep':
      return genList<LaneStep>([{ kind: 'sleep', ms: step.ms }]);
    case 'burst':
      return genList<LaneStep>([{ kind: 'burst', clients: step.clients, forMs: step.forMs }]);
    case 'start': {
      const op: NemesisOp = { f: `start-${step.fault}`, value: targetsValue(step.targets) };
      return step.attempts > 1 ? untilOk(op, step.attempts) : genList<LaneStep>([{ kind: 'op', op }]);
    }
    case 'stop':
      return genList<LaneStep>([{ kind: 'op', op: { f: `stop-${step.fault}`, value: null } }]);
    case 'mark':
      return genEmpty();
    case 'solo':
      return genList<LaneStep>([{ kind: 'solo', begin: step.begin }]);
    case 'await':
      return genList<LaneStep>([
        { kind: 'op', op: { f: `await-${step.event}`, value: { timeoutMs: step.timeoutMs } } },
      ]);
    default:
      return assertNever(step, 'plan step');
  }
}

/** A start's request as the history records it: {targets: [...]}, {aim, count?}, or null. */
export function targetsValue(targets: PlanTargets): JsonValue {
  if (targets === null) return null;
  if (Array.isArray(targets)) return { targets: [...(targets as readonly string[])] };
  const aim = targets as Exclude<PlanTargets, readonly unknown[] | null>;
  return aim.count === undefined ? { aim: aim.aim } : { aim: aim.aim, count: aim.count };
}

/** All of `first`, then the generator `rest` builds (lazily, so an endless lane is never built ahead). */
function thenFrom<T>(first: Generator<T>, rest: () => Generator<T>): Generator<T> {
  return {
    op: (context): GenStep<T> => {
      const step = first.op(context);
      return step.kind === 'done' ? rest().op(context) : { kind: 'op', op: step.op, next: thenFrom(step.next, rest) };
    },
  };
}
