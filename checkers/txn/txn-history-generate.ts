// Synthetic list-append transactional histories for tests and benchmarks:
// concurrent processes run transactions of 1 to N micro-ops over a rotating
// pool of integer keys against a simulated store in which each transaction
// takes effect at its completion, so every history is strict-serializable by
// construction. Some transactions end info (half took effect) or fail.

import type { JsonValue } from '../../core/history.js';
import { prngCreate, type Prng } from '../../core/prng.js';

export interface TxnHistoryOptions {
  readonly txns: number;
  readonly processes: number;
  /** Keys in use at once; a key retires after `appendsPerKeyMax` appends and a fresh one takes its place. */
  readonly keys: number;
  readonly appendsPerKeyMax: number;
  readonly mopsMax: number;
  readonly infoProbability: number;
  readonly failProbability: number;
  readonly seed: number;
}

export const txnHistoryDefaults: Omit<TxnHistoryOptions, 'txns' | 'seed'> = {
  processes: 10,
  keys: 8,
  appendsPerKeyMax: 32,
  mopsMax: 4,
  infoProbability: 0.02,
  failProbability: 0.02,
};

type MopValue = readonly ['append', number, number] | readonly ['r', number, readonly number[] | null];

interface InFlight {
  readonly process: number;
  readonly mops: readonly MopValue[];
}

/** Op maps in Jepsen's shape ({type, f, value, process, index, time}), in history order. */
export function txnHistoryGenerate(options: TxnHistoryOptions): Record<string, JsonValue>[] {
  const prng = prngCreate(options.seed);
  const store = new Map<number, number[]>();
  const keys = new KeyPool(options.keys, options.appendsPerKeyMax);
  const idle = Array.from({ length: options.processes }, (_, p) => p);
  let nextProcess = options.processes;
  const inFlight: InFlight[] = [];
  const records: Record<string, JsonValue>[] = [];
  const push = (type: string, process: number, value: readonly MopValue[]): void => {
    const index = records.length;
    records.push({ type, f: 'txn', value, process, index, time: index * 1000 });
  };
  let invoked = 0;
  while (invoked < options.txns || inFlight.length > 0) {
    const invoke = invoked < options.txns && idle.length > 0 && (inFlight.length === 0 || prng.chance(0.5));
    if (invoke) {
      const process = idle.splice(prng.int(idle.length), 1)[0]!;
      const mops = txnMops(prng, keys, options.mopsMax);
      inFlight.push({ process, mops });
      push('invoke', process, mops);
      invoked++;
      continue;
    }
    const { process, mops } = inFlight.splice(prng.int(inFlight.length), 1)[0]!;
    const roll = prng.next();
    if (roll < options.failProbability) {
      push('fail', process, mops);
      idle.push(process);
    } else if (roll < options.failProbability + options.infoProbability) {
      if (prng.chance(0.5)) execute(store, mops);
      push('info', process, mops);
      // An info operation's process may still be running it: a new process takes the slot.
      idle.push(nextProcess++);
    } else {
      push('ok', process, execute(store, mops));
      idle.push(process);
    }
  }
  return records;
}

/** Applies the transaction atomically; returns its micro-ops with what the reads saw. */
function execute(store: Map<number, number[]>, mops: readonly MopValue[]): MopValue[] {
  return mops.map((mop): MopValue => {
    if (mop[0] === 'append') {
      const list = store.get(mop[1]) ?? [];
      list.push(mop[2]);
      store.set(mop[1], list);
      return mop;
    }
    const list = store.get(mop[1]);
    return ['r', mop[1], list === undefined ? null : [...list]];
  });
}

function txnMops(prng: Prng, keys: KeyPool, mopsMax: number): MopValue[] {
  const count = prng.between(1, mopsMax);
  const mops: MopValue[] = [];
  for (let i = 0; i < count; i++) {
    const key = keys.pick(prng);
    mops.push(prng.chance(0.5) ? ['r', key, null] : ['append', key, keys.element(key)]);
  }
  return mops;
}

/** The keys in use, each appended to with elements 1, 2, 3, ...; a full key is replaced by a fresh one. */
class KeyPool {
  private readonly active: number[];
  private readonly appended = new Map<number, number>();
  private nextKey: number;

  constructor(
    size: number,
    private readonly appendsMax: number,
  ) {
    this.active = Array.from({ length: size }, (_, k) => k);
    this.nextKey = size;
  }

  pick(prng: Prng): number {
    return prng.pick(this.active);
  }

  element(key: number): number {
    const element = (this.appended.get(key) ?? 0) + 1;
    this.appended.set(key, element);
    if (element >= this.appendsMax) this.active[this.active.indexOf(key)] = this.nextKey++;
    return element;
  }
}
