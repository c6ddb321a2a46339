// The list-append transactional checker: every anomaly it can find in a
// history (reads, version orders, dependency cycles), then Elle's rule for the
// verdict: invalid when an anomaly the asked-for models forbid was found,
// unknown when only a reportable unknown (no dependencies to check, a search
// that ran out of budget) was, valid otherwise. Pure: history in, result out.

import type { Clock } from '../../core/clock.js';
import type { Verdict } from '../../core/verdict.js';
import type { AnomalyCase } from './anomaly-case.js';
import { anomaliesImplying, anomaliesProhibitedBy, modelsImpossible, modelsWeakest } from './consistency-models.js';
import type { CheckScope, DetectorName } from './check-scope.js';
import { cycleAnomalies } from './cycle-anomalies.js';
import { futureReadCases, internalCases } from './internal-anomalies.js';
import { duplicateCases, g1aCases, g1bCases, lostUpdateCases } from './read-anomalies.js';
import type { TxnHistory } from './txn-types.js';
import { dirtyUpdateCases, versionOrders } from './version-order.js';

export interface TxnCheckOptions {
  readonly scope: CheckScope;
  readonly clock: Clock;
  /** The whole check's time budget. */
  readonly timeoutMs: number;
  /** Time and steps one strongly connected component's cycle search may take. */
  readonly cycleSearchTimeoutMs: number;
  readonly cycleSearchStepsMax: number;
  readonly edgesMax: number;
}

export const txnCheckDefaults = {
  timeoutMs: 60_000,
  cycleSearchTimeoutMs: 10_000,
  cycleSearchStepsMax: 200_000_000,
  edgesMax: 50_000_000,
} as const;

export interface TxnCheckFigures {
  readonly txns: number;
  readonly edges: number;
  /** Strongly connected components of two or more transactions, and the largest's size. */
  readonly sccs: number;
  readonly sccLargest: number;
  readonly elapsedMs: number;
}

export interface TxnCheckResult {
  readonly verdict: Verdict;
  /** Names of the reportable anomalies found, sorted. */
  readonly anomalyTypes: readonly string[];
  readonly anomalies: readonly AnomalyCase[];
  /** The weakest models every anomaly found (reportable or not) rules out. */
  readonly not: readonly string[];
  readonly reason: string | null;
  readonly figures: TxnCheckFigures;
}

const unknownTypes: readonly string[] = ['empty-transaction-graph', 'cycle-search-timeout'];

export function txnCheck(history: TxnHistory, options: TxnCheckOptions): TxnCheckResult {
  const startMs = options.clock.nowMs();
  const figuresEmpty = { txns: history.txns.length, edges: 0, sccs: 0, sccLargest: 0 };
  const { scope } = options;
  if (scope.kind === 'detector') {
    const cases = detectorCases(history, scope.detector);
    const types = [...new Set(cases.map((c) => c.type))].sort();
    return {
      verdict: cases.length > 0 ? 'invalid' : 'valid',
      anomalyTypes: types,
      anomalies: cases,
      not: modelsWeakest(modelsImpossible(types)),
      reason: null,
      figures: figuresDone(figuresEmpty, options.clock, startMs),
    };
  }
  const duplicate = duplicateAppend(history);
  if (duplicate !== null) {
    const figures = figuresDone(figuresEmpty, options.clock, startMs);
    return { verdict: 'unknown', anomalyTypes: [], anomalies: [], not: [], reason: duplicate, figures };
  }
  const prohibited = new Set([...anomaliesImplying(scope.anomalies), ...anomaliesProhibitedBy(scope.models)]);
  const reportable = new Set([...prohibited, ...unknownTypes]);
  const cases = [...nonCycleCases(history)];
  const orders = versionOrders(history, (txn) => txn.outcome !== 'fail', true);
  cases.push(...orders.incompatible);
  // Realtime order contains process order (a process runs one transaction at a time), so Elle adds
  // process edges only when no realtime anomaly is asked about; a process anomaly then shows as -realtime.
  const realtime = [...reportable].some((name) => name.endsWith('-realtime'));
  const cycles = cycleAnomalies(history, orders, {
    process: !realtime && [...reportable].some((name) => name.endsWith('-process')),
    realtime,
    clock: options.clock,
    deadlineMs: startMs + options.timeoutMs,
    cycleSearchTimeoutMs: options.cycleSearchTimeoutMs,
    cycleSearchStepsMax: options.cycleSearchStepsMax,
    edgesMax: options.edgesMax,
  });
  cases.push(...cycles.cases);
  const judged = verdictOf(cases, prohibited, reportable);
  const verdict: Verdict = judged.verdict === 'valid' && cycles.reason !== null ? 'unknown' : judged.verdict;
  // A budget that ran out is the reason behind an unknown, and worth saying beside an invalid too.
  const timeout = judged.anomalies.find((c) => c.type === 'cycle-search-timeout');
  const reason = cycles.reason ?? timeout?.explanation ?? null;
  return { ...judged, verdict, reason, figures: figuresDone(cycles.figures, options.clock, startMs) };
}

