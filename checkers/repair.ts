// The repair checker: whether every block the store found corrupt was repaired
// once the faults stopped, and none again and again. It reads the runner's
// observations after the heal: a scrub of every node, the wait for unrepaired
// blocks to reach 0, and a second scrub that must find nothing.

import type { HistoryEvent } from '../core/history.js';
import type { RepairDetails, RepairFiguresMissing } from './checker-details.js';
import type { Checker, RepairResult } from './checker.js';
import { evidenceMax } from './history-ops.js';
import {
  livenessPhase,
  nemesisTargets,
  phaseMarkerIndex,
  repairObservations,
  scrubObservations,
  type RepairObservation,
  type ScrubObservation,
} from './liveness-events.js';

/** Problems named in the summary line. */
const summaryProblemsMax = 3;
const checkerName = 'repair';

/**
 * Repairs of one block a node may make before the repair is judged not to hold.
 * A block is repaired once each time it goes bad. The corruption faults damage
 * blocks on purpose and may hit the same block in several faults, so each
 * corrupt fault that took effect on a node allows one more repair there (see
 * repairsAllowed). On top of that, 3: a node killed after rewriting a block but
 * before the rewrite was synced finds the block bad again at start and repairs it
 * again, and a kill-node schedule may do that twice more. More repairs than this
 * mean the block keeps going bad with nothing damaging it.
 */
export const blockRepairsSlack = 3;

const corruptStartPrefix = 'start-corrupt-';

/** Reads only the history (no workload, no model), so `quorumlab check` runs it on a stored run too. */
export const repairChecker: Checker<RepairResult> = { name: checkerName, check: (history) => repairCheck(history) };

export function repairCheck(history: readonly HistoryEvent[]): RepairResult {
  const scrubs = scrubObservations(history);
  const repairs = repairObservations(history);
  if (!scrubs.ok) return unknown(`observations unreadable: ${scrubs.error}`);
  if (!repairs.ok) return unknown(`observations unreadable: ${repairs.error}`);
  const first = scrubs.observed.findLast((o) => o.value.pass === 1)?.value;
  const second = scrubs.observed.findLast((o) => o.value.pass === 2)?.value;
  if (first === undefined) return unknown(notReachedReason(history));
  if (first.nodes.length === 0)
    return { checker: checkerName, verdict: 'valid', summary: 'no storage nodes to scrub', details: null };
  if (first.nodes.every((node) => node.figures === null))
    return unknown(`the store gave no scrub figures (${missingText(scrubMissing(first, 'first scrub'))})`);
  if (second === undefined)
    return unknown('the history ends before the second scrub (the run crashed or was interrupted)');
  const details = repairDetails(
    history,
    first,
    second,
    repairs.observed.at(-1)?.value ?? null,
    repairs.observed.length,
  );
  const problems = [
    ...details.unrepaired.map((u) => `${u.node}: ${u.blocks} blocks still unrepaired after ${u.watchedMs} ms`),
    ...details.corruptAfter.map((c) => `${c.node}: the second scrub found ${c.blocks} corrupt blocks`),
    ...details.repairedTooOften.map(
      (r) => `${r.node}: one block repaired ${r.blockRepairsMax} times (at most ${r.allowed} expected)`,
    ),
  ];
  if (problems.length > 0) {
    return {
      checker: checkerName,
      verdict: 'invalid',
      summary: problemsSummary(problems),
      reason: problems.join('; '),
      details,
    };
  }
  const gaps = [
    ...(details.missing.length > 0 ? [`no figures from ${missingText(details.missing)}`] : []),
    ...(details.secondPassIncomplete.length > 0
      ? [`the second scrub of ${details.secondPassIncomplete.join(', ')} was cut short by its bound`]
      : []),
  ];
  if (gaps.length > 0) {
    const reason = gaps.join('; ');
    return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details };
  }
  return { checker: checkerName, verdict: 'valid', summary: validSummary(details), details };
}

