// The generator language of fault schedules, in the spirit of Jepsen's
// generators: small pure combinators over Generator<PlanStep> (the shape of
// workloads/generator.ts) that compose sequences, seeded choices, random gaps,
// alternation, bounded repeats, time-boxed phases and concurrent lanes. Every
// random draw is made from the context's Prng when the step is asked for, so
// one seed gives one schedule. untilOk (lane.ts) is the one combinator that
// reads what happened: the outcome of the lane's last operation, at run time.

import { assert } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { genEmpty, genList, type GenContext, type Generator, type GenStep } from '../../workloads/generator.js';
import { sleepStep, soloStep, stopPlanStep, type PlanStep } from './plan.js';

export type Sched = Generator<PlanStep>;
/** A part of a sequence: a generator, or one step given as is. */
export type SchedPart = Sched | PlanStep;

/** Bound on the repeats of one cycle. */
export const cycleTimesMax = 10_000;
/** Gaps drawn around a mean fall in [mean * share, mean * (2 - share)). */
const gapShareMin = 0.5;
/** The time a start or a stop is counted as taking when a schedule is fitted into a time budget. */
export const opCostMs = 200;
/** The time an await is counted as taking at most, when fitted into a time budget. */
export const awaitCostMsMax = 1000;

const done: GenStep<never> = Object.freeze({ kind: 'done' });

function isSched(part: SchedPart): part is Sched {
  return typeof (part as Partial<Sched>).op === 'function';
}

/** Lanes that run concurrently, each a sequence of its parts; a fault must belong to one lane only. */
export function lanes(...parts: readonly SchedPart[]): readonly Sched[] {
  return Object.freeze(parts.map(schedOf));
}

/** A part as a generator. */
export function schedOf(part: SchedPart): Sched {
  return isSched(part) ? part : genList([part]);
}

/** Every part in order: the first to its end, then the next. */
export function seq(...parts: readonly SchedPart[]): Sched {
  const gens = parts.map(schedOf);
  const from = (index: number, current: Sched | null): Sched => ({
    op: (context) => {
      let at = index;
      let gen = current ?? gens[at];
      while (gen !== undefined) {
        const step = gen.op(context);
        if (step.kind === 'op') return { kind: 'op', op: step.op, next: from(at, step.next) };
        at += 1;
        gen = gens[at];
      }
      return done;
    },
  });
  return gens.length === 0 ? genEmpty() : from(0, null);
}

/** One sleep drawn uniformly around `meanMs` (half to one and a half of it). */
export function pause(meanMs: number): Sched {
  assert(meanMs >= 0, `pause needs a mean of at least 0 ms, got ${meanMs}`);
  return { op: (context) => ({ kind: 'op', op: sleepStep(gapDraw(meanMs, context.prng)), next: genEmpty() }) };
}

/** A random gap around `meanMs` before every step of `gen`. */
export function stagger(meanMs: number, gen: Sched): Sched {
  const gapThen = (current: Sched): Sched => ({
    op: (context) => {
      const step = current.op(context);
      if (step.kind === 'done') return done;
      const gap = sleepStep(gapDraw(meanMs, context.prng));
      return { kind: 'op', op: gap, next: stepThen(step.op, step.next) };
    },
  });
  const stepThen = (op: PlanStep, rest: Sched): Sched => ({
    op: () => ({ kind: 'op', op, next: gapThen(rest) }),
  });
  return gapThen(gen);
}

export interface SchedWeighted {
  readonly weight: number;
  readonly gen: Sched;
}

/** One of the entries, drawn by weight when the mix is first asked, played to its end. */
export function mix(entries: readonly SchedWeighted[]): Sched {
  for (const entry of entries) assert(entry.weight > 0, `mix weights must be positive, got ${entry.weight}`);
  return {
    op: (context) => {
      if (entries.length === 0) return done;
      return entries[weightedIndex(entries, context.prng)]!.gen.op(context);
    },
  };
}

/** `gen` played `times` times in a row (draws are made anew each time). */
export function cycle(times: number, gen: Sched): Sched {
  assert(Number.isInteger(times) && times >= 0 && times <= cycleTimesMax, `cycle times out of range: ${times}`);
  const round = (left: number, current: Sched): Sched => ({
    op: (context) => {
      let playing = current;
      for (let rounds = left; rounds > 0; rounds--) {
        const step = playing.op(context);
        if (step.kind === 'op') return { kind: 'op', op: step.op, next: round(rounds, step.next) };
        playing = gen;
      }
      return done;
    },
  });
  return round(times, gen);
}

