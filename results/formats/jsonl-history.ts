// Our own history.jsonl: one HistoryEvent as a JSON object per line, streamed
// by the runner. A crash mid-write leaves a partial last line without its
// newline; that line is skipped with a warning and everything before it kept.

import type { HistoryEvent } from '../../core/history.js';
import { fieldShow } from './event-fields.js';
import { problemAt, type FormatProblem, type HistoryParse } from './format-problem.js';
import { HistoryBuilder } from './history-builder.js';

export function jsonlHistoryParse(text: string): HistoryParse {
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  const builder = new HistoryBuilder();
  const warnings: FormatProblem[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').replace(/\r$/, '');
    if (line.trim() === '') continue;
    const lineNumber = i + 1;
    const isLast = i === lines.length - 1;
    const parsed = jsonParse(line);
    if (!parsed.ok) {
      if (isLast && !endsWithNewline) {
        warnings.push(
          problemAt(
            lineNumber,
            null,
            `truncated final line skipped (${parsed.message}); the ${builder.length} events before it are kept`,
          ),
        );
        continue;
      }
      return { ok: false, error: problemAt(lineNumber, null, `not a JSON object: ${parsed.message}`) };
    }
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      return {
        ok: false,
        error: problemAt(lineNumber, null, `expected a JSON object, got ${fieldShow(parsed.value)}`),
      };
    }
    const problem = builder.add(parsed.value as Record<string, unknown>, { line: lineNumber, column: null });
    if (problem !== null) return { ok: false, error: problem };
  }
  return { ok: true, ...builder.finish(warnings) };
}

/** One event as its history.jsonl line, without the newline; fields in a fixed order. */
export function historyEventToJsonl(event: HistoryEvent): string {
  return JSON.stringify({
    index: event.index,
    type: event.type,
    f: event.f,
    ...(event.key === undefined ? {} : { key: event.key }),
    value: event.value,
    process: event.process,
    time: event.time,
    ...(event.error === undefined ? {} : { error: event.error }),
  });
}

/** A whole history as history.jsonl text, one line per event, ending with a newline. */
export function historyToJsonl(events: readonly HistoryEvent[]): string {
  let text = '';
  for (const event of events) text += historyEventToJsonl(event) + '\n';
  return text;
}

function jsonParse(line: string): { ok: true; value: unknown } | { ok: false; message: string } {
  try {
    return { ok: true, value: JSON.parse(line) as unknown };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}
