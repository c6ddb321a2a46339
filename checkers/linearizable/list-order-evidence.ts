// The failure evidence of the list-order check (list-order.ts), in the shape
// the report draws for the general search: the longest linearizable prefix
// with its states, the breaking operation, and a window.
//
// Longest prefix: the greedy schedule up to the violation, in linearization
// order (the reads of k values right after the k-th append, by call). For a
// bound that failed at list position i: the appends before i, the reads of
// fewer values, and the reads of i-1 values called before the bound. For a
// read that disagrees: the appends of the values it shares with the longest
// read, cut where real time first forbids them. Either is a linearization of
// its operations.
// Breaking op: the operation whose return bound failed (append i itself, or a
// read that shows append i), or the read that disagrees.
// Window: the fewest operations that prove the violation on their own (drop
// any one and the contradiction is gone), so `windowMinimal` is true:
// - a failed bound: the pusher P and the bounder B. B returned before P was
//   called, yet the list order puts P first: P is a read that lacks append i
//   while B is append i or a read showing it, or P is an append that B, a
//   read, shows. When both are appends, add the shortest read W that fixes
//   their order: it shows P's value before B's, or (B in the tail of the
//   order) P's value without B's.
// - a read with a value never appended, or a value twice: that read alone.
// - two reads that disagree: the read and the longest read.

import { assert } from '../../core/assert.js';
import type { JsonValue } from '../../core/history.js';
import { textCut } from './json-value.js';
import type { BoundConflict, ListOp, ReadConflict } from './list-order.js';
import { appendValue } from './list-order.js';
import { listPrefixDescribe } from './models/list-append.js';
import type { LinOp, PartitionFailure } from './types.js';

/** One step of a prefix: the operation and the number of values the list holds after it. */
interface Step {
  readonly op: number;
  readonly length: number;
}

/** ops: the partition as checked (sorted by call); conflict indices point into it. */
export function listOrderFailure(
  key: string | null,
  ops: readonly (ListOp & LinOp)[],
  conflict: ReadConflict | BoundConflict,
  window: boolean,
): PartitionFailure {
  const bounded = conflict.kind === 'bound-conflict';
  const steps = bounded ? boundPrefix(ops, conflict) : readPrefix(ops, conflict);
  const listed = bounded ? conflict.order : conflict.agreed;
  const values = listed.slice(0, steps.at(-1)?.length ?? 0).map((append) => appendValue(ops[append]!));
  const windowOps = bounded
    ? boundWindow(conflict)
    : conflict.problem === 'order'
      ? [conflict.read, conflict.reference]
      : [conflict.read];
  return {
    key,
    longestPrefix: steps.map((step) => ops[step.op]!.id),
    prefixStates: statesDescribe(values, steps),
    breakingOp: ops[bounded ? conflict.bounder : conflict.read]!.id,
    window: window ? [...new Set(windowOps)].sort((a, b) => a - b).map((op) => ops[op]!.id) : [],
    windowMinimal: window,
    operations: ops,
  };
}

function boundPrefix(ops: readonly ListOp[], conflict: BoundConflict): Step[] {
  const steps: Step[] = [];
  for (let length = 0; length <= conflict.position; length++) {
    for (const read of conflict.readsByLength[length] ?? []) {
      if (length < conflict.position || ops[read]!.call < conflict.bound) steps.push({ op: read, length });
    }
    if (length < conflict.position) steps.push({ op: conflict.order[length]!, length: length + 1 });
  }
  return steps;
}

function readPrefix(ops: readonly ListOp[], conflict: ReadConflict): Step[] {
  const steps: Step[] = [];
  let point = -Infinity;
  for (const append of conflict.agreed) {
    point = Math.max(point, ops[append]!.call);
    if (point > ops[append]!.ret) break;
    steps.push({ op: append, length: steps.length + 1 });
  }
  return steps;
}

function boundWindow(conflict: BoundConflict): number[] {
  const { pusher, bounder } = conflict;
  const appends = conflict.order;
  if (appends[conflict.pusherPosition] !== pusher || appends[conflict.position] !== bounder) return [pusher, bounder];
  // Both are appends: a read showing the bounder's value shows the pusher's first;
  // with the bounder in the tail, a read showing the pusher's value lacks the bounder's.
  const shown = conflict.position < conflict.referenceLength ? conflict.position : conflict.pusherPosition;
  for (let length = shown + 1; length < conflict.readsByLength.length; length++) {
    const witness = conflict.readsByLength[length]![0];
    if (witness !== undefined) return [pusher, bounder, witness];
  }
  assert(false, 'the order of two appends is shown by some read');
}

/** States after each step, described once per list length (reads leave the list as it is). */
function statesDescribe(values: readonly JsonValue[], steps: readonly Step[]): string[] {
  const states: string[] = [];
  let length = -1;
  let described = '';
  for (const step of steps) {
    if (step.length !== length) {
      length = step.length;
      described = textCut(listPrefixDescribe(values, length));
    }
    states.push(described);
  }
  return states;
}