/** A step of `a`, then one of `b`, and so on, until either is done (Jepsen's flip-flop). */
export function flipFlop(a: Sched, b: Sched): Sched {
  return {
    op: (context) => {
      const step = a.op(context);
      return step.kind === 'done' ? done : { kind: 'op', op: step.op, next: flipFlop(b, step.next) };
    },
  };
}

/** A generator built when first asked, from the context (a shuffle that differs per round, say). */
export function deferred(build: (context: GenContext) => Sched): Sched {
  return { op: (context) => build(context).op(context) };
}

export interface SchedPhase {
  readonly ms: number;
  readonly gen: SchedPart;
}

/**
 * Time-boxed phases: each phase takes exactly its `ms` of schedule time (padded
 * with a sleep when its generator ends early, cut when it runs over, with a
 * stop for every fault it left started), so lanes built with the same phases
 * change phase at the same moments.
 */
export function phases(...list: readonly SchedPhase[]): Sched {
  return seq(...list.map((phase) => timeBox(phase.ms, schedOf(phase.gen), { pad: true })));
}

/** What a step is counted as taking when a schedule is fitted into a time budget. */
export function stepCostMs(step: PlanStep): number {
  switch (step.kind) {
    case 'sleep':
      return step.ms;
    case 'start':
    case 'stop':
      return opCostMs;
    case 'await':
      return Math.min(step.timeoutMs, awaitCostMsMax);
    case 'burst':
    case 'mark':
    case 'solo':
      return 0;
  }
}

interface BoxState {
  readonly usedMs: number;
  readonly open: readonly string[];
  /** A solo began in the box and has not ended: the box ends it. */
  readonly solo: boolean;
}

export interface TimeBoxOptions {
  /** Fill a box whose generator ended early with a sleep to its end. */
  readonly pad: boolean;
  /** What a step is counted as taking; stepCostMs by default. */
  readonly costOf?: (step: PlanStep) => number;
}

/**
 * `gen` within `budgetMs`: the first step that would run over is cut (a sleep
 * to the budget's end, anything else dropped), and every fault the box left
 * started is stopped (and a solo it began is ended).
 */
export function timeBox(budgetMs: number, gen: Sched, options: TimeBoxOptions): Sched {
  const { pad, costOf = stepCostMs } = options;
  const box = (current: Sched, state: BoxState): Sched => ({
    op: (context) => {
      const step = current.op(context);
      if (step.kind === 'op' && state.usedMs + costOf(step.op) <= budgetMs) {
        return { kind: 'op', op: step.op, next: box(step.next, boxAdvance(state, step.op, costOf(step.op))) };
      }
      const stops = [...state.open.map(stopPlanStep), ...(state.solo ? [soloStep(false)] : [])];
      const leftMs = budgetMs - state.usedMs - stops.reduce((sum, stop) => sum + costOf(stop), 0);
      const fill = pad || (step.kind === 'op' && step.op.kind === 'sleep');
      const closing = [...(fill && leftMs > 0 ? [sleepStep(leftMs)] : []), ...stops];
      return genList(closing).op(context);
    },
  });
  return box(gen, { usedMs: 0, open: [], solo: false });
}

function boxAdvance(state: BoxState, step: PlanStep, costMs: number): BoxState {
  const usedMs = state.usedMs + costMs;
  if (step.kind === 'start' && !state.open.includes(step.fault))
    return { ...state, usedMs, open: [...state.open, step.fault] };
  if (step.kind === 'stop') return { ...state, usedMs, open: state.open.filter((fault) => fault !== step.fault) };
  if (step.kind === 'solo') return { ...state, usedMs, solo: step.begin };
  return { ...state, usedMs };
}

function gapDraw(meanMs: number, prng: Prng): number {
  return meanMs * (gapShareMin + prng.next() * 2 * (1 - gapShareMin));
}

function weightedIndex(entries: readonly SchedWeighted[], prng: Prng): number {
  let total = 0;
  for (const entry of entries) total += entry.weight;
  let point = prng.next() * total;
  for (let i = 0; i < entries.length; i++) {
    point -= entries[i]!.weight;
    if (point < 0) return i;
  }
  return entries.length - 1;
}
