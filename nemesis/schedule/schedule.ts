// nemesis/schedule/: when faults happen. This file turns a schedule kind into
// a pure generator of nemesis steps; schedule-file.ts parses scripted ones,
// whose JSON files live in nemesis/schedules/ (paths the docs and campaigns use).
//
// fixed: every interval the next fault of the list starts, and it is healed
// one interval later. random: quiet and fault periods of 0.5 to 1.5 intervals,
// the fault drawn with equal weight per family from the run's seed. script: the
// steps of a schedule file, once or repeated. Faults never overlap unless a
// script says so.

import type { NodeId } from '../../cluster/topology.js';
import { assert, assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { genList, genUnfold, type Generator } from '../../workloads/generator.js';
import { faultSpecOf } from '../faults/fault-catalog.js';
import type { NemesisStep } from '../nemesis.js';

export const scheduleKinds = ['fixed', 'random'] as const;

export type ScriptStep =
  | { readonly kind: 'start'; readonly fault: string; readonly targets: readonly NodeId[] | null }
  | { readonly kind: 'stop'; readonly fault: string }
  | { readonly kind: 'sleep'; readonly ms: number };

export type ScheduleSpec =
  | { readonly kind: 'fixed' }
  | { readonly kind: 'random' }
  | {
      readonly kind: 'script';
      readonly source: string;
      readonly steps: readonly ScriptStep[];
      readonly repeat: boolean;
    };

/** Shortest and longest period of a random schedule, as shares of the interval. */
const randomPeriodShareMin = 0.5;
const randomPeriodShareMax = 1.5;

export function scheduleGenerator(
  spec: ScheduleSpec,
  faults: readonly string[],
  intervalMs: number,
): Generator<NemesisStep> {
  assert(intervalMs > 0, `a schedule needs a positive interval, got ${intervalMs}`);
  switch (spec.kind) {
    case 'fixed': {
      const order = familiesInterleave(faults);
      return cycleGenerator(
        faults,
        () => intervalMs,
        (cycle) => order[cycle % order.length]!,
      );
    }
    case 'random': {
      const period = (prng: Prng): number =>
        Math.round(intervalMs * (randomPeriodShareMin + prng.next() * (randomPeriodShareMax - randomPeriodShareMin)));
      return cycleGenerator(faults, period, (_, prng) => faultDraw(faults, prng));
    }
    case 'script':
      return scriptGenerator(spec.steps, spec.repeat);
    default:
      return assertNever(spec, 'schedule');
  }
}

export function startStep(fault: string, targets: readonly NodeId[] | null = null): NemesisStep {
  return { kind: 'op', op: { f: `start-${fault}`, value: targets === null ? null : { targets: [...targets] } } };
}

export function stopStep(fault: string): NemesisStep {
  return { kind: 'op', op: { f: `stop-${fault}`, value: null } };
}

interface Cycle {
  readonly cycle: number;
  /** 0 quiet, 1 start, 2 fault period, 3 stop. */
  readonly phase: 0 | 1 | 2 | 3;
  readonly fault: string;
}

/** Quiet, start, fault period, stop, and again with the next fault; endless (the main phase ends it). */
function cycleGenerator(
  faults: readonly string[],
  period: (prng: Prng) => number,
  next: (cycle: number, prng: Prng) => string,
): Generator<NemesisStep> {
  if (faults.length === 0) return genList<NemesisStep>([]);
  return genUnfold<Cycle, NemesisStep>({ cycle: 0, phase: 0, fault: '' }, (state, context) => {
    switch (state.phase) {
      case 0:
        return { op: { kind: 'sleep', ms: period(context.prng) }, state: { ...state, phase: 1 } };
      case 1: {
        const fault = next(state.cycle, context.prng);
        return { op: startStep(fault), state: { ...state, phase: 2, fault } };
      }
      case 2:
        return { op: { kind: 'sleep', ms: period(context.prng) }, state: { ...state, phase: 3 } };
      case 3:
        return { op: stopStep(state.fault), state: { cycle: state.cycle + 1, phase: 0, fault: '' } };
      default:
        return assertNever(state.phase, 'schedule phase');
    }
  });
}

function familyOf(fault: string): string {
  return faultSpecOf(fault)?.family ?? fault;
}

/** One fault of each family in turn (kill-node, partition-node, kill-az, partition-az, ...), so families alternate. */
export function familiesInterleave(faults: readonly string[]): string[] {
  const families = [...new Set(faults.map(familyOf))].map((family) =>
    faults.filter((fault) => familyOf(fault) === family),
  );
  const rounds = Math.max(0, ...families.map((members) => members.length));
  const order: string[] = [];
  for (let round = 0; round < rounds; round++)
    for (const members of families) if (round < members.length) order.push(members[round]!);
  return order;
}

/** Every family has the same weight, shared by its faults in the list. */
function faultDraw(faults: readonly string[], prng: Prng): string {
  const families = [...new Set(faults.map(familyOf))];
  const family = prng.pick(families);
  return prng.pick(faults.filter((fault) => familyOf(fault) === family));
}

function scriptGenerator(steps: readonly ScriptStep[], repeat: boolean): Generator<NemesisStep> {
  if (steps.length === 0) return genList<NemesisStep>([]);
  return genUnfold<number, NemesisStep>(0, (at) => {
    if (at >= steps.length && !repeat) return null;
    const step = steps[at % steps.length]!;
    return { op: scriptStep(step), state: at + 1 };
  });
}

function scriptStep(step: ScriptStep): NemesisStep {
  switch (step.kind) {
    case 'start':
      return startStep(step.fault, step.targets);
    case 'stop':
      return stopStep(step.fault);
    case 'sleep':
      return { kind: 'sleep', ms: step.ms };
    default:
      return assertNever(step, 'script step');
  }
}
