// Turns raw records (a parsed JSON line, an EDN map) into HistoryEvents in file
// order. Events are numbered by their position, because file order is
// authoritative; indices and keys the file carries that we do not use become
// one warning each rather than one per line.

import type { HistoryEvent, JsonValue } from '../../core/history.js';
import {
  errorCheck,
  fCheck,
  indexCheck,
  keyCheck,
  opTypeCheck,
  processCheck,
  timeCheck,
  type FieldCheck,
} from './event-fields.js';
import { problemAt, type FormatProblem } from './format-problem.js';

/** Record fields a HistoryEvent carries; anything else is reported as ignored. */
export const eventFieldNames: ReadonlySet<string> = new Set([
  'index',
  'type',
  'f',
  'key',
  'value',
  'process',
  'time',
  'error',
]);

export interface RecordPlace {
  readonly line: number;
  readonly column: number | null;
}

export class HistoryBuilder {
  private readonly events: HistoryEvent[] = [];
  private readonly lines: number[] = [];
  private readonly ignoredFields = new Map<string, RecordPlace>();
  private indexMismatch: { place: RecordPlace; fileIndex: number; position: number } | null = null;

  /** Adds one record; returns a problem naming the field when the record is not an event. */
  add(record: Readonly<Record<string, unknown>>, place: RecordPlace): FormatProblem | null {
    const built = eventFromRecord(record, this.events.length);
    if (!built.ok) return problemAt(place.line, place.column, built.message);
    const { event, fileIndex } = built.value;
    if (fileIndex !== null && fileIndex !== event.index && this.indexMismatch === null) {
      this.indexMismatch = { place, fileIndex, position: event.index };
    }
    for (const name of Object.keys(record)) {
      if (!eventFieldNames.has(name) && !this.ignoredFields.has(name)) this.ignoredFields.set(name, place);
    }
    this.events.push(event);
    this.lines.push(place.line);
    return null;
  }

  /** Adds an event whose fields the caller has already checked (log lines). */
  addChecked(event: Omit<HistoryEvent, 'index'>, line: number): HistoryEvent {
    const indexed: HistoryEvent = Object.freeze({ index: this.events.length, ...event });
    this.events.push(indexed);
    this.lines.push(line);
    return indexed;
  }

  get length(): number {
    return this.events.length;
  }

  finish(extraWarnings: readonly FormatProblem[] = []): {
    events: readonly HistoryEvent[];
    lines: readonly number[];
    warnings: readonly FormatProblem[];
  } {
    const warnings: FormatProblem[] = [...extraWarnings];
    if (this.indexMismatch !== null) {
      const { place, fileIndex, position } = this.indexMismatch;
      warnings.push(
        problemAt(
          place.line,
          place.column,
          `the file's index ${fileIndex} differs from the event's position ${position}; events are numbered by position (file order is authoritative)`,
        ),
      );
    }
    for (const [name, place] of this.ignoredFields) {
      warnings.push(
        problemAt(place.line, place.column, `field "${name}" is not part of a history event and is ignored`),
      );
    }
    return { events: Object.freeze(this.events), lines: this.lines, warnings };
  }
}

function eventFromRecord(
  record: Readonly<Record<string, unknown>>,
  position: number,
): FieldCheck<{ event: HistoryEvent; fileIndex: number | null }> {
  const type = opTypeCheck(record['type']);
  if (!type.ok) return type;
  const f = fCheck(record['f']);
  if (!f.ok) return f;
  const process = processCheck(record['process']);
  if (!process.ok) return process;
  const time = timeCheck(record['time']);
  if (!time.ok) return time;
  const fileIndex = indexCheck(record['index']);
  if (!fileIndex.ok) return fileIndex;
  const key = keyCheck(record['key']);
  if (!key.ok) return key;
  const error = errorCheck(record['error']);
  if (!error.ok) return error;
  if (!('value' in record)) return { ok: false, message: 'field "value" is missing (write null for none)' };
  const event: HistoryEvent = Object.freeze({
    index: position,
    type: type.value,
    f: f.value,
    ...(key.value === undefined ? {} : { key: key.value }),
    value: record['value'] as JsonValue,
    process: process.value,
    time: time.value,
    ...(error.value === undefined ? {} : { error: error.value }),
  });
  return { ok: true, value: { event, fileIndex: fileIndex.value } };
}
