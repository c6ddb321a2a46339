// The durability checker: every acknowledged write (register workload) or
// append (append workload) is present in the final state after recovery. It
// runs the per-key analysis of the workload and sums the keys up: any problem
// makes the run invalid; a key without a final read makes it unknown.

import type { HistoryEvent } from '../core/history.js';
import type { DurabilityDetails, DurabilityKeyRow } from './checker-details.js';
import type { CheckContext, Checker, DurabilityResult } from './checker.js';
import { appendKeyCheck } from './durability-append.js';
import type { DurabilityKeyReport, DurabilityProblem, DurabilityProblemKind } from './durability-key.js';
import { durabilityProblemKinds } from './durability-key.js';
import { registerKeyCheck } from './durability-register.js';
import type { ClientOp } from './history-ops.js';
import { evidenceMax, historyOps, opsByKey } from './history-ops.js';

const checkerName = 'durability';
/** Bound on the per-key rows in the details; the totals cover every key. */
const keysReportedMax = 1000;

type KeyCheck = (key: string, keyOps: readonly ClientOp[], finalMarkerIndex: number | null) => DurabilityKeyReport;

type DurableWorkload = DurabilityDetails['workload'];

const keyChecks: Readonly<Record<DurableWorkload, KeyCheck>> = { register: registerKeyCheck, append: appendKeyCheck };

export const durabilityChecker: Checker<DurabilityResult> = {
  name: checkerName,
  check(history: readonly HistoryEvent[], context: CheckContext): DurabilityResult {
    const workload = context.workload;
    if (workload !== 'register' && workload !== 'append') {
      const reason = `durability applies to the register and append workloads, not "${context.workload}"`;
      return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details: null };
    }
    const parsed = historyOps(history);
    if (!parsed.ok)
      return {
        checker: checkerName,
        verdict: 'unknown',
        summary: `history unreadable: ${parsed.error}`,
        reason: parsed.error,
        details: null,
      };
    const { ops, finalMarkerIndex } = parsed.value;
    const keyCheck = keyChecks[workload];
    const reports = [...opsByKey(ops)].map(([key, keyOps]) => keyCheck(key, keyOps, finalMarkerIndex));
    return durabilityResult(reports, workload, finalMarkerIndex !== null);
  },
};

function durabilityResult(
  reports: readonly DurabilityKeyReport[],
  workload: DurableWorkload,
  finalMarked: boolean,
): DurabilityResult {
  const problems = reports.flatMap((report) => report.problems);
  const counts = problemCounts(problems);
  const keysUnknown = reports
    .filter((report) => report.finalReadIndex === null && report.problems.length === 0)
    .map((report) => report.key);
  const acked = reports.reduce((sum, report) => sum + report.ackedCount, 0);
  const infoPresent = reports.reduce((sum, report) => sum + report.infoPresentCount, 0);
  const noun = workload === 'append' ? 'appends' : 'writes';
  const details: DurabilityDetails = {
    workload,
    finalPhase: finalMarked ? 'marker' : 'inferred',
    keys: reports.length,
    keysUnknown: keysUnknown.slice(0, keysReportedMax),
    acked,
    infoPresent,
    counts,
    problems: problems.slice(0, evidenceMax),
    perKey: reports.slice(0, keysReportedMax).map(keyRow),
  };
  if (problems.length > 0) {
    const summary = problemsSummary(counts, noun);
    return { checker: checkerName, verdict: 'invalid', summary, reason: problems[0]?.message ?? summary, details };
  }
  if (reports.length === 0 || keysUnknown.length > 0) {
    const reason =
      reports.length === 0
        ? 'the history has no client operations on any key'
        : `${keysUnknown.length} of ${reports.length} keys have no final read: ${keysUnknown.slice(0, 10).join(', ')}`;
    return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details };
  }
  const summary = `all ${acked} acknowledged ${noun} present in the final state of ${reports.length} keys; ${infoPresent} values from indefinite operations present`;
  return { checker: checkerName, verdict: 'valid', summary, details };
}

function problemCounts(problems: readonly DurabilityProblem[]): Record<DurabilityProblemKind, number> {
  const counts = Object.fromEntries(durabilityProblemKinds.map((kind) => [kind, 0])) as Record<
    DurabilityProblemKind,
    number
  >;
  for (const problem of problems) counts[problem.kind]++;
  return counts;
}

function problemsSummary(counts: Readonly<Record<DurabilityProblemKind, number>>, noun: string): string {
  const phrases: Readonly<Record<DurabilityProblemKind, string>> = {
    lost: `acknowledged ${noun} lost`,
    corrupted: 'values never written',
    'failed-present': `values of failed ${noun} present`,
    duplicated: 'duplicated elements',
    'final-reads-disagree': 'final reads disagreeing',
    'read-not-prefix': 'reads not a prefix of the final list',
  };
  return durabilityProblemKinds
    .filter((kind) => counts[kind] > 0)
    .map((kind) => `${counts[kind]} ${phrases[kind]}`)
    .join(', ');
}

function keyRow(report: DurabilityKeyReport): DurabilityKeyRow {
  const status = report.problems.length > 0 ? 'invalid' : report.finalReadIndex === null ? 'unknown' : 'valid';
  const lost = report.problems.filter((problem) => problem.kind === 'lost').length;
  return {
    key: report.key,
    status,
    finalReadIndex: report.finalReadIndex,
    acked: report.ackedCount,
    lost,
    infoPresent: report.infoPresentCount,
    problems: report.problems.length,
  };
}
