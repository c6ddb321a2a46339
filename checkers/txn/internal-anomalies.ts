// Anomalies visible inside one committed transaction: a read that disagrees
// with the transaction's own earlier reads and appends (internal), and a read
// that already holds an element the transaction appends only later
// (future-read). At most one of each per transaction, the first found.

import { HistoryNames, type AnomalyCase } from './anomaly-case.js';
import type { Txn, TxnHistory } from './txn-types.js';

/** What a transaction knows of a key: the whole list (null: read as nil) or only its tail. */
type Expected =
  | { readonly known: 'whole'; readonly list: readonly number[] | null }
  | { readonly known: 'tail'; readonly tail: readonly number[] };

export function internalCases(history: TxnHistory): AnomalyCase[] {
  const names = new HistoryNames(history);
  const cases: AnomalyCase[] = [];
  for (const txn of history.txns) {
    if (txn.outcome !== 'ok') continue;
    const found = internalCase(txn, names);
    if (found !== null) cases.push(found);
  }
  return cases;
}

export function futureReadCases(history: TxnHistory): AnomalyCase[] {
  const names = new HistoryNames(history);
  const cases: AnomalyCase[] = [];
  for (const txn of history.txns) {
    if (txn.outcome !== 'ok') continue;
    const found = futureReadCase(txn, names);
    if (found !== null) cases.push(found);
  }
  return cases;
}

function internalCase(txn: Txn, names: HistoryNames): AnomalyCase | null {
  const expected = new Map<number, Expected>();
  for (let i = 0; i < txn.mops.length; i++) {
    const mop = txn.mops[i];
    if (mop === undefined) continue;
    const state = expected.get(mop.key);
    if (mop.f === 'append') {
      expected.set(mop.key, appended(state, mop.element));
      continue;
    }
    if (state !== undefined && !readMatches(state, mop.list)) {
      return {
        type: 'internal',
        ops: [txn.completeIndex],
        explanation:
          `T${txn.completeIndex} read ${names.read(mop.key, mop.list)} (micro-op ${i + 1}), but its own earlier ` +
          `reads and appends imply ${names.key(mop.key)} = ${expectedShow(state, mop.key, names)}`,
      };
    }
    expected.set(mop.key, { known: 'whole', list: mop.list });
  }
  return null;
}

function appended(state: Expected | undefined, element: number): Expected {
  if (state === undefined) return { known: 'tail', tail: [element] };
  if (state.known === 'tail') return { known: 'tail', tail: [...state.tail, element] };
  return { known: 'whole', list: [...(state.list ?? []), element] };
}

function readMatches(state: Expected, list: readonly number[] | null): boolean {
  if (state.known === 'whole') return listsEqual(state.list, list);
  const read = list ?? [];
  const offset = read.length - state.tail.length;
  if (offset < 0) return false;
  for (let i = 0; i < state.tail.length; i++) if (read[offset + i] !== state.tail[i]) return false;
  return true;
}

/** nil and [] differ here: a transaction that read [] knows the key exists. */
function listsEqual(a: readonly number[] | null, b: readonly number[] | null): boolean {
  if (a === null || b === null) return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function expectedShow(state: Expected, key: number, names: HistoryNames): string {
  if (state.known === 'whole') return names.list(key, state.list);
  return `[... ${state.tail.map((element) => names.element(key, element)).join(' ')}]`;
}

function futureReadCase(txn: Txn, names: HistoryNames): AnomalyCase | null {
  // Transactions are short: scanning the earlier reads beats building tables.
  const { mops } = txn;
  for (let i = 0; i < mops.length; i++) {
    const mop = mops[i]!;
    if (mop.f !== 'append') continue;
    for (let j = 0; j < i; j++) {
      const read = mops[j]!;
      if (read.f !== 'r' || read.key !== mop.key || read.list === null || !read.list.includes(mop.element)) continue;
      return {
        type: 'future-read',
        ops: [txn.completeIndex],
        explanation:
          `T${txn.completeIndex} read ${names.read(read.key, read.list)} (micro-op ${j + 1}), which holds ` +
          `${names.element(mop.key, mop.element)}, an element it appends only later (micro-op ${i + 1})`,
      };
    }
  }
  return null;
}
