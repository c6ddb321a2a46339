// Classifies every element of one key's set (see SetCategory in set.ts) in
// time linear in the total size of the reads: a set run reads thousands of
// sets of thousands of elements, so nothing here builds a set per read or
// scans every read for every element.

import type { JsonValue } from '../core/history.js';
import type { ClientOp } from './history-ops.js';
import { evidenceMax, finalReads } from './history-ops.js';
import type { ValueId } from './value-id.js';
import { valueId } from './value-id.js';

export type SetCategory =
  /** Added ok and present in the final read. */
  | 'ok'
  /** Added ok and missing from the final read. */
  | 'lost'
  /** Never confirmed (info or unfinished add) but present: it happened. */
  | 'recovered'
  /**
   * Known present (its add acknowledged, or a read saw it) and missing from a
   * read that began after that: a flip-flop, or a stale read of the set.
   */
  | 'stale'
  /** No final read began after the add: nothing can be said. */
  | 'never-read'
  /** Never confirmed and never seen: it did not happen, which is allowed. */
  | 'unconfirmed-absent'
  /** The add failed and no read saw it. */
  | 'failed'
  /** A read saw an element that was never added. */
  | 'unexpected'
  /** A read saw an element whose add definitely failed. */
  | 'failed-present';

export type SetEvidence = {
  readonly key: string;
  readonly element: JsonValue;
  readonly category: SetCategory;
  /** The add's completion (its invocation when it never completed), or for stale the event that made the element known. */
  readonly opIndex: number | null;
  /** The read that proves the category: the final read, or for stale a later read that missed the element. */
  readonly readIndex: number | null;
};

interface SetRead {
  readonly invokeIndex: number;
  /** The completion index: the event that carries the observed set. */
  readonly index: number;
  readonly values: readonly JsonValue[];
}

/** Everything classification needs about one element, gathered in linear passes. */
interface ElementFacts {
  readonly element: JsonValue;
  readonly add: ClientOp | null;
  /** The read that saw the element first, by completion. */
  seen: SetRead | null;
  /** When the element became known present: its acknowledgement or its first sighting (Infinity: never). */
  knownIndex: number;
  /** Reads invoked after knownIndex that hold the element. */
  presentAfterKnown: number;
}

export function setKeyClassify(
  key: string,
  keyOps: readonly ClientOp[],
  finalMarkerIndex: number | null,
): SetEvidence[] {
  const reads = keyOps.filter((op) => op.f === 'read' && op.outcome === 'ok').map(setRead);
  const finalOp = finalReads(keyOps, finalMarkerIndex).at(-1);
  const finalRead =
    finalOp === undefined ? null : (reads.find((read) => read.invokeIndex === finalOp.invoke.index) ?? null);
  const finalIds = new Set((finalRead?.values ?? []).map(valueId));
  const facts = elementFacts(keyOps, reads);
  const invokeIndices = reads.map((read) => read.invokeIndex);
  const staleIds = [...facts]
    .filter(([, fact]) => fact.presentAfterKnown < readsInvokedAfter(invokeIndices, fact.knownIndex))
    .map(([id]) => id);
  const missingReads = staleEvidence(new Set(staleIds.slice(0, evidenceMax)), facts, reads);
  const stale = new Set(staleIds);
  return [...facts].map(([id, fact]) => {
    const staleEntry = stale.has(id) ? ([fact.knownIndex, missingReads.get(id) ?? null] as const) : null;
    const [category, opIndex, readIndex] = elementCategory(fact, staleEntry, finalRead, finalIds.has(id));
    return { key, element: fact.element, category, opIndex, readIndex };
  });
}

type CategoryWithEvidence = readonly [category: SetCategory, opIndex: number | null, readIndex: number | null];

