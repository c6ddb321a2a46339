// Reading a stored JSON file (test.json, results.json, a campaign's
// summary.json): parsed and validated once, here, against its schema, with the
// file and the field named in every message. Every such file carries
// `"format": 1`; a file written before the format field existed is format 1.

import { readFileSync } from 'node:fs';
import type { JsonValue } from '../../core/history.js';
import type { Decoder } from './decode.js';

/** The format this build writes and reads. */
export const storedFormat = 1;

type StoredRead<T> =
  /** raw: the file as parsed, fields the schema does not name included. */
  { readonly ok: true; readonly value: T; readonly raw: JsonValue } | { readonly ok: false; readonly error: string };

/** Reads and validates a stored file; a missing or unreadable file is an error naming it. */
export function storedFileRead<T>(file: string, decoder: Decoder<T>): StoredRead<T> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ok: false, error: `${file}: cannot read: ${(error as Error).message}` };
  }
  return storedTextParse(file, text, decoder);
}

/** Validates the text of a stored file; `file` names it in the messages. */
export function storedTextParse<T>(file: string, text: string, decoder: Decoder<T>): StoredRead<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, error: `${file}: not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}` };
  }
  return storedValueParse(file, raw, decoder);
}

/** Validates a parsed stored file: its format first, then every field. */
function storedValueParse<T>(file: string, raw: unknown, decoder: Decoder<T>): StoredRead<T> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { ok: false, error: `${file}: expected a JSON object, got ${Array.isArray(raw) ? 'array' : String(raw)}` };
  const format = (raw as { readonly format?: unknown }).format;
  if (format !== undefined && format !== storedFormat)
    return {
      ok: false,
      error: `${file}: format ${JSON.stringify(format)} is not one this build reads (it reads format ${storedFormat}); use the quorumlab version that wrote it`,
    };
  const decoded = decoder(format === undefined ? { ...raw, format: storedFormat } : raw, '');
  if (decoded.ok) return { ok: true, value: decoded.value, raw: raw as JsonValue };
  const { path, message } = decoded.problem;
  return { ok: false, error: `${file}: ${path === '' ? '' : `${path}: `}${message}` };
}
