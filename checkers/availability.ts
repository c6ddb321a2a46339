// The availability checker: what fraction of client operations succeeded in
// each fault window and outside them, and how long after each heal the first
// operation succeeded. It measures and does not judge: the verdict is valid
// unless there is nothing to measure or the history cannot be read.

import type { HistoryEvent } from '../core/history.js';
import type { AvailabilityDetails, OkFraction, WindowAvailability } from './checker-details.js';
import type { AvailabilityResult, CheckContext, Checker, FaultWindow } from './checker.js';
import { faultWindowContains, faultWindows } from './fault-windows.js';
import type { ClientOp } from './history-ops.js';
import { historyOps } from './history-ops.js';

const checkerName = 'availability';

export const availabilityChecker: Checker<AvailabilityResult> = {
  name: checkerName,
  check(history: readonly HistoryEvent[], _context: CheckContext): AvailabilityResult {
    const parsed = historyOps(history);
    if (!parsed.ok)
      return {
        checker: checkerName,
        verdict: 'unknown',
        summary: `history unreadable: ${parsed.error}`,
        reason: parsed.error,
        details: null,
      };
    const { ops } = parsed.value;
    if (ops.length === 0) {
      const reason = 'the history has no client operations';
      return { checker: checkerName, verdict: 'unknown', summary: reason, reason, details: null };
    }
    const windows = faultWindows(history);
    const okTimesNs = ops
      .flatMap((op) => (op.outcome === 'ok' && op.completion !== null ? [op.completion.time] : []))
      .sort((a, b) => a - b);
    const perWindow = windows.map((window) => windowAvailability(window, ops, okTimesNs));
    const outside = okFraction(
      ops.filter((op) => !windows.some((window) => faultWindowContains(window, op.invoke.time))),
    );
    const overall = okFraction(ops);
    const details: AvailabilityDetails = { overall, outside, windows: perWindow };
    return {
      checker: checkerName,
      verdict: 'valid',
      summary: availabilitySummary(overall, outside, perWindow),
      details,
    };
  },
};

/** Operations count in a window by their invocation time: that is when the client met the fault. */
function windowAvailability(
  window: FaultWindow,
  ops: readonly ClientOp[],
  okTimesNs: readonly number[],
): WindowAvailability {
  const inside = okFraction(ops.filter((op) => faultWindowContains(window, op.invoke.time)));
  const firstOkNs = window.endNs === null ? null : firstAtOrAfter(okTimesNs, window.endNs);
  const healToFirstOkMs = window.endNs === null || firstOkNs === null ? null : (firstOkNs - window.endNs) / 1e6;
  return {
    fault: window.fault,
    targets: window.targets,
    startNs: window.startNs,
    endNs: window.endNs,
    ...inside,
    healToFirstOkMs,
  };
}

function okFraction(ops: readonly ClientOp[]): OkFraction {
  const ok = ops.filter((op) => op.outcome === 'ok').length;
  return { ops: ops.length, ok, okFraction: ops.length === 0 ? null : ok / ops.length };
}

/** The first time in a sorted list at or after t, by binary search; null when there is none. */
function firstAtOrAfter(sortedNs: readonly number[], timeNs: number): number | null {
  let low = 0;
  let high = sortedNs.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((sortedNs[middle] ?? Number.POSITIVE_INFINITY) < timeNs) low = middle + 1;
    else high = middle;
  }
  return sortedNs[low] ?? null;
}

function availabilitySummary(overall: OkFraction, outside: OkFraction, windows: readonly WindowAvailability[]): string {
  const measured = 'measurement, no pass/fail';
  if (windows.length === 0)
    return `${percent(overall.okFraction)} of ${overall.ops} ops ok, no fault windows (${measured})`;
  const inside = windows.map((window) => window.okFraction).filter((fraction): fraction is number => fraction !== null);
  const recoveries = windows.map((window) => window.healToFirstOkMs).filter((ms): ms is number => ms !== null);
  const range =
    inside.length === 0 ? 'no ops' : `${percent(Math.min(...inside))} to ${percent(Math.max(...inside))} ok`;
  const recovery =
    recoveries.length === 0
      ? 'no ok op after a heal'
      : `first ok op at most ${Math.max(...recoveries).toFixed(0)} ms after a heal`;
  return `${percent(outside.okFraction)} ok outside faults, ${windows.length} fault windows at ${range}, ${recovery} (${measured})`;
}

function percent(fraction: number | null): string {
  return fraction === null ? 'n/a' : `${(fraction * 100).toFixed(1)}%`;
}