/** Lost comes before stale: an acknowledged element missing at the end is lost, whatever happened before. */
function elementCategory(
  fact: ElementFacts,
  stale: readonly [number, number | null] | null,
  finalRead: SetRead | null,
  inFinal: boolean,
): CategoryWithEvidence {
  const { add, seen } = fact;
  const addIndex = add?.completion?.index ?? add?.invoke.index ?? null;
  const staleEntry: CategoryWithEvidence | null = stale === null ? null : ['stale', stale[0], stale[1]];
  if (add === null) return ['unexpected', null, seen?.index ?? null];
  if (add.outcome === 'fail')
    return seen === null ? ['failed', addIndex, null] : ['failed-present', addIndex, seen.index];
  const readable = finalRead !== null && finalRead.invokeIndex > add.invoke.index;
  if (!readable) return staleEntry ?? ['never-read', add.outcome === 'ok' ? addIndex : null, null];
  if (!inFinal && add.outcome === 'ok') return ['lost', addIndex, finalRead.index];
  if (staleEntry !== null) return staleEntry;
  if (!inFinal) return ['unconfirmed-absent', addIndex, finalRead.index];
  return [add.outcome === 'ok' ? 'ok' : 'recovered', addIndex, finalRead.index];
}

/** Facts per element: every element added and every element any read saw. */
function elementFacts(keyOps: readonly ClientOp[], reads: readonly SetRead[]): Map<ValueId, ElementFacts> {
  const facts = new Map<ValueId, ElementFacts>();
  for (const op of keyOps) {
    if (op.f !== 'add' || facts.has(valueId(op.invoke.value))) continue;
    const knownIndex =
      op.outcome === 'ok' ? (op.completion?.index ?? Number.POSITIVE_INFINITY) : Number.POSITIVE_INFINITY;
    facts.set(valueId(op.invoke.value), {
      element: op.invoke.value,
      add: op,
      seen: null,
      knownIndex,
      presentAfterKnown: 0,
    });
  }
  for (const read of [...reads].sort((a, b) => a.index - b.index)) {
    for (const value of read.values) {
      const fact = facts.get(valueId(value));
      if (fact === undefined)
        facts.set(valueId(value), {
          element: value,
          add: null,
          seen: read,
          knownIndex: read.index,
          presentAfterKnown: 0,
        });
      else if (fact.seen === null) {
        fact.seen = read;
        fact.knownIndex = Math.min(fact.knownIndex, read.index);
      }
    }
  }
  for (const read of reads) {
    for (const value of read.values) {
      const fact = facts.get(valueId(value));
      if (fact !== undefined && read.invokeIndex > fact.knownIndex) fact.presentAfterKnown++;
    }
  }
  return facts;
}

/** For each of a bounded number of stale elements, the first read after it was known that lacks it: one pass over the reads. */
function staleEvidence(
  staleIds: ReadonlySet<ValueId>,
  facts: ReadonlyMap<ValueId, ElementFacts>,
  reads: readonly SetRead[],
): Map<ValueId, number> {
  const missing = new Map<ValueId, number>();
  if (staleIds.size === 0) return missing;
  for (const read of reads) {
    const held = new Set(read.values.map(valueId).filter((id) => staleIds.has(id)));
    for (const id of staleIds) {
      const known = facts.get(id)?.knownIndex ?? Number.POSITIVE_INFINITY;
      if (!missing.has(id) && read.invokeIndex > known && !held.has(id)) missing.set(id, read.index);
    }
  }
  return missing;
}

/** How many reads were invoked after an index; invokeIndices ascending (reads come in invocation order). */
function readsInvokedAfter(invokeIndices: readonly number[], index: number): number {
  let low = 0;
  let high = invokeIndices.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((invokeIndices[middle] ?? Number.POSITIVE_INFINITY) <= index) low = middle + 1;
    else high = middle;
  }
  return invokeIndices.length - low;
}

/** A read's elements; null is the empty set, and a value that is not a list is one element nobody added. */
function setRead(op: ClientOp): SetRead {
  const value = op.value;
  const values: readonly JsonValue[] =
    value === null ? [] : Array.isArray(value) ? (value as readonly JsonValue[]) : [value];
  return { invokeIndex: op.invoke.index, index: op.completion?.index ?? op.invoke.index, values };
}
