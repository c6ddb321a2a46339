// The one place a run's history is appended to: it numbers events densely,
// keeps them in memory for the checkers, and streams them to history.jsonl.
// Clients and the nemesis record through it, so their events share one order.

import type { HistoryEvent } from '../core/history.js';
import type { HistoryFileWriter } from './history-file.js';

/** An event before the recorder gives it its index. */
export type HistoryDraft = Omit<HistoryEvent, 'index'>;

export class HistoryRecorder {
  private readonly recorded: HistoryEvent[] = [];

  constructor(private readonly file: HistoryFileWriter | null) {}

  record(draft: HistoryDraft): HistoryEvent {
    const event = eventMake(this.recorded.length, draft);
    this.recorded.push(event);
    this.file?.write(event);
    return event;
  }

  get events(): readonly HistoryEvent[] {
    return this.recorded;
  }

  /** Writes what is buffered to the file, then closes it. */
  close(): void {
    this.file?.close();
  }
}

/** Fields in the Jepsen order, optional ones only when present. */
function eventMake(index: number, d: HistoryDraft): HistoryEvent {
  if (d.key === undefined) {
    return d.error === undefined
      ? { index, type: d.type, f: d.f, value: d.value, process: d.process, time: d.time }
      : { index, type: d.type, f: d.f, value: d.value, process: d.process, time: d.time, error: d.error };
  }
  return d.error === undefined
    ? { index, type: d.type, f: d.f, key: d.key, value: d.value, process: d.process, time: d.time }
    : { index, type: d.type, f: d.f, key: d.key, value: d.value, process: d.process, time: d.time, error: d.error };
}
