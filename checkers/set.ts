// The set checker, in the manner of Jepsen's set-full: every element of every
// set gets one category from its add's outcome and the reads that saw it or
// not. Lost, stale (known present, by an acknowledgement or a read, then
// missing from a later read), never-added and failed-but-present elements make
// the run invalid; an acknowledged element no final read could show makes it
// unknown.

import type { HistoryEvent } from '../core/history.js';
import type { SetDetails } from './checker-details.js';
import type { CheckContext, Checker, SetResult } from './checker.js';
import { evidenceMax, historyOps, opsByKey } from './history-ops.js';
import type { SetCategory, SetEvidence } from './set-classify.js';
import { setKeyClassify } from './set-classify.js';

export type { SetCategory } from './set-classify.js';

/** Every category, in the order counts and summaries list them. */
export const setCategories: readonly SetCategory[] = [
  'ok',
  'lost',
  'recovered',
  'stale',
  'never-read',
  'unconfirmed-absent',
  'failed',
  'unexpected',
  'failed-present',
];
const invalidCategories: ReadonlySet<SetCategory> = new Set(['lost', 'stale', 'unexpected', 'failed-present']);

const checkerName = 'set';

export const setChecker: Checker<SetResult> = {
  name: checkerName,
  check(history: readonly HistoryEvent[], _context: CheckContext): SetResult {
    const parsed = historyOps(history);
    if (!parsed.ok)
      return {
        checker: checkerName,
        verdict: 'unknown',
        summary: `history unreadable: ${parsed.error}`,
        reason: parsed.error,
        details: null,
      };
    const counts = Object.fromEntries(setCategories.map((category) => [category, 0])) as Record<SetCategory, number>;
    const evidence: SetEvidenceLists = {};
    let neverReadAcked = 0;
    for (const [key, keyOps] of opsByKey(parsed.value.ops)) {
      for (const entry of setKeyClassify(key, keyOps, parsed.value.finalMarkerIndex)) {
        counts[entry.category]++;
        const neverReadAck = entry.category === 'never-read' && entry.opIndex !== null;
        if (neverReadAck) neverReadAcked++;
        if (!invalidCategories.has(entry.category) && !neverReadAck) continue;
        const list = (evidence[entry.category] ??= []);
        if (list.length < evidenceMax) list.push(entry);
      }
    }
    return setResult(counts, evidence, neverReadAcked, parsed.value.finalMarkerIndex !== null);
  },
};

type SetEvidenceLists = Partial<Record<SetCategory, SetEvidence[]>>;

function setResult(
  counts: Readonly<Record<SetCategory, number>>,
  evidence: SetEvidenceLists,
  neverReadAcked: number,
  finalMarked: boolean,
): SetResult {
  const total = setCategories.reduce((sum, category) => sum + counts[category], 0);
  const details: SetDetails = {
    finalPhase: finalMarked ? 'marker' : 'inferred',
    elements: total,
    counts,
    neverReadAcked,
    evidence,
  };
  const figures = setCategories
    .filter((category) => counts[category] > 0)
    .map((category) => `${counts[category]} ${category}`)
    .join(', ');
  const bad = setCategories.filter((category) => invalidCategories.has(category) && counts[category] > 0);
  if (bad.length > 0) {
    const reason = bad.map((category) => `${counts[category]} ${category}`).join(', ');
    return { checker: checkerName, verdict: 'invalid', summary: `${reason} of ${total} elements`, reason, details };
  }
  if (total === 0 || neverReadAcked > 0) {
    const reason =
      total === 0
        ? 'the history has no set elements'
        : `${neverReadAcked} acknowledged elements never read by a final read`;
    return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details };
  }
  return { checker: checkerName, verdict: 'valid', summary: `${total} elements: ${figures}`, details };
}
