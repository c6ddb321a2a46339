// Jepsen client log lines as Porcupine's etcd histories have them:
// `INFO  jepsen.util - <process> <type> <f> <value>`, separated by tabs or runs
// of spaces, with no clock: line order is the only order. A `:timed-out` (any
// keyword) value on a fail or info line marks an error, not a value: the event
// keeps the invocation's value and carries the keyword as its error code.

import { clientProcessOf, type JsonValue, type OpType } from '../../core/history.js';
import { ednReadOne } from './edn-reader.js';
import { opTypeCheck, processCheck } from './event-fields.js';
import { problemAt, type FormatProblem, type HistoryParse } from './format-problem.js';
import { HistoryBuilder } from './history-builder.js';

const linePattern = /^\s*INFO\s+jepsen\.util\s+-\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S.*?)\s*$/;
const lineShape = 'INFO  jepsen.util - <process> <type> <f> <value>';

interface LogLine {
  readonly process: number;
  readonly type: OpType;
  readonly f: string;
  /** null when the value field is a keyword marking an error. */
  readonly value: JsonValue;
  readonly error: string | null;
}

export function jepsenLogParse(text: string): HistoryParse {
  const builder = new HistoryBuilder();
  const openValues = new Map<number, JsonValue>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    if (raw.trim() === '') continue;
    const parsed = logLineParse(raw, i + 1);
    if (!parsed.ok) return { ok: false, error: parsed.error };
    const { process, type, f, error } = parsed.line;
    let value = parsed.line.value;
    if (type === 'invoke') {
      openValues.set(process, value);
    } else {
      if (error !== null) value = openValues.get(process) ?? null;
      openValues.delete(process);
    }
    builder.addChecked(
      { type, f, value, process: clientProcessOf(process), time: 0, ...(error === null ? {} : { error }) },
      i + 1,
    );
  }
  return { ok: true, ...builder.finish() };
}

function logLineParse(
  raw: string,
  lineNumber: number,
): { ok: true; line: LogLine } | { ok: false; error: FormatProblem } {
  const fail = (message: string): { ok: false; error: FormatProblem } => ({
    ok: false,
    error: problemAt(lineNumber, null, message),
  });
  const match = linePattern.exec(raw.replace(/\r$/, ''));
  if (match === null) return fail(`expected a line "${lineShape}", got ${JSON.stringify(raw.slice(0, 80))}`);
  const [, processText = '', typeText = '', fText = '', valueText = ''] = match;
  const process = processCheck(/^[0-9]+$/.test(processText) ? Number(processText) : processText);
  if (!process.ok || process.value === 'nemesis')
    return fail(`process must be a non-negative integer, got "${processText}"`);
  const type = opTypeCheck(typeText.startsWith(':') ? typeText.slice(1) : typeText);
  if (!type.ok || !typeText.startsWith(':'))
    return fail(`type must be :invoke, :ok, :fail or :info, got "${typeText}"`);
  if (!/^:[^:]/.test(fText)) return fail(`f must be a keyword such as :read, got "${fText}"`);
  const value = ednReadOne(valueText);
  if (!value.ok) return fail(`bad value "${valueText}": ${value.error.message}`);
  const isErrorMarker = valueText.startsWith(':') && (type.value === 'fail' || type.value === 'info');
  return {
    ok: true,
    line: {
      process: process.value,
      type: type.value,
      f: fText.slice(1),
      value: isErrorMarker ? null : value.value,
      error: isErrorMarker ? valueText.slice(1) : null,
    },
  };
}
