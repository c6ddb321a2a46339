// The liveness checker: what the store owes once the faults stop. Every stop of
// the final heal took effect; after the heal, every key took a write and a read;
// and every replica caught up with the highest SCL of its PG within the watch's
// bound. It reads the liveness phase and the runner's observations from the history.

import type { HistoryEvent } from '../core/history.js';
import type { HealFailure, LivenessDetails, LivenessKeys, ReplicaBehind, ReplicaWatch } from './checker-details.js';
import type { Checker, LivenessResult } from './checker.js';
import { evidenceMax, historyOps, type ClientOp } from './history-ops.js';
import {
  livenessPhase,
  nemesisTargets,
  phaseMarkerIndex,
  replicasObservations,
  type Observed,
  type ReplicasObservation,
} from './liveness-events.js';

/** Problems named in the summary line. */
const summaryProblemsMax = 3;
const checkerName = 'liveness';

const healPhase = 'heal';
const stopPrefix = 'stop-';

/** Reads only the history (no workload, no model), so `quorumlab check` runs it on a stored run too. */
export const livenessChecker: Checker<LivenessResult> = {
  name: checkerName,
  check: (history) => livenessCheck(history),
};

export function livenessCheck(history: readonly HistoryEvent[]): LivenessResult {
  const healFailures = healFailuresOf(history);
  const livenessIndex = phaseMarkerIndex(history, livenessPhase);
  const replicas = replicasObservations(history);
  if (!replicas.ok) return unknown(`observations unreadable: ${replicas.error}`, healFailures);
  const last = replicas.observed.at(-1);
  if (livenessIndex === null || last === undefined)
    return unknown(notReachedReason(history, livenessIndex), healFailures);
  const parsed = historyOps(history);
  if (!parsed.ok) return unknown(`history unreadable: ${parsed.error}`, healFailures);
  const startNs = history[livenessIndex]?.time ?? 0;
  const keys = keysCheck(parsed.value.ops, livenessIndex, startNs);
  const behind = replicasBehind(last.value);
  const details: LivenessDetails = {
    keys: { ...keys, unwritten: keys.unwritten.slice(0, evidenceMax), unread: keys.unread.slice(0, evidenceMax) },
    replicas: replicaWatch(replicas.observed, behind.length === 0),
    behind: behind.slice(0, evidenceMax),
    healFailures: healFailures.slice(0, evidenceMax),
  };
  const problems = [
    ...healFailures.map(healFailureText),
    ...(keys.unwritten.length > 0 ? [`${keysText(keys.unwritten)} had no ok write after the heal`] : []),
    ...(keys.unread.length > 0 ? [`${keysText(keys.unread)} had no ok read after the heal`] : []),
    ...behind.map(behindText),
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
  return { checker: checkerName, verdict: 'valid', summary: validSummary(keys, details.replicas), details };
}

/** Why the history cannot say whether the store recovered: the run ended before the liveness phase did. */
function notReachedReason(history: readonly HistoryEvent[], livenessIndex: number | null): string {
  if (livenessIndex !== null)
    return 'the history ends inside the liveness phase, before the replicas were observed (the run crashed or was interrupted)';
  if (phaseMarkerIndex(history, healPhase) !== null)
    return 'the history ends after the heal began, before the liveness phase (the run crashed or was interrupted)';
  return 'the history has no liveness phase: the run ended before its heal, or it was not recorded by `quorumlab test`';
}

/** Stops recorded with an error between the heal marker and the liveness marker (or the end). */
function healFailuresOf(history: readonly HistoryEvent[]): HealFailure[] {
  const healIndex = phaseMarkerIndex(history, healPhase);
  if (healIndex === null) return [];
  const endIndex = phaseMarkerIndex(history, livenessPhase) ?? history.length;
  return history.slice(healIndex + 1, endIndex).flatMap((event) =>
    event.process === 'nemesis' && event.type === 'info' && event.f.startsWith(stopPrefix) && event.error !== undefined
      ? [
          {
            index: event.index,
            fault: event.f.slice(stopPrefix.length),
            targets: nemesisTargets(event.value),
            error: event.error,
          },
        ]
      : [],
  );
}

/**
 * Every key the run touched must take an ok write and an ok read invoked after
 * the phase began. The runner bounds how long it tries (--liveness-timeout for
 * the writes, the final reads' own bound); what did not succeed by then is absent.
 */
function keysCheck(ops: readonly ClientOp[], livenessIndex: number, startNs: number): LivenessKeys {
  const keys = new Set<string>();
  const writeOkNs = new Map<string, number>();
  const readOkNs = new Map<string, number>();
  for (const op of ops) {
    if (op.key === null) continue;
    keys.add(op.key);
    if (op.invoke.index < livenessIndex || op.outcome !== 'ok' || op.completion === null) continue;
    const firsts = op.f === 'read' ? readOkNs : writeOkNs;
    if (!firsts.has(op.key)) firsts.set(op.key, op.completion.time);
  }
  const sorted = [...keys].sort();
  const slowestMs = (firsts: ReadonlyMap<string, number>): number | null =>
    firsts.size === 0 ? null : (Math.max(...firsts.values()) - startNs) / 1e6;
  return {
    keys: keys.size,
    unwritten: sorted.filter((key) => !writeOkNs.has(key)),
    unread: sorted.filter((key) => !readOkNs.has(key)),
    writeOkMsMax: slowestMs(writeOkNs),
    readOkMsMax: slowestMs(readOkNs),
  };
}

/** Per PG, every replica short of the highest SCL any replica of the PG reported; a silent node is behind on all. */
export function replicasBehind(observation: ReplicasObservation): ReplicaBehind[] {
  const highest: number[] = [];
  for (const node of observation.nodes)
    node.scls?.forEach((scl, pg) => {
      highest[pg] = Math.max(highest[pg] ?? scl, scl);
    });
  const watchedMs = observation.watchedMs;
  return observation.nodes.flatMap((node): ReplicaBehind[] => {
    if (node.scls === null)
      return [{ node: node.node, pg: null, scl: null, pgHighest: null, watchedMs, error: node.error ?? 'no SCLs' }];
    const scls = node.scls;
    return highest.flatMap((pgHighest, pg) =>
      (scls[pg] ?? -1) >= pgHighest
        ? []
        : [{ node: node.node, pg, scl: scls[pg] ?? null, pgHighest, watchedMs, error: null }],
    );
  });
}

function replicaWatch(observed: readonly Observed<ReplicasObservation>[], caughtUp: boolean): ReplicaWatch | null {
  const last = observed.at(-1);
  if (last === undefined) return null;
  const pgs = Math.max(0, ...last.value.nodes.map((node) => node.scls?.length ?? 0));
  return {
    nodes: last.value.nodes.length,
    pgs,
    rounds: observed.length,
    watchedMs: last.value.watchedMs,
    timeoutMs: last.value.timeoutMs,
    caughtUp,
  };
}

function unknown(reason: string, healFailures: readonly HealFailure[]): LivenessResult {
  if (healFailures.length > 0) {
    const failed = healFailures.map(healFailureText).join('; ');
    const details: LivenessDetails = {
      keys: null,
      replicas: null,
      behind: [],
      healFailures: healFailures.slice(0, evidenceMax),
    };
    return {
      checker: checkerName,
      verdict: 'invalid',
      summary: failed,
      reason: `${failed}; ${reason}`,
      details,
    };
  }
  return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details: null };
}

