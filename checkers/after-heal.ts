// The checkers `quorumlab check` runs on a stored history beside linearizability,
// on their own so that the command loads only them (not the latency histograms
// or the durability checkers of a test run).

import type { HistoryEvent } from '../core/history.js';
import type { CheckerResult } from './checker.js';
import { checkerGuard } from './checker.js';
import { livenessCheck, livenessChecker } from './liveness.js';
import { repairCheck, repairChecker } from './repair.js';

/**
 * For `quorumlab check` on a stored history: the checkers that read only its
 * phases and observations, needing no workload or model. A history without a
 * phase marker was not recorded by `quorumlab test` (an imported one): they do
 * not apply to it, and none runs.
 */
export function afterHealChecksRun(history: readonly HistoryEvent[]): CheckerResult[] {
  if (!history.some((event) => event.process === 'nemesis' && event.f === 'phase')) return [];
  return [
    checkerGuard(livenessChecker.name, () => livenessCheck(history)),
    checkerGuard(repairChecker.name, () => repairCheck(history)),
  ];
}
