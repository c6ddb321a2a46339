// Generators are pure descriptions of what to invoke next (Jepsen style): a
// generator, asked with a context, returns one operation and the generator for
// the rest, or says it is done. Only the interpreter owns time and concurrency.

import { assert } from '../core/assert.js';
import type { ProcessId } from '../core/history.js';
import type { Prng } from '../core/prng.js';

export interface GenContext {
  /** The run's generator stream; the only source of randomness a generator may use. */
  readonly prng: Prng;
  /** The logical process the operation will run on (the nemesis for fault schedules). */
  readonly process: ProcessId;
  /** Nanoseconds since the run started. */
  readonly timeNs: number;
}

export type GenStep<T> =
  { readonly kind: 'op'; readonly op: T; readonly next: Generator<T> } | { readonly kind: 'done' };

export interface Generator<T> {
  op(context: GenContext): GenStep<T>;
}

const done: GenStep<never> = Object.freeze({ kind: 'done' });

/** A generator that is already exhausted. */
export function genEmpty<T>(): Generator<T> {
  return { op: () => done };
}

/** An endless generator threading an immutable state; `step` returns null to end it. */
export function genUnfold<S, T>(
  state: S,
  step: (state: S, context: GenContext) => { readonly op: T; readonly state: S } | null,
): Generator<T> {
  return {
    op: (context) => {
      const out = step(state, context);
      return out === null ? done : { kind: 'op', op: out.op, next: genUnfold(out.state, step) };
    },
  };
}

/** Each operation of the list once, in order. */
export function genList<T>(ops: readonly T[], from = 0): Generator<T> {
  return {
    op: () => (from >= ops.length ? done : { kind: 'op', op: ops[from]!, next: genList(ops, from + 1) }),
  };
}

/** At most `count` operations of `gen`. */
export function genLimit<T>(count: number, gen: Generator<T>): Generator<T> {
  assert(Number.isInteger(count) && count >= 0, `genLimit count must be a non-negative integer, got ${count}`);
  return {
    op: (context) => {
      if (count === 0) return done;
      const step = gen.op(context);
      return step.kind === 'done' ? done : { kind: 'op', op: step.op, next: genLimit(count - 1, step.next) };
    },
  };
}

export interface GenWeighted<T> {
  readonly weight: number;
  readonly gen: Generator<T>;
}

/**
 * Picks one of the generators by weight for every operation; an exhausted one
 * drops out, and the mix is done when all are.
 */
export function genMix<T>(entries: readonly GenWeighted<T>[]): Generator<T> {
  for (const entry of entries) assert(entry.weight > 0, `genMix weights must be positive, got ${entry.weight}`);
  return {
    op: (context) => {
      let live = entries;
      while (live.length > 0) {
        const chosen = weightedIndex(live, context.prng);
        const step = live[chosen]!.gen.op(context);
        if (step.kind === 'op') {
          const rest = live.map((entry, i) => (i === chosen ? { weight: entry.weight, gen: step.next } : entry));
          return { kind: 'op', op: step.op, next: genMix(rest) };
        }
        live = live.filter((_, i) => i !== chosen);
      }
      return done;
    },
  };
}

/** All of `first`, then all of `second`, with no barrier between them. */
export function genConcat<T>(first: Generator<T>, second: Generator<T>): Generator<T> {
  return {
    op: (context) => {
      const step = first.op(context);
      return step.kind === 'done'
        ? second.op(context)
        : { kind: 'op', op: step.op, next: genConcat(step.next, second) };
    },
  };
}

/** Draws up to `count` operations without running them: for tests and previews. */
export function genTake<T>(gen: Generator<T>, count: number, context: GenContext): T[] {
  const out: T[] = [];
  let current = gen;
  while (out.length < count) {
    const step = current.op(context);
    if (step.kind === 'done') break;
    out.push(step.op);
    current = step.next;
  }
  return out;
}

function weightedIndex<T>(entries: readonly GenWeighted<T>[], prng: Prng): number {
  let total = 0;
  for (const entry of entries) total += entry.weight;
  let point = prng.next() * total;
  for (let i = 0; i < entries.length; i++) {
    point -= entries[i]!.weight;
    if (point < 0) return i;
  }
  return entries.length - 1;
}
