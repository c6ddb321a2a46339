// A brute-force oracle for serializability on tiny histories: a history is
// serializable when some serial order of its committed transactions, replayed
// on empty lists, gives every read exactly. The checker, under serializable,
// must agree with it on thousands of random histories, valid and not.

import { describe, expect, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import type { JsonValue } from '../../core/history.js';
import { prngCreate, type Prng } from '../../core/prng.js';
import { checkScopeParse } from './check-scope.js';
import { txnCheck, txnCheckDefaults } from './txn-check.js';
import { txnHistoryFromRecords } from './txn-history-read.js';

type Mop = ['append', string, number] | ['r', string, number[] | null];

const keys = ['x', 'y'];

/** Replays `order` serially; true when every read saw exactly what it reports. */
function replayMatches(txns: readonly Mop[][], order: readonly number[]): boolean {
  const store = new Map<string, number[]>();
  for (const t of order) {
    for (const mop of txns[t]!) {
      const list = store.get(mop[1]);
      if (mop[0] === 'append') store.set(mop[1], [...(list ?? []), mop[2]]);
      else if (JSON.stringify(mop[2]) !== JSON.stringify(list ?? null)) return false;
    }
  }
  return true;
}

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((rest) =>
    Array.from({ length: n }, (_, at) => [...rest.slice(0, at), n - 1, ...rest.slice(at)]),
  );
}

function oracleSerializable(txns: readonly Mop[][]): boolean {
  return permutations(txns.length).some((order) => replayMatches(txns, order));
}

/**
 * Transactions with reads filled in by one random serial order, then (half
 * the time) one read replaced by another prefix of that key's final list, so
 * some histories are serializable and some are not.
 */
function tinyHistory(prng: Prng): Mop[][] {
  const count = prng.between(2, 4);
  let element = 1;
  const txns: Mop[][] = Array.from({ length: count }, () =>
    Array.from({ length: prng.between(1, 3) }, (): Mop => {
      const key = prng.pick(keys);
      return prng.chance(0.5) ? ['append', key, element++] : ['r', key, null];
    }),
  );
  const store = new Map<string, number[]>();
  for (const t of prng.shuffle(txns.map((_, i) => i))) {
    for (const mop of txns[t]!) {
      const list = store.get(mop[1]);
      if (mop[0] === 'append') store.set(mop[1], [...(list ?? []), mop[2]]);
      else mop[2] = list === undefined ? null : [...list];
    }
  }
  const reads = txns.flat().filter((mop) => mop[0] === 'r');
  if (reads.length > 0 && prng.chance(0.5)) {
    const read = prng.pick(reads);
    const final = store.get(read[1]) ?? [];
    const length = prng.int(final.length + 1);
    read[2] = length === 0 ? null : final.slice(0, length);
  }
  return txns;
}

function checkerSerializable(txns: readonly Mop[][]): boolean {
  const records: JsonValue[] = [
    ...txns.map((mops, process) => ({
      type: 'invoke',
      value: mops.map((mop) => (mop[0] === 'r' ? ['r', mop[1], null] : mop)),
      process,
    })),
    ...txns.map((mops, process) => ({ type: 'ok', value: mops, process })),
  ];
  const read = txnHistoryFromRecords(records);
  if (!read.ok) throw new Error(read.error);
  const scope = checkScopeParse('serializable');
  if (!scope.ok) throw new Error(scope.error);
  const result = txnCheck(read.history, { ...txnCheckDefaults, scope: scope.scope, clock: clockCreate() });
  // Nothing to check (no dependency at all) is Elle's unknown; the oracle calls it serializable.
  const nothingToCheck = result.verdict === 'unknown' && result.anomalyTypes.join() === 'empty-transaction-graph';
  return result.verdict === 'valid' || nothingToCheck;
}

describe('the checker against a brute-force serializability oracle', () => {
  test('agrees on 3000 random tiny histories, of which many are and many are not serializable', () => {
    const prng = prngCreate(20_261_202);
    const tally = { serializable: 0, not: 0 };
    for (let i = 0; i < 3000; i++) {
      const txns = tinyHistory(prng);
      const expected = oracleSerializable(txns);
      tally[expected ? 'serializable' : 'not']++;
      expect(checkerSerializable(txns), JSON.stringify(txns)).toBe(expected);
    }
    expect(tally.serializable).toBeGreaterThan(300);
    expect(tally.not).toBeGreaterThan(300);
  });
});
