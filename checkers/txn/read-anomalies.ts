// Anomalies found from reads alone, without the dependency graph: aborted
// reads (G1a), intermediate reads (G1b), duplicate elements in one read, and
// lost updates (two committed transactions that read the same version of a
// key and both appended to it).

import { HistoryNames, type AnomalyCase } from './anomaly-case.js';
import type { TxnHistory } from './txn-types.js';

/** Per key, per element: the id of the transaction that wrote it that way, or -1. */
function writerTables(history: TxnHistory): Int32Array[] {
  return history.elementNames.map((elements) => new Int32Array(elements.length).fill(-1));
}

/** A committed transaction read an element that a failed transaction appended. */
export function g1aCases(history: TxnHistory): AnomalyCase[] {
  const failed = writerTables(history);
  // Only reads of keys some failed transaction appended to need their elements looked at.
  const keyFailed = new Uint8Array(history.keyNames.length);
  for (const txn of history.txns) {
    if (txn.outcome !== 'fail') continue;
    for (const mop of txn.mops) {
      if (mop.f !== 'append') continue;
      failed[mop.key]![mop.element] = txn.id;
      keyFailed[mop.key] = 1;
    }
  }
  const names = new HistoryNames(history);
  const cases: AnomalyCase[] = [];
  for (const txn of history.txns) {
    if (txn.outcome !== 'ok') continue;
    for (const mop of txn.mops) {
      if (mop.f !== 'r' || mop.list === null || keyFailed[mop.key] === 0) continue;
      for (const element of mop.list) {
        const writer = history.txns[failed[mop.key]![element] ?? -1];
        if (writer === undefined) continue;
        cases.push({
          type: 'G1a',
          ops: [writer.completeIndex, txn.completeIndex],
          explanation:
            `T${txn.completeIndex} read ${names.read(mop.key, mop.list)}, holding ${names.element(mop.key, element)}, ` +
            `which only T${writer.completeIndex} appended, and T${writer.completeIndex} failed`,
        });
      }
    }
  }
  return cases;
}

/** A committed transaction read a list ending in an element its writer followed with another append to the key. */
export function g1bCases(history: TxnHistory): AnomalyCase[] {
  const intermediate = writerTables(history);
  for (const txn of history.txns) {
    // An append the same transaction follows with another append to its key is intermediate.
    const { mops } = txn;
    for (let i = 0; i < mops.length; i++) {
      const mop = mops[i]!;
      if (mop.f !== 'append') continue;
      for (let j = i + 1; j < mops.length; j++) {
        if (mops[j]!.f === 'append' && mops[j]!.key === mop.key) {
          intermediate[mop.key]![mop.element] = txn.id;
          break;
        }
      }
    }
  }
  const names = new HistoryNames(history);
  const cases: AnomalyCase[] = [];
  for (const txn of history.txns) {
    if (txn.outcome !== 'ok') continue;
    for (const mop of txn.mops) {
      if (mop.f !== 'r' || mop.list === null || mop.list.length === 0) continue;
      const element = mop.list[mop.list.length - 1]!;
      const writer = history.txns[intermediate[mop.key]![element] ?? -1];
      // A transaction may read its own intermediate state.
      if (writer === undefined || writer.id === txn.id) continue;
      cases.push({
        type: 'G1b',
        ops: [writer.completeIndex, txn.completeIndex],
        explanation:
          `T${txn.completeIndex} read ${names.read(mop.key, mop.list)}, ending in ${names.element(mop.key, element)}, ` +
          `but T${writer.completeIndex} appended ${names.element(mop.key, element)} and then appended to ${names.key(mop.key)} again`,
      });
    }
  }
  return cases;
}

/** A read of ok or info transactions that holds one element more than once. */
export function duplicateCases(history: TxnHistory): AnomalyCase[] {
  const names = new HistoryNames(history);
  const cases: AnomalyCase[] = [];
  // lastSeen[key][element] is the number of the last read that held it: no table per read.
  const lastSeen = history.elementNames.map((elements) => new Int32Array(elements.length).fill(-1));
  let readNumber = 0;
  for (const txn of history.txns) {
    if (txn.outcome === 'fail') continue;
    for (const mop of txn.mops) {
      if (mop.f !== 'r' || mop.list === null) continue;
      const seen = lastSeen[mop.key]!;
      readNumber++;
      let repeated = false;
      for (const element of mop.list) {
        if (seen[element] === readNumber) repeated = true;
        seen[element] = readNumber;
      }
      if (repeated) cases.push(duplicateCase(names, txn.completeIndex, mop.key, mop.list));
    }
  }
  return cases;
}

function duplicateCase(names: HistoryNames, index: number, key: number, list: readonly number[]): AnomalyCase {
  const counts = new Map<number, number>();
  for (const element of list) counts.set(element, (counts.get(element) ?? 0) + 1);
  const shown = [...counts]
    .filter(([, count]) => count > 1)
    .map(([element, count]) => `${names.element(key, element)} ${count} times`)
    .join(', ');
  return {
    type: 'duplicate-elements',
    ops: [index],
    explanation: `T${index} read ${names.read(key, list)}, which holds ${shown}; every element is appended once`,
  };
}

/** Committed transactions that read one version of a key (their first read of it) and then appended to it. */
export function lostUpdateCases(history: TxnHistory): AnomalyCase[] {
  const names = new HistoryNames(history);
  const groups = new Map<string, { key: number; list: readonly number[] | null; txns: number[] }>();
  for (const txn of history.txns) {
    if (txn.outcome !== 'ok') continue;
    const { mops } = txn;
    const counted: number[] = [];
    for (let i = 0; i < mops.length; i++) {
      const mop = mops[i]!;
      if (mop.f !== 'append' || counted.includes(mop.key)) continue;
      // Transactions are short: the first read of the key is found by scanning.
      const firstRead = mops.slice(0, i).find((m) => m.f === 'r' && m.key === mop.key);
      if (firstRead === undefined || firstRead.f !== 'r') continue;
      counted.push(mop.key);
      const list = firstRead.list;
      const group = `${mop.key}:${list === null ? 'nil' : list.join(',')}`;
      const entry = groups.get(group) ?? { key: mop.key, list, txns: [] };
      entry.txns.push(txn.completeIndex);
      groups.set(group, entry);
    }
  }
  const cases: AnomalyCase[] = [];
  for (const { key, list, txns } of groups.values()) {
    if (txns.length < 2) continue;
    cases.push({
      type: 'lost-update',
      ops: txns,
      explanation:
        `${txns.map((index) => `T${index}`).join(', ')} all read ${names.read(key, list)} and then appended to ` +
        `${names.key(key)}, and all committed: every append but one was made to a version another had already replaced`,
    });
  }
  return cases;
}