function healFailureText(failure: HealFailure): string {
  const on = failure.targets.length === 0 ? '' : ` on ${failure.targets.join(', ')}`;
  return `heal of ${failure.fault}${on} failed: ${failure.error}`;
}

function behindText(behind: ReplicaBehind): string {
  if (behind.pg === null) return `replica ${behind.node} not observed after ${behind.watchedMs} ms: ${behind.error}`;
  return `replica ${behind.node} behind on pg ${behind.pg}: SCL ${behind.scl ?? 'none'} < ${behind.pgHighest} after ${behind.watchedMs} ms`;
}

function keysText(keys: readonly string[]): string {
  const shown = keys.slice(0, 5).join(', ');
  return keys.length === 1 ? `key ${shown}` : `${keys.length} keys (${shown}${keys.length > 5 ? ', ...' : ''})`;
}

function validSummary(keysSeen: LivenessKeys, watch: ReplicaWatch | null): string {
  const timing = (ms: number | null): string => (ms === null ? 'n/a' : `${Math.round(ms)} ms`);
  const keys = `${keysSeen.keys} keys written and read after the heal (slowest write ${timing(keysSeen.writeOkMsMax)}, read ${timing(keysSeen.readOkMsMax)})`;
  if (watch === null || watch.nodes === 0) return `${keys}; no storage nodes to watch`;
  return `${keys}; ${watch.nodes} replicas of ${watch.pgs} PG${watch.pgs === 1 ? '' : 's'} caught up in ${watch.rounds} round${watch.rounds === 1 ? '' : 's'} (${watch.watchedMs} ms)`;
}

/** The first few problems in the one-line summary; the reason lists every one. */
function problemsSummary(problems: readonly string[]): string {
  const shown = problems.slice(0, summaryProblemsMax).join('; ');
  return problems.length > summaryProblemsMax ? `${shown}; and ${problems.length - summaryProblemsMax} more` : shown;
}
