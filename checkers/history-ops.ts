// Pairs a history's client invocations with their completions, the shape every
// checker in this folder reads, and finds where the final read phase starts.
// A history that cannot be paired is an operating error (an imported or
// truncated file), returned as a value so the checker can say `unknown`.

import type { HistoryEvent, JsonValue } from '../core/history.js';
import { isClientEvent } from '../core/history.js';

/** How an operation ended; `open` when the history ends before its completion. */
export type OpOutcome = 'ok' | 'fail' | 'info' | 'open';

export interface ClientOp {
  readonly process: number;
  readonly f: string;
  readonly key: string | null;
  readonly outcome: OpOutcome;
  readonly invoke: HistoryEvent;
  readonly completion: HistoryEvent | null;
  /** The completion's value for ok, the invocation's otherwise. */
  readonly value: JsonValue;
  /** True when the invocation comes after the final-phase marker (or, without one, see finalPhaseInferred). */
  readonly final: boolean;
}

export interface HistoryOps {
  /** Client operations in invocation order. */
  readonly ops: readonly ClientOp[];
  /** Index of the `phase: final` marker; null when the history has none. */
  readonly finalMarkerIndex: number | null;
  /** `info` completions with no open invocation (Jepsen histories have them); ignored. */
  readonly orphanInfoCount: number;
  /** Time of the last event, ns. */
  readonly endNs: number;
}

export type HistoryOpsParse =
  { readonly ok: true; readonly value: HistoryOps } | { readonly ok: false; readonly error: string };

/**
 * Every checker of a run reads the same history; pairing a large one takes a
 * while, so the result is kept as long as the history array lives.
 */
const parsedByHistory = new WeakMap<readonly HistoryEvent[], HistoryOpsParse>();

export function historyOps(history: readonly HistoryEvent[]): HistoryOpsParse {
  const cached = parsedByHistory.get(history);
  if (cached !== undefined) return cached;
  const parsed = historyOpsPair(history);
  parsedByHistory.set(history, parsed);
  return parsed;
}

function historyOpsPair(history: readonly HistoryEvent[]): HistoryOpsParse {
  const pairs: OpPair[] = [];
  const open = new Map<number, OpPair>();
  let finalMarkerIndex: number | null = null;
  let orphanInfoCount = 0;
  for (const event of history) {
    if (!isClientEvent(event)) {
      if (finalMarkerIndex === null && event.f === 'phase' && event.value === 'final') finalMarkerIndex = event.index;
      continue;
    }
    const pending = open.get(event.process);
    if (event.type === 'invoke') {
      if (pending !== undefined)
        return {
          ok: false,
          error: `event ${event.index}: process ${event.process} invokes while its operation ${pending.invoke.index} is still open`,
        };
      const pair: OpPair = { process: event.process, invoke: event, completion: null };
      open.set(event.process, pair);
      pairs.push(pair);
      continue;
    }
    if (pending === undefined) {
      if (event.type !== 'info')
        return {
          ok: false,
          error: `event ${event.index}: ${event.type} completion for process ${event.process} without an open invocation`,
        };
      orphanInfoCount++;
      continue;
    }
    if (pending.invoke.f !== event.f)
      return {
        ok: false,
        error: `event ${event.index}: completion f "${event.f}" does not match invocation ${pending.invoke.index} f "${pending.invoke.f}"`,
      };
    pending.completion = event;
    open.delete(event.process);
  }
  const ops = pairs.map((pair) => opBuild(pair.process, pair.invoke, pair.completion, finalMarkerIndex));
  const last = history[history.length - 1];
  return { ok: true, value: { ops, finalMarkerIndex, orphanInfoCount, endNs: last?.time ?? 0 } };
}

interface OpPair {
  readonly process: number;
  readonly invoke: HistoryEvent;
  completion: HistoryEvent | null;
}

function opBuild(
  process: number,
  invoke: HistoryEvent,
  completion: HistoryEvent | null,
  finalMarkerIndex: number | null,
): ClientOp {
  const outcome: OpOutcome = completion === null || completion.type === 'invoke' ? 'open' : completion.type;
  return {
    process,
    f: invoke.f,
    key: invoke.key ?? completion?.key ?? null,
    outcome,
    invoke,
    completion,
    value: outcome === 'ok' && completion !== null ? completion.value : invoke.value,
    final: finalMarkerIndex !== null && invoke.index > finalMarkerIndex,
  };
}

/** The operation's completion index, or Infinity when it never completed (it may take effect at any time). */
export function opEndIndex(op: ClientOp): number {
  return op.completion === null || op.outcome === 'info' ? Number.POSITIVE_INFINITY : op.completion.index;
}

/** Client operations grouped by key, in invocation order; ops without a key are left out. */
export function opsByKey(ops: readonly ClientOp[]): Map<string, ClientOp[]> {
  const byKey = new Map<string, ClientOp[]>();
  for (const op of ops) {
    if (op.key === null) continue;
    const list = byKey.get(op.key);
    if (list === undefined) byKey.set(op.key, [op]);
    else list.push(op);
  }
  return byKey;
}

/**
 * The final reads of one key: ok reads in the final phase. A history without a
 * phase marker (an imported one) has no explicit final phase, so the final reads
 * are inferred: ok reads invoked after every mutation of the key has completed.
 */
export function finalReads(keyOps: readonly ClientOp[], finalMarkerIndex: number | null, readF = 'read'): ClientOp[] {
  const reads = keyOps.filter((op) => op.f === readF && op.outcome === 'ok');
  if (finalMarkerIndex !== null) return reads.filter((op) => op.final);
  let mutationsEnd = -1;
  for (const op of keyOps) {
    if (op.f === readF || op.outcome === 'fail') continue;
    mutationsEnd = Math.max(mutationsEnd, op.completion?.index ?? Number.POSITIVE_INFINITY);
  }
  return reads.filter((op) => op.invoke.index > mutationsEnd);
}

/** Bound on the evidence lists a checker puts in its details; the counts stay exact. */
export const evidenceMax = 100;
