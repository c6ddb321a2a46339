// Durability of one key of the append workload: every acknowledged append is
// in every final read that began after its acknowledgement, the final reads are
// prefixes of one list, every earlier read is a prefix of that list, and no read
// holds an element that was never sent, definitely failed, or appears twice.

import type { JsonValue } from '../core/history.js';
import type { DurabilityKeyReport, DurabilityProblem, DurabilityProblemKind } from './durability-key.js';
import type { ClientOp } from './history-ops.js';
import { finalReads } from './history-ops.js';
import type { ValueId } from './value-id.js';
import { valueId } from './value-id.js';

interface ListRead {
  readonly op: ClientOp;
  /** The read's completion index (the event that carries the observed list). */
  readonly index: number;
  readonly ids: readonly ValueId[];
  readonly values: readonly JsonValue[];
}

export function appendKeyCheck(
  key: string,
  keyOps: readonly ClientOp[],
  finalMarkerIndex: number | null,
): DurabilityKeyReport {
  const problems: DurabilityProblem[] = [];
  const problem = (
    kind: DurabilityProblemKind,
    value: JsonValue,
    opIndex: number | null,
    readIndex: number | null,
    message: string,
  ): void => {
    problems.push({ kind, key, value, opIndex, readIndex, message });
  };
  const appends = keyOps.filter((op) => op.f === 'append');
  const sent = new Map<ValueId, ClientOp>(appends.map((op) => [valueId(op.invoke.value), op]));
  const reads = keyOps.filter((op) => op.f === 'read' && op.outcome === 'ok').map((op) => listRead(op, problem));
  const finals = new Set(finalReads(keyOps, finalMarkerIndex));
  const finalLists = reads.filter((read) => finals.has(read.op));
  const ackedCount = appends.filter((op) => op.outcome === 'ok').length;
  const longest = finalLists.reduce<ListRead | null>(
    (best, read) => (best === null || read.ids.length > best.ids.length ? read : best),
    null,
  );

  // Reads that are prefixes of the longest final list hold nothing it does not, so only it and the others need an element check.
  const divergent = longest === null ? reads : reads.filter((read) => prefixBreak(read.ids, longest.ids) !== null);
  for (const read of longest === null ? divergent : [longest, ...divergent]) elementsCheck(read, sent, problem);
  if (longest === null) return { key, finalReadIndex: null, ackedCount, infoPresentCount: 0, problems };

  for (const read of divergent) {
    const at = prefixBreak(read.ids, longest.ids) ?? 0;
    const kind = finals.has(read.op) ? 'final-reads-disagree' : 'read-not-prefix';
    const message = `read ${read.index} [${read.ids.length} elements] is not a prefix of final read ${longest.index} [${longest.ids.length}]: they differ at position ${at}`;
    problem(kind, divergence(read, longest, at), longest.index, read.index, message);
  }
  lostFind(appends, finalLists, problem);
  const present = new Set(longest.ids);
  const infoPresentCount = appends.filter(
    (op) => (op.outcome === 'info' || op.outcome === 'open') && present.has(valueId(op.invoke.value)),
  ).length;
  return { key, finalReadIndex: longest.index, ackedCount, infoPresentCount, problems };
}

type ProblemAdd = (
  kind: DurabilityProblemKind,
  value: JsonValue,
  opIndex: number | null,
  readIndex: number | null,
  message: string,
) => void;

/** A read's list; null is the absent key, the empty list. Anything else is not a list and is reported as corrupted. */
function listRead(op: ClientOp, problem: ProblemAdd): ListRead {
  const index = op.completion?.index ?? op.invoke.index;
  const value = op.value;
  if (value !== null && !Array.isArray(value))
    problem('corrupted', value, null, index, `read ${index} returned a non-list value`);
  const values: readonly JsonValue[] = Array.isArray(value) ? (value as readonly JsonValue[]) : [];
  return { op, index, ids: values.map(valueId), values };
}

/** Elements never sent, sent by a failed append, or repeated, in one read. */
function elementsCheck(read: ListRead, sent: ReadonlyMap<ValueId, ClientOp>, problem: ProblemAdd): void {
  const seen = new Set<ValueId>();
  read.ids.forEach((id, i) => {
    const value = read.values[i] ?? null;
    const op = sent.get(id);
    if (op === undefined)
      problem(
        'corrupted',
        value,
        null,
        read.index,
        `read ${read.index} holds ${JSON.stringify(value)}, which no append sent`,
      );
    else if (op.outcome === 'fail') {
      problem(
        'failed-present',
        value,
        op.invoke.index,
        read.index,
        `read ${read.index} holds ${JSON.stringify(value)}, whose append ${op.invoke.index} failed`,
      );
    }
    if (seen.has(id))
      problem(
        'duplicated',
        value,
        op?.invoke.index ?? null,
        read.index,
        `read ${read.index} holds ${JSON.stringify(value)} twice`,
      );
    seen.add(id);
  });
}

/** An acknowledged append must be in every final read that began after the acknowledgement. */
function lostFind(appends: readonly ClientOp[], finalLists: readonly ListRead[], problem: ProblemAdd): void {
  const finalSets = finalLists.map((read) => ({ read, ids: new Set(read.ids) }));
  for (const op of appends) {
    if (op.outcome !== 'ok' || op.completion === null) continue;
    const ackIndex = op.completion.index;
    const id = valueId(op.invoke.value);
    const missing = finalSets.find((entry) => entry.read.op.invoke.index > ackIndex && !entry.ids.has(id));
    if (missing === undefined) continue;
    const message = `append of ${JSON.stringify(op.invoke.value)} acknowledged at ${ackIndex} is missing from final read ${missing.read.index}`;
    problem('lost', op.invoke.value, ackIndex, missing.read.index, message);
  }
}

/** The first position where `prefix` stops being a prefix of `list`; null when it is one. */
function prefixBreak(prefix: readonly ValueId[], list: readonly ValueId[]): number | null {
  for (let i = 0; i < prefix.length; i++) if (i >= list.length || prefix[i] !== list[i]) return i;
  return null;
}

/** Elements shown around a divergence: enough to see it, bounded however long the lists are. */
const divergenceContext = 5;

/** Where two lists part, and a few elements of each from there: lists can hold many thousands of elements. */
function divergence(read: ListRead, final: ListRead, at: number): JsonValue {
  return {
    at,
    readLength: read.values.length,
    finalLength: final.values.length,
    read: read.values.slice(at, at + divergenceContext),
    final: final.values.slice(at, at + divergenceContext),
  };
}
