// Small random concurrent histories for cross-checking the search against
// the brute-force checker. Values are drawn from tiny domains so that about
// half of the histories are linearizable and half are not.

import { clientProcessOf, type HistoryEvent, type JsonValue, type OpType } from '../../../core/history.js';
import type { Prng } from '../../../core/prng.js';

/** What one model's operations look like: an invocation, and an ok completion's value for it. */
export interface Vocabulary {
  invoke(prng: Prng, serial: number): { readonly f: string; readonly value: JsonValue };
  okValue(prng: Prng, f: string, invokeValue: JsonValue, serial: number): JsonValue;
}

export interface RandomHistoryOptions {
  readonly operations: number;
  readonly processes: number;
  readonly failProbability: number;
  readonly infoProbability: number;
}

export function randomHistory(prng: Prng, vocabulary: Vocabulary, options: RandomHistoryOptions): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  const ids = Array.from({ length: options.processes }, (_, i) => i);
  const open: ({ f: string; value: JsonValue } | null)[] = ids.map(() => null);
  const emit = (type: OpType, f: string, value: JsonValue, process: number): void => {
    events.push({ index: events.length, type, f, value, process: clientProcessOf(process), time: events.length });
  };
  let invoked = 0;
  while (invoked < options.operations || open.some((op) => op !== null)) {
    const slot = prng.int(options.processes);
    const op = open[slot];
    if (op === null || op === undefined) {
      if (invoked >= options.operations) continue;
      const invoke = vocabulary.invoke(prng, invoked++);
      open[slot] = invoke;
      emit('invoke', invoke.f, invoke.value, ids[slot]!);
      continue;
    }
    const roll = prng.next();
    if (roll < options.infoProbability) {
      emit('info', op.f, op.value, ids[slot]!);
      ids[slot] = ids[slot]! + options.processes;
    } else if (roll < options.infoProbability + options.failProbability) {
      emit('fail', op.f, op.value, ids[slot]!);
    } else {
      emit('ok', op.f, vocabulary.okValue(prng, op.f, op.value, invoked), ids[slot]!);
    }
    open[slot] = null;
  }
  return events;
}

const smallInt = (prng: Prng): number => prng.int(3);

export const registerVocabulary: Vocabulary = {
  invoke: (prng) => {
    const roll = prng.next();
    if (roll < 0.4) return { f: 'read', value: null };
    if (roll < 0.75) return { f: 'write', value: smallInt(prng) };
    return { f: 'cas', value: [smallInt(prng), smallInt(prng)] };
  },
  okValue: (prng, f, value) => (f === 'read' ? prng.pick<JsonValue>([null, 0, 1, 2]) : value),
};

export const mutexVocabulary: Vocabulary = {
  invoke: (prng) => ({ f: prng.chance(0.5) ? 'acquire' : 'release', value: null }),
  okValue: () => null,
};

export const kvVocabulary: Vocabulary = {
  invoke: (prng) => {
    const roll = prng.next();
    if (roll < 0.4) return { f: 'get', value: null };
    return { f: roll < 0.6 ? 'put' : 'append', value: prng.pick(['a', 'b']) };
  },
  okValue: (prng, f, value) => (f === 'get' ? prng.pick(['', 'a', 'b', 'ab', 'ba', 'aa']) : value),
};

export const listVocabulary: Vocabulary = {
  invoke: (prng, serial) => (prng.chance(0.55) ? { f: 'append', value: serial } : { f: 'read', value: null }),
  okValue: (prng, f, value, serial) => (f === 'read' ? subsetOf(prng, serial, 0.6, false) : value),
};

/**
 * Appends of unique values and reads of whole lists against a list simulated
 * beside the history: an append takes effect at its invocation, at its ok
 * completion, or (info, fail) never or at its invocation; a read usually
 * returns the list at its completion, sometimes a stale list, two values
 * swapped, one dropped, or the value of the next operation (a read from the
 * future when that is an append, else a value never appended); an empty list
 * may read as nil. So the histories have concurrent appends and reads, info
 * and fail ops, and are linearizable about a third of the time. One instance
 * per history: it keeps the simulated list.
 */
export function listStoreVocabulary(): Vocabulary {
  const list: number[] = [];
  const lists: number[][] = [[]];
  const apply = (value: number): void => {
    if (list.includes(value)) return;
    list.push(value);
    lists.push(list.slice());
  };
  return {
    invoke: (prng, serial) => {
      if (prng.chance(0.45)) return { f: 'read', value: null };
      if (prng.chance(0.4)) apply(serial);
      return { f: 'append', value: serial };
    },
    okValue: (prng, f, value, serial) => {
      if (f === 'append') {
        apply(value as number);
        return value;
      }
      return listRead(prng, list, lists, serial);
    },
  };
}

function listRead(
  prng: Prng,
  list: readonly number[],
  lists: readonly (readonly number[])[],
  serialNext: number,
): JsonValue {
  const roll = prng.next();
  const read = roll < 0.6 ? list.slice() : prng.pick(lists).slice();
  if (roll >= 0.9 && read.length >= 2) {
    const i = prng.int(read.length - 1);
    [read[i], read[i + 1]] = [read[i + 1]!, read[i]!];
  } else if (roll >= 0.84 && read.length >= 1) {
    read.splice(prng.int(read.length), 1);
  } else if (roll >= 0.8) {
    read.push(serialNext);
  }
  return read.length === 0 && prng.chance(0.5) ? null : read;
}

export const setVocabulary: Vocabulary = {
  invoke: (prng, serial) => (prng.chance(0.55) ? { f: 'add', value: serial } : { f: 'read', value: null }),
  okValue: (prng, f, value, serial) => (f === 'read' ? subsetOf(prng, serial, 0.3, true) : value),
};

export const multiRegisterVocabulary: Vocabulary = {
  invoke: (prng) => ({ f: 'txn', value: Array.from({ length: prng.between(1, 2) }, () => microOp(prng)) }),
  okValue: (prng, _f, value) =>
    (value as readonly (readonly JsonValue[])[]).map(([f, key, v]) => [f!, key!, f === 'read' ? prng.int(2) : v!]),
};

function microOp(prng: Prng): JsonValue {
  const key = prng.pick(['x', 'y']);
  return prng.chance(0.5) ? ['read', key, null] : ['write', key, prng.int(2)];
}

/** A list of values below serial: usually an ordered prefix, sometimes shuffled. */
function subsetOf(prng: Prng, serial: number, keep: number, shuffled: boolean): JsonValue[] {
  const values = Array.from({ length: serial }, (_, i) => i).filter(() => prng.chance(keep));
  return shuffled || prng.chance(0.2) ? prng.shuffle(values) : values;
}
