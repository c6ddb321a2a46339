// The doubly linked list of call and return entries that the just-in-time
// linearization walks (Wing & Gong, Lowe). Lifting an operation unlinks its two
// entries in O(1); unlifting puts them back in reverse order (dancing links).

import { assert } from '../../core/assert.js';

interface Positioned {
  readonly call: number;
  readonly ret: number;
}

/**
 * Entry i (0 <= i < n) is the call of operation i, entry n + i its return;
 * n*2 is the head sentinel, n*2 + 1 the tail sentinel. Operations must be
 * sorted by call position.
 */
export class EntryList {
  readonly next: Int32Array;
  readonly prev: Int32Array;
  readonly head: number;
  readonly tail: number;
  private readonly n: number;

  constructor(ops: readonly Positioned[]) {
    const n = ops.length;
    this.n = n;
    this.head = 2 * n;
    this.tail = 2 * n + 1;
    this.next = new Int32Array(2 * n + 2);
    this.prev = new Int32Array(2 * n + 2);
    this.link(entryOrder(ops));
  }

  /** Removes operation op's call and return entries. */
  lift(op: number): void {
    const next = this.next,
      prev = this.prev;
    const ret = op + this.n;
    next[prev[op]!] = next[op]!;
    prev[next[op]!] = prev[op]!;
    next[prev[ret]!] = next[ret]!;
    prev[next[ret]!] = prev[ret]!;
  }

  /** Puts operation op's entries back; only valid in reverse order of lift. */
  unlift(op: number): void {
    const next = this.next,
      prev = this.prev;
    const ret = op + this.n;
    next[prev[ret]!] = ret;
    prev[next[ret]!] = ret;
    next[prev[op]!] = op;
    prev[next[op]!] = op;
  }

  private link(order: readonly number[]): void {
    let previous = this.head;
    for (const entry of order) {
      this.next[previous] = entry;
      this.prev[entry] = previous;
      previous = entry;
    }
    this.next[previous] = this.tail;
    this.prev[this.tail] = previous;
    this.prev[this.head] = -1;
    this.next[this.tail] = -1;
  }
}

/**
 * Entries by position: calls in operation order, returns by return position,
 * merged so that a call comes before a return at an equal position. Returns at
 * Infinity (indefinite operations) come after everything, by operation index.
 */
function entryOrder(ops: readonly Positioned[]): number[] {
  const n = ops.length;
  for (let i = 0; i < n; i++) {
    assert(
      ops[i]!.ret > ops[i]!.call,
      `operation ${i} returns at ${ops[i]!.ret}, not after its call at ${ops[i]!.call}`,
    );
    if (i > 0) assert(ops[i - 1]!.call <= ops[i]!.call, 'operations must be sorted by call position');
  }
  const returns = Array.from({ length: n }, (_, i) => i);
  returns.sort((a, b) => ops[a]!.ret - ops[b]!.ret || a - b);
  const order: number[] = [];
  let c = 0;
  let r = 0;
  while (c < n || r < n) {
    const callFirst = r >= n || (c < n && ops[c]!.call <= ops[returns[r]!]!.ret);
    if (callFirst) order.push(c++);
    else order.push(n + returns[r++]!);
  }
  return order;
}
