// The campaign's progress display: which test runs, how many are done of how
// many, time elapsed and an estimate of the time left. The estimate is the
// pending tests' time limits plus the mean overhead (start, heal, checks) that
// the finished tests took beyond their own limits.

import type { TestRecord } from './campaign-summary.js';

/** Overhead assumed per test before any has finished: cluster start, heal, final reads, checkers. */
const overheadDefaultMs = 15_000;

export interface ProgressState {
  readonly currentId: string | null;
  readonly currentElapsedMs: number;
  readonly position: number;
  readonly records: readonly TestRecord[];
  readonly elapsedMs: number;
}

export function remainingEstimateMs(
  records: readonly TestRecord[],
  currentElapsedMs: number,
  currentId: string | null,
): number {
  const finished = records.filter((record) => record.status === 'done' && record.durationMs !== null);
  const overheadMs =
    finished.length === 0
      ? overheadDefaultMs
      : finished.reduce((sum, record) => sum + Math.max(0, (record.durationMs ?? 0) - record.timeLimitMs), 0) /
        finished.length;
  return records
    .filter((record) => record.status === 'pending')
    .reduce(
      (sum, record) =>
        sum +
        record.timeLimitMs +
        overheadMs -
        (record.id === currentId ? Math.min(currentElapsedMs, record.timeLimitMs + overheadMs) : 0),
      0,
    );
}

/** "[3/12] register-none-local-s1 (12s)  done 2, mismatched 0  elapsed 1m04s  about 5m10s left" */
export function progressLine(state: ProgressState): string {
  const done = state.records.filter((record) => record.status === 'done');
  const mismatched = done.filter((record) => record.matches === false).length;
  const current =
    state.currentId === null
      ? ''
      : `[${state.position}/${state.records.length}] ${state.currentId} (${clockText(state.currentElapsedMs)})  `;
  const left = clockText(remainingEstimateMs(state.records, state.currentElapsedMs, state.currentId));
  return `${current}done ${done.length}/${state.records.length}, mismatched ${mismatched}  elapsed ${clockText(state.elapsedMs)}  about ${left} left`;
}

/** The line printed when a test finishes. */
export function resultLine(record: TestRecord, position: number, total: number): string {
  const mark = record.matches === true ? 'ok  ' : 'FAIL';
  const seconds = record.durationMs === null ? '' : ` in ${clockText(record.durationMs)}`;
  const why = record.matches === true ? '' : `  ${record.message.split('\n')[0] ?? ''}`;
  return `${mark} [${position}/${total}] ${record.id}: ${record.verdict ?? '?'} (expected ${record.expect})${seconds}${why}`;
}

export function clockText(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m${String(seconds % 60).padStart(2, '0')}s`;
  return `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