function repairDetails(
  history: readonly HistoryEvent[],
  first: ScrubObservation,
  second: ScrubObservation,
  lastRepair: RepairObservation | null,
  repairRounds: number,
): RepairDetails {
  const sum = (values: readonly (number | null | undefined)[]): number =>
    values.reduce<number>((total, value) => total + (value ?? 0), 0);
  const repairNodes = lastRepair?.nodes ?? [];
  const watchedMs = lastRepair?.watchedMs ?? 0;
  const repairMaxes = repairNodes.flatMap((n) => (n.blockRepairsMax === null ? [] : [n.blockRepairsMax]));
  const missing = [
    ...scrubMissing(first, 'first scrub'),
    ...scrubMissing(second, 'second scrub'),
    ...(lastRepair === null
      ? [{ node: 'every node', what: 'repair stats', error: 'no repair observation' }]
      : repairNodes.flatMap((n) =>
          n.blocksUnrepaired === null || n.blockRepairsMax === null
            ? [{ node: n.node, what: 'repair stats', error: n.error ?? 'not reported' }]
            : [],
        )),
  ];
  const unrepaired = repairNodes.flatMap((n) =>
    (n.blocksUnrepaired ?? 0) > 0 ? [{ node: n.node, blocks: n.blocksUnrepaired ?? 0, watchedMs }] : [],
  );
  const corruptAfter = second.nodes.flatMap((n) =>
    (n.figures?.blocksCorrupt ?? 0) > 0 ? [{ node: n.node, blocks: n.figures?.blocksCorrupt ?? 0 }] : [],
  );
  const repairedTooOften = repairNodes.flatMap((n) => {
    const allowed = repairsAllowed(history, n.node);
    return n.blockRepairsMax !== null && n.blockRepairsMax > allowed
      ? [{ node: n.node, blockRepairsMax: n.blockRepairsMax, allowed }]
      : [];
  });
  return {
    nodes: first.nodes.length,
    blocksChecked: sum(first.nodes.map((n) => n.figures?.blocksChecked)),
    blocksCorruptFound: sum(first.nodes.map((n) => n.figures?.blocksCorrupt)),
    blocksCorruptAfter: sum(second.nodes.map((n) => n.figures?.blocksCorrupt)),
    blocksUnrepaired: sum(repairNodes.map((n) => n.blocksUnrepaired)),
    blockRepairsMax: repairMaxes.length === 0 ? null : Math.max(...repairMaxes),
    repairRounds,
    repairWatchedMs: lastRepair?.watchedMs ?? null,
    unrepaired: unrepaired.slice(0, evidenceMax),
    corruptAfter: corruptAfter.slice(0, evidenceMax),
    repairedTooOften: repairedTooOften.slice(0, evidenceMax),
    missing: missing.slice(0, evidenceMax),
    secondPassIncomplete: second.nodes.flatMap((n) => (n.figures !== null && !n.figures.complete ? [n.node] : [])),
  };
}

/** blockRepairsSlack, plus one per corrupt fault that took effect with this node among its targets. */
export function repairsAllowed(history: readonly HistoryEvent[], node: string): number {
  let damaged = 0;
  for (const event of history) {
    if (event.process !== 'nemesis' || event.type !== 'info' || event.error !== undefined) continue;
    if (event.f.startsWith(corruptStartPrefix) && nemesisTargets(event.value).includes(node)) damaged++;
  }
  return blockRepairsSlack + damaged;
}

function scrubMissing(observation: ScrubObservation, what: string): RepairFiguresMissing[] {
  return observation.nodes.flatMap((n) =>
    n.figures === null ? [{ node: n.node, what, error: n.error ?? 'no figures' }] : [],
  );
}

function notReachedReason(history: readonly HistoryEvent[]): string {
  if (phaseMarkerIndex(history, livenessPhase) !== null)
    return 'the history ends inside the liveness phase, before the first scrub (the run crashed or was interrupted)';
  return 'no scrub was observed: the run ended before its liveness phase, or it was not recorded by `quorumlab test`';
}

function missingText(missing: readonly RepairFiguresMissing[]): string {
  return missing
    .slice(0, 3)
    .map((m) => `${m.node} (${m.what}: ${m.error})`)
    .concat(missing.length > 3 ? [`${missing.length - 3} more`] : [])
    .join(', ');
}

function validSummary(details: RepairDetails): string {
  const found =
    details.blocksCorruptFound === 0
      ? 'no corrupt blocks found'
      : `${details.blocksCorruptFound} corrupt blocks found, all repaired`;
  const max = details.blockRepairsMax;
  const most =
    max === null
      ? ''
      : max === 0
        ? ', no block repaired'
        : `, at most ${max} repair${max === 1 ? '' : 's'} of one block`;
  return `${details.blocksChecked} blocks scrubbed on ${details.nodes} nodes: ${found}; the second scrub found none${most}`;
}

function unknown(reason: string): RepairResult {
  return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details: null };
}

/** The first few problems in the one-line summary; the reason lists every one. */
function problemsSummary(problems: readonly string[]): string {
  const shown = problems.slice(0, summaryProblemsMax).join('; ');
  return problems.length > summaryProblemsMax ? `${shown}; and ${problems.length - summaryProblemsMax} more` : shown;
}
