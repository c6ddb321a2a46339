// The list-order check: linearizability of one key of the list-append model
// in O(n log n) when every appended value is unique, where the general search
// explodes (concurrent appends between reads make factorially many lists).
//
// The idea. With unique values a list is fixed by the order of its appends,
// and in any linearization every ok read returns a prefix of the final list.
// (1) So every ok read must be duplicate-free, hold only values some append
//     (ok or info; failed ones are dropped) invoked, and be a prefix of the
//     longest read Q. Otherwise two reads disagree: invalid.
// (2) The list order is then fixed: Q's appends in Q's order, then the ok
//     appends no read shows (tail, by earliest return, see below). Indefinite
//     appends no read shows are dropped: they come after every read's prefix,
//     so leaving them out changes no read.
// (3) Each append i (1-based list position) gets a point t_i in [call_i, ret_i]
//     (event positions; ret is +Infinity when indefinite), nondecreasing in list
//     order. A read r of length k needs a point in [call_r, ret_r] between t_k
//     and t_(k+1), that is t_k <= ret_r and t_(k+1) >= call_r. Folded into
//     bounds: L_i = max(call_i, call of every read of length i-1) and
//     U_i = min(ret_i, ret of every read of length i). Greedily
//     t_i = max(t_(i-1), L_i); the key is linearizable iff t_i <= U_i for all i.
// Reads with no known result (info, or open at the end) constrain nothing. All
// positions are distinct event indices and call < ret, so no tie decides.
//
// Why it is exact. (=>) Take a linearization; drop its indefinite appends
// outside Q (no read sees them). Give each operation the point s_x = the
// largest call among x and the operations before it: s_x <= ret_x, since an
// operation before x called after x returned would break real time. Reads
// are prefixes of the final list, so (1) holds, the list starts with Q, and
// the points meet every bound: L_i <= s_i <= U_i. By induction the greedy
// t_i <= s_i <= U_i on Q's positions (t_i is the least nondecreasing choice
// above the L's). The tail's own order may differ from ours, but every tail
// append x has ret_x >= s_x >= base = max(t_M, calls of reads of length M),
// and in earliest-return order each greedy point is base or a call of a tail
// append y returning no later than x (call_y < ret_y <= ret_x): it fits.
// (<=) Given the greedy points, put read r of length k at max(t_k, call_r),
// which is at most ret_r and t_(k+1). Sort all operations by point, ties by
// list position (append k, then the reads of length k). An operation that
// returns before another is called has a strictly smaller point, so real time
// holds, and each read sits after exactly its k appends: a linearization.

import { assert } from '../../core/assert.js';
import type { JsonValue } from '../../core/history.js';
import { jsonKey } from './json-value.js';
import type { ListInput, ListOutput } from './models/list-append.js';
import type { SearchOp } from './search.js';

export type ListOp = SearchOp<ListInput, ListOutput>;

export type ReadProblem = 'unknown-value' | 'duplicate-value' | 'order';

/** An ok read that no list explains, found in step (1). Indices point into the partition's ops. */
export interface ReadConflict {
  readonly kind: 'read-conflict';
  readonly problem: ReadProblem;
  readonly read: number;
  /** The read's first position that cannot be. */
  readonly position: number;
  /** The longest read (Q) that the others are compared with. */
  readonly reference: number;
  /** The appends of read[0, position), the part not in question, in list order. */
  readonly agreed: readonly number[];
}

/** Step (3) failed: append `order[position]` has no point in [L, U]. */
export interface BoundConflict {
  readonly kind: 'bound-conflict';
  /** The appends in list order (step 2). */
  readonly order: readonly number[];
  /** readsByLength[k]: the ok reads of k values, by call. */
  readonly readsByLength: readonly (readonly number[])[];
  /** 0-based list position of the append whose bound failed. */
  readonly position: number;
  /** The operation whose call set the greedy point: an append, or a read of `pusherPosition` values. */
  readonly pusher: number;
  readonly pusherPosition: number;
  /** The operation whose return set U: the append itself, or a read of position + 1 values. */
  readonly bounder: number;
  readonly bound: number;
  /** The length of the longest read (Q). */
  readonly referenceLength: number;
}

export type ListOrderOutcome =
  { readonly kind: 'not-unique' } | { readonly kind: 'linearizable' } | ReadConflict | BoundConflict;

/** ops: one partition of the list-append model, sorted by call. 'not-unique' when two appends share a value. */
export function listOrderCheck(ops: readonly ListOp[]): ListOrderOutcome {
  const appends = appendsByValue(ops);
  if (appends === null) return { kind: 'not-unique' };
  const reads = ops.flatMap((op, i) => (op.input.f === 'read' && op.output !== null ? [i] : []));
  const validated = readsValidate(ops, reads, appends);
  if (validated.kind === 'read-conflict') return validated;
  const order = listOrder(ops, validated.listed);
  const readsByLength: number[][] = Array.from({ length: validated.listed.length + 1 }, () => []);
  for (const read of reads) readsByLength[ops[read]!.output!.values.length]!.push(read);
  return pointsAssign(ops, order, readsByLength, validated.listed.length);
}

