// Derives fault windows from the nemesis events of a history. A window opens
// when a `start-<fault>` took effect (its `info` completion without an error)
// and closes when the matching `stop-<fault>` took effect; invocations alone
// prove nothing, since the nemesis may fail to inject or to heal a fault.

import type { HistoryEvent, JsonValue } from '../core/history.js';
import type { FaultWindow } from './checker.js';

const startPrefix = 'start-';
const stopPrefix = 'stop-';

interface OpenWindow {
  readonly fault: string;
  readonly targets: readonly string[];
  readonly startNs: number;
  endNs: number | null;
}

/** Fault windows in order of their start; a window still open at the end of the history has endNs null. */
export function faultWindows(history: readonly HistoryEvent[]): FaultWindow[] {
  const windows: OpenWindow[] = [];
  for (const event of history) {
    if (event.process !== 'nemesis' || !tookEffect(event)) continue;
    if (event.f.startsWith(startPrefix)) {
      windows.push({
        fault: event.f.slice(startPrefix.length),
        targets: targetsRead(event.value),
        startNs: event.time,
        endNs: null,
      });
    } else if (event.f.startsWith(stopPrefix)) {
      windowsClose(windows, event.f.slice(stopPrefix.length), targetsRead(event.value), event.time);
    }
  }
  return windows.map((window) => ({
    fault: window.fault,
    targets: window.targets,
    startNs: window.startNs,
    endNs: window.endNs,
  }));
}

/**
 * The nemesis records `info` when a fault operation completed, with `error`
 * when it failed (a failed stop leaves its window open); an `ok` from an
 * imported history means it took effect too.
 */
function tookEffect(event: HistoryEvent): boolean {
  return (event.type === 'info' || event.type === 'ok') && event.error === undefined;
}

/**
 * A stop naming exactly the targets of one open window of its fault closes that
 * window (restart node A while node B stays down); any other stop of the fault
 * is a heal of all of its open windows (one heal for two partitions).
 */
function windowsClose(windows: OpenWindow[], fault: string, targets: readonly string[], timeNs: number): void {
  const open = windows.filter((window) => window.fault === fault && window.endNs === null);
  const exact = targets.length > 0 ? open.find((window) => sameTargets(window.targets, targets)) : undefined;
  for (const window of exact === undefined ? open : [exact]) window.endNs = timeNs;
}

function sameTargets(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const sortedB = [...b].sort();
  return [...a].sort().every((target, i) => target === sortedB[i]);
}

/** Targets from `{targets: [...]}`; numbers become strings, anything else reads as no targets. */
function targetsRead(value: JsonValue): readonly string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const targets = (value as { readonly [key: string]: JsonValue })['targets'];
  if (!Array.isArray(targets)) return [];
  return (targets as readonly JsonValue[]).flatMap((target) =>
    typeof target === 'string' || typeof target === 'number' ? [String(target)] : [],
  );
}

/** Whether time t (ns) falls in the window: from its start, inclusive, to its heal, exclusive. */
export function faultWindowContains(window: FaultWindow, timeNs: number): boolean {
  return timeNs >= window.startNs && (window.endNs === null || timeNs < window.endNs);
}
