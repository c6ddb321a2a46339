// Knossos / Jepsen EDN histories: one vector or list of operation maps (maps may
// span lines), or one map per line (Porcupine's kv files). Keys arrive as
// keyword names; a missing :value reads as nil, a missing :time as 0, and the
// position in the file is the event's index.

import type { JsonValue } from '../../core/history.js';
import { ednRead, type EdnForm, type EdnPosition } from './edn-reader.js';
import { ednWrite } from './edn-writer.js';
import { fieldShow } from './event-fields.js';
import { problemAt, type FormatProblem, type HistoryParse } from './format-problem.js';
import { HistoryBuilder } from './history-builder.js';

export function ednHistoryParse(text: string): HistoryParse {
  const read = ednRead(text);
  if (!read.ok) return read;
  const records = recordsOf(read.forms);
  if (!records.ok) return records;
  const builder = new HistoryBuilder();
  for (const { value, position } of records.records) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        error: problemAt(position.line, position.column, `expected an operation map, got ${fieldShow(value)}`),
      };
    }
    const problem = builder.add(recordNormalize(value as Readonly<Record<string, JsonValue>>), position);
    if (problem !== null) return { ok: false, error: problem };
  }
  return { ok: true, ...builder.finish() };
}

type Records =
  | { readonly ok: true; readonly records: readonly { value: JsonValue; position: EdnPosition }[] }
  | { readonly ok: false; readonly error: FormatProblem };

/** One top-level collection holds the operations; otherwise every top-level form is one. */
function recordsOf(forms: readonly EdnForm[]): Records {
  const [first] = forms;
  if (forms.length === 1 && first !== undefined && Array.isArray(first.value)) {
    const positions = first.elementPositions ?? [];
    const values = first.value as readonly JsonValue[];
    return { ok: true, records: values.map((value, i) => ({ value, position: positions[i] ?? first.position })) };
  }
  for (const form of forms) {
    if (Array.isArray(form.value)) {
      const { line, column } = form.position;
      return {
        ok: false,
        error: problemAt(
          line,
          column,
          'a history is one vector or list of maps, or one map per line; found a collection among other forms',
        ),
      };
    }
  }
  return { ok: true, records: forms.map((form) => ({ value: form.value, position: form.position })) };
}

/**
 * EDN fields the event fields cannot take as they are: integer keys (Jepsen's
 * independent keys) become strings, structured errors are written out as EDN (keywords as strings),
 * and a map without :value gets nil (mutex histories have none).
 */
function recordNormalize(record: Readonly<Record<string, JsonValue>>): Record<string, JsonValue> {
  const normalized: Record<string, JsonValue> = { ...record };
  const key = record['key'];
  if (typeof key === 'number') normalized['key'] = String(key);
  const error = record['error'];
  if (error !== undefined && error !== null && typeof error !== 'string') normalized['error'] = ednWrite(error);
  if (error === null) delete normalized['error'];
  if (!('value' in record)) normalized['value'] = null;
  return normalized;
}
