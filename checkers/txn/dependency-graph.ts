// The transaction dependency graph of a list-append history, after Adya: ww
// (T2 appended right after T1 in a key's version order), wr (T2 read a list
// ending in T1's append), rw (T1 read the version T2's append replaced), and,
// as options, process order and realtime order. Only ok and info transactions
// take part: a failed one wrote nothing anyone may build on.

import { DigraphBuilder, type Digraph } from './digraph.js';
import { rel, type Txn, type TxnHistory } from './txn-types.js';
import type { VersionOrders } from './version-order.js';

export interface GraphOptions {
  readonly process: boolean;
  readonly realtime: boolean;
  /** Past this many edges the graph is not built (the check answers unknown). */
  readonly edgesMax: number;
}

/** What the edges were built from, kept for explaining them. */
export interface GraphIndex {
  readonly history: TxnHistory;
  readonly orders: VersionOrders;
  /** Per key, per element: the ok or info transaction that appended it, or -1. */
  readonly writers: readonly Int32Array[];
}

export type GraphBuild =
  | { readonly ok: true; readonly graph: Digraph; readonly index: GraphIndex }
  | { readonly ok: false; readonly reason: string };

/** Version slot of a read: 0 for the initial state (nil or []), element position + 1 otherwise. */
const initialVersion = -1;

export function dependencyGraphBuild(history: TxnHistory, orders: VersionOrders, options: GraphOptions): GraphBuild {
  const writers = history.elementNames.map((elements) => new Int32Array(elements.length).fill(-1));
  const readers = history.keyNames.map(() => new Map<number, number[]>());
  for (const txn of history.txns) {
    if (txn.outcome === 'fail') continue;
    for (const mop of txn.mops) {
      if (mop.f === 'append') {
        writers[mop.key]![mop.element] = txn.id;
        continue;
      }
      // An info transaction's nil read says nothing: it is what was invoked.
      if (mop.list === null && txn.outcome === 'info') continue;
      const version = mop.list === null || mop.list.length === 0 ? initialVersion : mop.list[mop.list.length - 1]!;
      const byVersion = readers[mop.key]!;
      const list = byVersion.get(version) ?? [];
      list.push(txn.id);
      byVersion.set(version, list);
    }
  }
  const builder = new DigraphBuilder(history.txns.length);
  for (const txn of history.txns) {
    if (txn.outcome === 'fail') continue;
    dataEdgesAdd(builder, txn, orders, writers, readers);
    if (builder.edges > options.edgesMax) {
      return { ok: false, reason: `the dependency graph passed its bound of ${options.edgesMax} edges` };
    }
  }
  if (options.process) processEdgesAdd(builder, history.txns);
  if (options.realtime) realtimeEdgesAdd(builder, history.txns);
  if (builder.edges > options.edgesMax) {
    return { ok: false, reason: `the dependency graph passed its bound of ${options.edgesMax} edges` };
  }
  return { ok: true, graph: builder.build(), index: { history, orders, writers } };
}

/** The element appended just before `element` in the key's order; for an append no read shows, the last one shown. */
export function previousElement(orders: VersionOrders, key: number, element: number): number {
  const order = orders.byKey[key]!;
  const position = order.positionOf[element]!;
  if (position > 0) return order.elements[position - 1]!;
  if (position === 0) return initialVersion;
  return order.elements.length === 0 ? initialVersion : order.elements[order.elements.length - 1]!;
}

export function isInitialVersion(element: number): boolean {
  return element === initialVersion;
}

function dataEdgesAdd(
  builder: DigraphBuilder,
  txn: Txn,
  orders: VersionOrders,
  writers: readonly Int32Array[],
  readers: readonly Map<number, number[]>[],
): void {
  for (const mop of txn.mops) {
    if (mop.f === 'r') {
      if (mop.list === null || mop.list.length === 0) continue;
      const writer = writers[mop.key]![mop.list[mop.list.length - 1]!]!;
      if (writer !== -1) builder.add(writer, txn.id, rel.wr);
      continue;
    }
    const previous = previousElement(orders, mop.key, mop.element);
    if (previous !== initialVersion) {
      const writer = writers[mop.key]![previous]!;
      if (writer !== -1) builder.add(writer, txn.id, rel.ww);
    }
    for (const reader of readers[mop.key]!.get(previous) ?? []) builder.add(reader, txn.id, rel.rw);
  }
}

/** Each process's committed transactions in invocation order, each linked to the next (as Elle orders them). */
function processEdgesAdd(builder: DigraphBuilder, txns: readonly Txn[]): void {
  const byProcess = new Map<number, Txn[]>();
  for (const txn of txns) {
    if (txn.outcome !== 'ok') continue;
    const list = byProcess.get(txn.process) ?? [];
    list.push(txn);
    byProcess.set(txn.process, list);
  }
  for (const list of byProcess.values()) {
    list.sort((a, b) => a.invokePosition - b.invokePosition);
    for (let i = 1; i < list.length; i++) builder.add(list[i - 1]!.id, list[i]!.id, rel.process);
  }
}

/**
 * T1 -> T2 when T1 completed before T2 was invoked. Only the frontier of
 * completed transactions not yet followed by a completed successor is linked
 * to each invocation; the rest follow by transitivity, which keeps the edge
 * count near (transactions x concurrency) and reachability unchanged.
 */
function realtimeEdgesAdd(builder: DigraphBuilder, txns: readonly Txn[]): void {
  // File positions are dense and distinct, so events are found by position, without sorting.
  let positions = 0;
  for (const txn of txns) {
    const last = Number.isFinite(txn.completePosition) ? txn.completePosition : txn.invokePosition;
    positions = Math.max(positions, last + 1);
  }
  const invokedAt = new Int32Array(positions).fill(-1);
  const completedAt = new Int32Array(positions).fill(-1);
  for (const txn of txns) {
    if (txn.outcome === 'fail') continue;
    invokedAt[txn.invokePosition] = txn.id;
    // An info transaction never completed, so nothing follows it in real time.
    if (txn.outcome === 'ok') completedAt[txn.completePosition] = txn.id;
  }
  let frontier: number[] = [];
  const predecessors = new Map<number, readonly number[]>();
  for (let position = 0; position < positions; position++) {
    const invoked = invokedAt[position]!;
    if (invoked !== -1) {
      for (const previous of frontier) builder.add(previous, invoked, rel.realtime);
      predecessors.set(invoked, frontier);
    }
    const completed = completedAt[position]!;
    if (completed === -1) continue;
    // Those that precede the completed transaction are reached through it from now on.
    const covered = predecessors.get(completed) ?? [];
    frontier = frontier.filter((id) => !covered.includes(id));
    frontier.push(completed);
    predecessors.delete(completed);
  }
}
