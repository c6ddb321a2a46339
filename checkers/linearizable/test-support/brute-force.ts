// A brute-force linearizability checker for tests: it tries every order of the
// operations that respects real time, with no cache and no cleverness, so it
// is easy to believe and fit only for a handful of operations.

import type { SearchOp } from '../search.js';
import type { Model } from '../types.js';

/** true when some linearization of every definite op (indefinite ones optional) exists from init. */
export function bruteLinearizable<S, I, O>(model: Model<S, I, O>, ops: readonly SearchOp<I, O>[], init: S): boolean {
  return bruteFinalStates(model, ops, init, true).length > 0;
}

/** Every state a linearization can end in (deduplicated), or the first one found when firstOnly. */
export function bruteFinalStates<S, I, O>(
  model: Model<S, I, O>,
  ops: readonly SearchOp<I, O>[],
  init: S,
  firstOnly = false,
): S[] {
  const done = ops.map(() => false);
  const finals: S[] = [];
  const visit = (state: S): boolean => {
    if (ops.every((op, i) => done[i] || op.ret === Infinity)) {
      if (!finals.some((other) => model.equal(other, state))) finals.push(state);
      if (firstOnly) return true;
    }
    for (let i = 0; i < ops.length; i++) {
      if (done[i] || !mayGoNext(ops, done, i)) continue;
      const next = model.step(state, ops[i]!.input, ops[i]!.output);
      if (next === undefined) continue;
      done[i] = true;
      const stop = visit(next);
      done[i] = false;
      if (stop) return true;
    }
    return false;
  };
  visit(init);
  return finals;
}

/** Op i may be linearized next when no other pending op returned before i was called. */
function mayGoNext(ops: readonly SearchOp<unknown, unknown>[], done: readonly boolean[], i: number): boolean {
  return ops.every((other, j) => done[j] || j === i || !(other.ret < ops[i]!.call));
}
