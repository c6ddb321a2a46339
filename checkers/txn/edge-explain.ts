// Explains a dependency edge in words a person can check against the history:
// which micro-ops of the two transactions make T1 precede T2, with the
// elements and lists involved. A cycle's explanation is its edges in order.

import { HistoryNames } from './anomaly-case.js';
import { isInitialVersion, previousElement, type GraphIndex } from './dependency-graph.js';
import { relExplained, txnName, type RelName, type Txn } from './txn-types.js';

export function cycleExplain(index: GraphIndex, cycle: readonly Txn[], rels: readonly number[]): string {
  const names = new HistoryNames(index.history);
  const steps = cycle.map((a, i) => {
    const b = cycle[(i + 1) % cycle.length]!;
    return `${txnName(a)} < ${txnName(b)} because ${edgeExplain(index, names, a, b, rels[i]!)}`;
  });
  return `${steps.join('; ')}: a cycle, so no order of the transactions explains the history`;
}

function edgeExplain(index: GraphIndex, names: HistoryNames, a: Txn, b: Txn, mask: number): string {
  const name: RelName | null = relExplained(mask);
  switch (name) {
    case 'ww':
      return wwExplain(index, names, a, b) ?? `${txnName(b)} appended right after ${txnName(a)} to some key`;
    case 'wr':
      return wrExplain(index, names, a, b) ?? `${txnName(b)} read a list ending in an append of ${txnName(a)}`;
    case 'rw':
      return rwExplain(index, names, a, b) ?? `${txnName(a)} read a version ${txnName(b)}'s append replaced`;
    case 'process':
      return `both ran on process ${a.process}, ${txnName(a)} first`;
    case 'realtime':
      return `${txnName(a)} completed (index ${a.completeIndex}) before ${txnName(b)} was invoked (index ${b.invokeIndex})`;
    case null:
      return 'of an edge with no relation';
  }
}

function wwExplain(index: GraphIndex, names: HistoryNames, a: Txn, b: Txn): string | null {
  for (const mop of b.mops) {
    if (mop.f !== 'append') continue;
    const previous = previousElement(index.orders, mop.key, mop.element);
    if (isInitialVersion(previous) || index.writers[mop.key]![previous] !== a.id) continue;
    return (
      `${txnName(b)} appended ${names.element(mop.key, mop.element)} to ${names.key(mop.key)} right after ` +
      `${txnName(a)} appended ${names.element(mop.key, previous)}`
    );
  }
  return null;
}

function wrExplain(index: GraphIndex, names: HistoryNames, a: Txn, b: Txn): string | null {
  for (const mop of b.mops) {
    if (mop.f !== 'r' || mop.list === null || mop.list.length === 0) continue;
    const last = mop.list[mop.list.length - 1]!;
    if (index.writers[mop.key]![last] !== a.id) continue;
    return `${txnName(b)} read ${names.read(mop.key, mop.list)} after ${txnName(a)} appended ${names.element(mop.key, last)}`;
  }
  return null;
}

function rwExplain(index: GraphIndex, names: HistoryNames, a: Txn, b: Txn): string | null {
  for (const mop of b.mops) {
    if (mop.f !== 'append') continue;
    const previous = previousElement(index.orders, mop.key, mop.element);
    const read = a.mops.find(
      (m) =>
        m.f === 'r' &&
        m.key === mop.key &&
        (isInitialVersion(previous) ? (m.list ?? []).length === 0 : m.list?.[m.list.length - 1] === previous),
    );
    if (read === undefined || read.f !== 'r') continue;
    const appended = `${txnName(b)}'s append of ${names.element(mop.key, mop.element)}`;
    if (isInitialVersion(previous)) {
      return `${txnName(a)} read ${names.read(read.key, read.list)}, the initial state, which ${appended} replaced`;
    }
    return `${txnName(a)} read ${names.read(read.key, read.list)} and so did not see ${appended}, the next append after ${names.element(mop.key, previous)}`;
  }
  return null;
}
