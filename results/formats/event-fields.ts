// Field checks shared by the history parsers: each takes a raw value read from
// a file and returns the typed field, or a message that names the field and
// the value received.

import { clientProcessOf, type OpType, type ProcessId } from '../../core/history.js';

export type FieldCheck<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

const opTypes: ReadonlySet<string> = new Set<OpType>(['invoke', 'ok', 'fail', 'info']);

export function fieldShow(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function opTypeCheck(raw: unknown): FieldCheck<OpType> {
  if (typeof raw === 'string' && opTypes.has(raw)) return { ok: true, value: raw as OpType };
  return { ok: false, message: `field "type" must be invoke, ok, fail or info, got ${fieldShow(raw)}` };
}

export function fCheck(raw: unknown): FieldCheck<string> {
  if (typeof raw === 'string' && raw.length > 0) return { ok: true, value: raw };
  return { ok: false, message: `field "f" must be a non-empty string, got ${fieldShow(raw)}` };
}

export function processCheck(raw: unknown): FieldCheck<ProcessId> {
  if (raw === 'nemesis') return { ok: true, value: 'nemesis' };
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0)
    return { ok: true, value: clientProcessOf(raw) };
  return { ok: false, message: `field "process" must be a non-negative integer or nemesis, got ${fieldShow(raw)}` };
}

/** Times are nanoseconds; absent times read as 0 (formats without clocks). */
export function timeCheck(raw: unknown): FieldCheck<number> {
  if (raw === undefined) return { ok: true, value: 0 };
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return { ok: true, value: raw };
  return { ok: false, message: `field "time" must be a non-negative integer (nanoseconds), got ${fieldShow(raw)}` };
}

/** An index from the file, when it has one; null when absent. */
export function indexCheck(raw: unknown): FieldCheck<number | null> {
  if (raw === undefined) return { ok: true, value: null };
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0) return { ok: true, value: raw };
  return { ok: false, message: `field "index" must be a non-negative integer, got ${fieldShow(raw)}` };
}

export function keyCheck(raw: unknown): FieldCheck<string | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  if (typeof raw === 'string') return { ok: true, value: raw };
  return { ok: false, message: `field "key" must be a string when present, got ${fieldShow(raw)}` };
}

export function errorCheck(raw: unknown): FieldCheck<string | undefined> {
  if (raw === undefined) return { ok: true, value: undefined };
  if (typeof raw === 'string' && raw.length > 0) return { ok: true, value: raw };
  return { ok: false, message: `field "error" must be a non-empty string when present, got ${fieldShow(raw)}` };
}