/** txnCheck, with a checker that throws reported as unknown with the error as the reason. */
export function txnCheckGuarded(history: TxnHistory, options: TxnCheckOptions): TxnCheckResult {
  const startMs = options.clock.nowMs();
  try {
    return txnCheck(history, options);
  } catch (error) {
    const figures = figuresDone(
      { txns: history.txns.length, edges: 0, sccs: 0, sccLargest: 0 },
      options.clock,
      startMs,
    );
    const reason = `the checker failed: ${error instanceof Error ? error.message : String(error)}`;
    return { verdict: 'unknown', anomalyTypes: [], anomalies: [], not: [], reason, figures };
  }
}

function figuresDone(figures: Omit<TxnCheckFigures, 'elapsedMs'>, clock: Clock, startMs: number): TxnCheckFigures {
  return { ...figures, elapsedMs: clock.nowMs() - startMs };
}

function nonCycleCases(history: TxnHistory): AnomalyCase[] {
  return [
    ...g1aCases(history),
    ...g1bCases(history),
    ...internalCases(history),
    ...futureReadCases(history),
    ...dirtyUpdateCases(history),
    ...duplicateCases(history),
    ...lostUpdateCases(history),
  ];
}

function detectorCases(history: TxnHistory, detector: DetectorName): AnomalyCase[] {
  switch (detector) {
    case 'g1a-cases':
      return g1aCases(history);
    case 'g1b-cases':
      return g1bCases(history);
    case 'internal-cases':
      return [...internalCases(history), ...futureReadCases(history)];
  }
}

/** Elle's rule: the found anomalies that are reportable, less cycle-exists proofs a named anomaly makes redundant. */
function verdictOf(
  cases: readonly AnomalyCase[],
  prohibited: ReadonlySet<string>,
  reportable: ReadonlySet<string>,
): Omit<TxnCheckResult, 'reason' | 'figures'> {
  const found = new Set(cases.map((c) => c.type));
  const not = modelsWeakest(modelsImpossible(found));
  const shown = new Set([...found].filter((type) => reportable.has(type)));
  const named = [...shown].filter((type) => !type.endsWith('-cycle-exists'));
  const ruledOut = modelsImpossible(named);
  for (const type of [...shown]) {
    if (type.endsWith('-cycle-exists') && ruledOut.has(cycleExistsModel(cases, type))) shown.delete(type);
  }
  if (shown.size === 0) return { verdict: 'valid', anomalyTypes: [], anomalies: [], not };
  const bad = [...found].some((type) => prohibited.has(type));
  return {
    verdict: bad ? 'invalid' : 'unknown',
    anomalyTypes: [...shown].sort(),
    anomalies: cases.filter((c) => shown.has(c.type)),
    not,
  };
}

/** The model a cycle-exists case proves violated. */
function cycleExistsModel(cases: readonly AnomalyCase[], type: string): string {
  return cases.find((c) => c.type === type)?.model ?? '';
}

/** Elle refuses a history where one element is appended twice to a key: the version order would be ambiguous. */
function duplicateAppend(history: TxnHistory): string | null {
  const seen = history.elementNames.map((elements) => new Int32Array(elements.length).fill(-1));
  for (const txn of history.txns) {
    for (const mop of txn.mops) {
      if (mop.f !== 'append') continue;
      const earlier = seen[mop.key]![mop.element]!;
      if (earlier !== -1) {
        const names = history.elementNames[mop.key]!;
        return `element ${names[mop.element]} is appended to ${history.keyNames[mop.key]} more than once (T${history.txns[earlier]!.completeIndex} and T${txn.completeIndex}): list-append needs unique elements`;
      }
      seen[mop.key]![mop.element] = txn.id;
    }
  }
  return null;
}
