// Each key's version order, inferred from its longest read: appends are the
// only writes, so every read is a prefix of the key's history. Reads that are
// not prefixes of one another are an incompatible order; an order in which a
// failed transaction's element is followed by a committed one's is a dirty
// update.

import { HistoryNames, type AnomalyCase } from './anomaly-case.js';
import type { Txn, TxnHistory } from './txn-types.js';

export interface VersionOrder {
  /** Distinct elements of the longest read, in order. */
  readonly elements: readonly number[];
  /** Element id -> its position in `elements`, or -1 when no read shows it. */
  readonly positionOf: Int32Array;
}

export interface VersionOrders {
  readonly byKey: readonly VersionOrder[];
  readonly incompatible: readonly AnomalyCase[];
}

interface Longest {
  list: readonly number[];
  reader: Txn;
}

/**
 * The orders from the reads of the transactions `include` admits. With
 * `singleAppend`, a key nobody read (beyond nil or []) but that one append
 * touched has that one element as its order.
 */
export function versionOrders(
  history: TxnHistory,
  include: (txn: Txn) => boolean,
  singleAppend: boolean,
): VersionOrders {
  const names = new HistoryNames(history);
  const longest: (Longest | null)[] = history.keyNames.map(() => null);
  const incompatible: AnomalyCase[] = [];
  const incompatibleKeys = new Set<number>();
  for (const txn of history.txns) {
    if (!include(txn)) continue;
    for (const mop of txn.mops) {
      if (mop.f !== 'r' || mop.list === null || mop.list.length === 0) continue;
      const current = longest[mop.key] ?? null;
      if (current === null || isPrefix(current.list, mop.list)) {
        longest[mop.key] = { list: mop.list, reader: txn };
      } else if (!isPrefix(mop.list, current.list)) {
        if (!incompatibleKeys.has(mop.key)) {
          incompatibleKeys.add(mop.key);
          incompatible.push(incompatibleCase(names, mop.key, current, { list: mop.list, reader: txn }));
        }
        // With no one order, the order used is the longest read, as Elle's is.
        if (mop.list.length > current.list.length) longest[mop.key] = { list: mop.list, reader: txn };
      }
    }
  }
  const single = singleAppend ? singleAppends(history, include) : new Map<number, number>();
  const byKey = history.elementNames.map((elements, key): VersionOrder => {
    const read = longest[key]?.list ?? null;
    const order = read === null ? (single.has(key) ? [single.get(key)!] : []) : distinct(read);
    const positionOf = new Int32Array(elements.length).fill(-1);
    order.forEach((element, position) => (positionOf[element] = position));
    return { elements: order, positionOf };
  });
  return { byKey, incompatible };
}

function isPrefix(shorter: readonly number[], longer: readonly number[]): boolean {
  if (shorter.length > longer.length) return false;
  for (let i = 0; i < shorter.length; i++) if (shorter[i] !== longer[i]) return false;
  return true;
}

function distinct(list: readonly number[]): number[] {
  const seen = new Set<number>();
  return list.filter((element) => (seen.has(element) ? false : (seen.add(element), true)));
}

/** Keys appended to exactly once (one micro-op) among the admitted transactions, with that element. */
function singleAppends(history: TxnHistory, include: (txn: Txn) => boolean): Map<number, number> {
  const counts = new Map<number, { element: number; count: number }>();
  for (const txn of history.txns) {
    if (!include(txn)) continue;
    for (const mop of txn.mops) {
      if (mop.f !== 'append') continue;
      const entry = counts.get(mop.key);
      counts.set(mop.key, { element: mop.element, count: (entry?.count ?? 0) + 1 });
    }
  }
  const single = new Map<number, number>();
  for (const [key, { element, count }] of counts) if (count === 1) single.set(key, element);
  return single;
}

function incompatibleCase(names: HistoryNames, key: number, a: Longest, b: Longest): AnomalyCase {
  return {
    type: 'incompatible-order',
    ops: [a.reader.completeIndex, b.reader.completeIndex],
    explanation:
      `T${a.reader.completeIndex} read ${names.read(key, a.list)} and T${b.reader.completeIndex} read ` +
      `${names.read(key, b.list)}: neither is a prefix of the other, so no one order of appends to ${names.key(key)} gives both`,
  };
}

/** In each key's order (from every read, failed transactions' too), a committed append built on a failed one. */
export function dirtyUpdateCases(history: TxnHistory): AnomalyCase[] {
  const orders = versionOrders(history, () => true, false);
  const writers = history.elementNames.map((elements) => new Int32Array(elements.length).fill(-1));
  for (const txn of history.txns) {
    for (const mop of txn.mops) if (mop.f === 'append') writers[mop.key]![mop.element] = txn.id;
  }
  const names = new HistoryNames(history);
  const cases: AnomalyCase[] = [];
  orders.byKey.forEach((order, key) => {
    // The initial state counts as committed.
    let base: Txn | null = null;
    let span: number[] = [];
    for (const element of order.elements) {
      const writer = history.txns[writers[key]![element] ?? -1];
      const baseOutcome = base?.outcome ?? 'ok';
      const outcome = writer?.outcome ?? 'info';
      if (outcome === 'info' || (baseOutcome === 'fail' && outcome === 'fail')) {
        span = [...span, element];
        continue;
      }
      if (baseOutcome === 'fail' && outcome === 'ok' && base !== null && writer !== undefined) {
        cases.push(dirtyUpdateCase(names, key, [...span, element], base, writer));
      }
      base = writer ?? null;
      span = [element];
    }
  });
  return cases;
}

function dirtyUpdateCase(names: HistoryNames, key: number, span: number[], failed: Txn, committed: Txn): AnomalyCase {
  return {
    type: 'dirty-update',
    ops: [failed.completeIndex, committed.completeIndex],
    explanation:
      `${names.key(key)} went through ${names.list(key, span)}: T${failed.completeIndex} appended ` +
      `${names.element(key, span[0]!)} and failed, yet committed T${committed.completeIndex} appended ` +
      `${names.element(key, span[span.length - 1]!)} after it`,
  };
}
