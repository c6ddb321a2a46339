// The checkers' entry point: which checkers run for which workload, and one
// call that runs them all over a history (and the node logs, when there are
// some). Each runs through checkerRun, so one that throws is `unknown` and the
// others still report; the run's verdict is the worst of them.

import type { HistoryEvent } from '../core/history.js';
import type { Verdict } from '../core/verdict.js';
import { verdictWorst } from '../core/verdict.js';
import { availabilityChecker } from './availability.js';
import type { WorkloadName } from '../workloads/workload.js';
import type { CheckContext, Checker, CheckerResult, NodeLogsResult } from './checker.js';
import { checkerRun } from './checker.js';
import { durabilityChecker } from './durability.js';
import { latencyChecker } from './latency.js';
import { linearizabilityChecker } from './linearizability.js';
import { livenessChecker } from './liveness.js';
import type { NodeLogText } from './node-logs.js';
import { checkNodeLogs } from './node-logs.js';
import { repairChecker } from './repair.js';
import { setChecker } from './set.js';

export { faultWindows } from './fault-windows.js';
export { latencyHdrFile } from './latency.js';
export { checkNodeLogs } from './node-logs.js';
export type { NodeLogText } from './node-logs.js';

/** What every workload's run owes after the faults stop, judged from the liveness phase's observations. */
const afterHealCheckers: readonly Checker[] = [livenessChecker, repairChecker];

/** The history checkers of each workload, in the order their results are shown. */
export const workloadCheckers: Readonly<Record<WorkloadName, readonly Checker[]>> = {
  register: [linearizabilityChecker, durabilityChecker, ...afterHealCheckers, availabilityChecker, latencyChecker],
  append: [linearizabilityChecker, durabilityChecker, ...afterHealCheckers, availabilityChecker, latencyChecker],
  set: [setChecker, ...afterHealCheckers, availabilityChecker, latencyChecker],
};

export interface CheckersOptions {
  /** The nodes' log texts; when given, the node-log checker runs too. */
  readonly nodeLogs?: readonly NodeLogText[];
}

export interface CheckersOutcome {
  /** The worst verdict of all results. */
  readonly verdict: Verdict;
  readonly results: readonly CheckerResult[];
}

export function checkersRun(
  history: readonly HistoryEvent[],
  context: CheckContext,
  options: CheckersOptions = {},
): CheckersOutcome {
  const results: CheckerResult[] = workloadCheckers[context.workload].map((checker) =>
    checkerRun(checker, history, context),
  );
  if (options.nodeLogs !== undefined) results.push(checkerRun(nodeLogsChecker(options.nodeLogs), history, context));
  return { verdict: verdictWorst(results.map((result) => result.verdict)), results };
}

/** The node-log checker reads logs, not the history; this adapter lets checkerRun guard it like the others. */
function nodeLogsChecker(logs: readonly NodeLogText[]): Checker<NodeLogsResult> {
  return { name: 'node-logs', check: () => checkNodeLogs(logs) };
}