/** Append op indices by value key, or null when a value is appended twice. */
function appendsByValue(ops: readonly ListOp[]): Map<number | string, number> | null {
  const appends = new Map<number | string, number>();
  for (let i = 0; i < ops.length; i++) {
    const input = ops[i]!.input;
    if (input.f !== 'append') continue;
    const key = jsonKey(input.value);
    if (appends.has(key)) return null;
    appends.set(key, i);
  }
  return appends;
}

type Validated = { readonly kind: 'agreed'; readonly listed: readonly number[] } | ReadConflict;

/** Step (1): the longest read is checked on its own, every other read against it value by value. */
function readsValidate(
  ops: readonly ListOp[],
  reads: readonly number[],
  appends: ReadonlyMap<number | string, number>,
): Validated {
  let reference = -1;
  for (const read of reads) if (reference < 0 || readLength(ops, read) > readLength(ops, reference)) reference = read;
  if (reference < 0) return { kind: 'agreed', listed: [] };
  const values = ops[reference]!.output!.values;
  const keys: (number | string)[] = [];
  const listed: number[] = [];
  const positionOf = new Map<number, number>();
  const conflict = (problem: ReadProblem, read: number, position: number): ReadConflict => ({
    kind: 'read-conflict',
    problem,
    read,
    position,
    reference,
    agreed: listed.slice(0, position),
  });
  for (let d = 0; d < values.length; d++) {
    const key = jsonKey(values[d]!);
    const append = appends.get(key);
    if (append === undefined) return conflict('unknown-value', reference, d);
    if (positionOf.has(append)) return conflict('duplicate-value', reference, d);
    positionOf.set(append, d);
    listed.push(append);
    keys.push(key);
  }
  for (const read of reads) {
    const seen = ops[read]!.output!.values;
    for (let d = 0; d < seen.length; d++) {
      // The same number, string or object is the same value: most reads pass here without a key.
      if (seen[d] === values[d]) continue;
      const key = jsonKey(seen[d]!);
      if (key === keys[d]) continue;
      const append = appends.get(key);
      if (append === undefined) return conflict('unknown-value', read, d);
      return conflict((positionOf.get(append) ?? d) < d ? 'duplicate-value' : 'order', read, d);
    }
  }
  return { kind: 'agreed', listed };
}

function readLength(ops: readonly ListOp[], read: number): number {
  return ops[read]!.output!.values.length;
}

/** Step (2): the longest read's appends, then the ok appends no read shows, by return. */
function listOrder(ops: readonly ListOp[], listed: readonly number[]): number[] {
  const inReads = new Set(listed);
  const tail: number[] = [];
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i]!;
    if (op.input.f === 'append' && op.ret !== Infinity && !inReads.has(i)) tail.push(i);
  }
  tail.sort((a, b) => ops[a]!.ret - ops[b]!.ret);
  return [...listed, ...tail];
}

/**
 * Step (3): the least nondecreasing points above the L bounds, each checked
 * against its U bound. The operation whose call last raised the point is kept:
 * it is half of the evidence when a bound fails.
 */
function pointsAssign(
  ops: readonly ListOp[],
  order: readonly number[],
  readsByLength: readonly (readonly number[])[],
  referenceLength: number,
): ListOrderOutcome {
  let point = -Infinity;
  let pusher = -1;
  let pusherPosition = -1;
  for (let position = 0; position < order.length; position++) {
    const append = order[position]!;
    // L: the append's own call, and the calls of the reads that must precede it (they lack it).
    const before = readsByLength[position] ?? [];
    for (let r = -1; r < before.length; r++) {
      const op = r < 0 ? append : before[r]!;
      if (ops[op]!.call <= point) continue;
      point = ops[op]!.call;
      pusher = op;
      pusherPosition = position;
    }
    // U: the append's own return, and the returns of the reads that must follow it (they end with it).
    let bound = ops[append]!.ret;
    let bounder = append;
    for (const read of readsByLength[position + 1] ?? []) {
      if (ops[read]!.ret >= bound) continue;
      bound = ops[read]!.ret;
      bounder = read;
    }
    if (point > bound)
      return {
        kind: 'bound-conflict',
        order,
        readsByLength,
        position,
        pusher,
        pusherPosition,
        bounder,
        bound,
        referenceLength,
      };
  }
  return { kind: 'linearizable' };
}

/** The appended value of an append operation (for descriptions). */
export function appendValue(op: ListOp): JsonValue {
  assert(op.input.f === 'append', 'appendValue of an append');
  return op.input.value;
}
