// The smallest window of a non-linearizable partition: a run of operations
// that cannot be linearized on its own, from any state the operations before
// it can leave behind. It is what a report shows as "this is where it broke".
//
// Definition. Let the partition's operations be sorted by call position.
// (1) Cut at position t: keep the operations called at or before t; those
//     that had not returned by t become indefinite (return at Infinity, same
//     output), so they may or may not have happened. If the whole history is
//     linearizable so is every cut (keep the linearization's prefix up to t),
//     so the cuts that fail form a suffix of the return positions.
// (2) t* is the return position of the earliest definite operation (in return
//     order) whose cut is not linearizable; H is the cut at t*, m its size.
//     That operation is `endOp`, the completion that breaks the history.
// (3) For a window start w (0 <= w < m), P = H[0, w) and W = H[w, m). The
//     start w is a cut when every definite operation of P returns before the
//     first operation of W is called, so real time puts all of P before all
//     of W. Its start states are the final states of every linearization of P
//     as a history of its own (its indefinite operations optional). A cut w
//     qualifies when W is not linearizable from any of its start states; w = 0
//     always qualifies (its one start state is the initial one).
//     One approximation: an indefinite operation of P is taken to have
//     happened within P or never, not later during W.
// (4) The window is W for the largest qualifying w. It is minimal in this
//     sense: no later cut qualifies. It is reproducible: every step is a
//     deterministic search over the same operations.
// The start states of every w come from one exhaustive search of H: each
// configuration it reaches (linearized set X, state s) is a final state of P
// exactly for the w with max(X) < w and every definite operation below w in X
// (configuration-log.ts), and a search of a non-linearizable history reaches
// every configuration.

import { budgetExpired, type Budget } from './budget.js';
import { ConfigurationLog } from './configuration-log.js';
import { searchRun, type SearchOp } from './search.js';
import type { Model } from './types.js';

export interface WindowFound<S, I, O> {
  /** Indices, in the partition's call order, of the window's operations. */
  readonly indices: readonly number[];
  /** The window's operations as searched: cut at t*, so late returns are Infinity. */
  readonly ops: readonly SearchOp<I, O>[];
  /** Distinct states the window may start from; it is not linearizable from any. */
  readonly startStates: readonly S[];
  /** Partition index of the operation whose return is t*, or null when not found. */
  readonly endOp: number | null;
  /** false when the budget ran out first: the window is then H (or the whole partition). */
  readonly minimal: boolean;
}

interface Cut<I, O> {
  readonly indices: readonly number[];
  readonly ops: readonly SearchOp<I, O>[];
}

type Verdict = 'linearizable' | 'not-linearizable' | 'budget';

/** ops: a non-linearizable partition, sorted by call position. */
export function windowFind<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly SearchOp<I, O>[],
  budget: Budget,
): WindowFound<S, I, O> {
  const init = model.init();
  const whole: WindowFound<S, I, O> = {
    indices: ops.map((_, i) => i),
    ops,
    startStates: [init],
    endOp: null,
    minimal: false,
  };
  if (budgetExpired(budget)) return whole;
  const end = cutEndFind(model, ops, init, budget);
  if (end === null) return whole;
  const cut = cutAt(ops, ops[end]!.ret);
  const fallback: WindowFound<S, I, O> = { ...cut, startStates: [init], endOp: end, minimal: false };
  const log = new ConfigurationLog<S>();
  const outcome = searchRun({ model, ops: cut.ops, init, budget, configurations: log });
  if (outcome.kind !== 'not-linearizable') return fallback;
  const buckets = startStatesByWindowStart(model, log, cut.ops.length);
  const cuts = cutStarts(cut.ops);
  for (let w = cut.ops.length - 1; w >= 0; w--) {
    const states = buckets[w];
    if (!cuts[w]) continue;
    if (states === undefined || states.length === 0) continue;
    const rest = cut.ops.slice(w);
    const verdict = verdictFromEvery(model, rest, states, budget);
    if (verdict === 'budget') return fallback;
    if (verdict === 'not-linearizable')
      return { indices: cut.indices.slice(w), ops: rest, startStates: states, endOp: end, minimal: true };
  }
  return fallback;
}

/** The cut at t: operations called at or before t, those still open made indefinite. */
export function cutAt<I, O>(ops: readonly SearchOp<I, O>[], t: number): Cut<I, O> {
  const indices: number[] = [];
  const cutOps: SearchOp<I, O>[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.call > t) continue;
    indices.push(i);
    cutOps.push(op.ret > t ? { ...op, ret: Infinity } : op);
  }
  return { indices, ops: cutOps };
}

/** cuts[w]: every definite operation before w returns before operation w is called. */
export function cutStarts(ops: readonly SearchOp<unknown, unknown>[]): boolean[] {
  const cuts: boolean[] = [];
  let returnLast = -Infinity;
  for (const op of ops) {
    cuts.push(returnLast < op.call);
    if (op.ret !== Infinity && op.ret > returnLast) returnLast = op.ret;
  }
  return cuts;
}

/** Binary search for the earliest definite return whose cut is not linearizable; null on budget. */
function cutEndFind<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly SearchOp<I, O>[],
  init: S,
  budget: Budget,
): number | null {
  const definite = ops.map((_, i) => i).filter((i) => ops[i]!.ret !== Infinity);
  definite.sort((a, b) => ops[a]!.ret - ops[b]!.ret);
  let low = 0;
  let high = definite.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const outcome = searchRun({ model, ops: cutAt(ops, ops[definite[middle]!]!.ret).ops, init, budget });
    if (outcome.kind === 'budget' || outcome.kind === 'steps') return null;
    if (outcome.kind === 'not-linearizable') high = middle;
    else low = middle + 1;
  }
  return high >= 0 ? definite[high]! : null;
}

/** For each window start w, the distinct states of the configurations that may precede it. */
function startStatesByWindowStart<S>(model: Model<S, unknown, unknown>, log: ConfigurationLog<S>, m: number): S[][] {
  const buckets: S[][] = Array.from({ length: m }, () => []);
  const seen = Array.from({ length: m }, () => new Map<number, S[]>());
  for (let r = 0; r < log.size; r++) {
    const state = log.states[r]!;
    const hash = model.hash(state);
    for (let w = log.lo[r]!; w <= Math.min(log.hi[r]!, m - 1); w++) {
      const same = seen[w]!.get(hash);
      if (same?.some((other) => model.equal(other, state))) continue;
      if (same === undefined) seen[w]!.set(hash, [state]);
      else same.push(state);
      buckets[w]!.push(state);
    }
  }
  return buckets;
}

function verdictFromEvery<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly SearchOp<I, O>[],
  states: readonly S[],
  budget: Budget,
): Verdict {
  for (const init of states) {
    if (budgetExpired(budget)) return 'budget';
    const outcome = searchRun({ model, ops, init, budget });
    if (outcome.kind === 'linearizable') return 'linearizable';
    if (outcome.kind !== 'not-linearizable') return 'budget';
  }
  return 'not-linearizable';
}
