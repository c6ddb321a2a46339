// Validation of client requests at the writer's edge: raw JSON from a frame
// becomes a typed request, or an answerable bad-request (when the id is
// usable), or a reason to close the connection (when it is not).

import { recordKeyValueBytes } from '../disk/record-codec.js';
import {
  readSpreads,
  writerStorageReadsMsMax,
  type ClientRequest,
  type StoreValue,
} from '../protocol/client-messages.js';

export type RequestParse =
  | { readonly t: 'request'; readonly request: ClientRequest }
  | { readonly t: 'bad-request'; readonly id: number; readonly message: string }
  | { readonly t: 'invalid'; readonly reason: string };

/** Parses one client message; `keyValueBytesMax` is the storage block's bound on key + value. */
export function requestParse(raw: unknown, keyValueBytesMax: number): RequestParse {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    return { t: 'invalid', reason: `message is not an object: ${brief(raw)}` };
  const message = raw as Record<string, unknown>;
  const id = message['id'];
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0)
    return { t: 'invalid', reason: `message id must be a non-negative integer, got ${brief(id)}` };
  const error = fieldsCheck(message, keyValueBytesMax);
  if (error !== null) return { t: 'bad-request', id, message: error };
  return { t: 'request', request: message as unknown as ClientRequest };
}

const fieldsByOp: Readonly<Record<string, readonly string[]>> = {
  read: ['key'],
  'read-list': ['key'],
  write: ['key', 'value'],
  append: ['key', 'value'],
  cas: ['key', 'from', 'to'],
  health: [],
  promote: [],
  tune: ['storageReadsMs', 'readSpread'],
};

function fieldsCheck(message: Record<string, unknown>, keyValueBytesMax: number): string | null {
  const op = message['t'];
  if (typeof op !== 'string' || !Object.hasOwn(fieldsByOp, op)) return `unknown operation ${brief(op)}`;
  const allowed = ['t', 'id', ...fieldsByOp[op]!];
  const extra = Object.keys(message).find((field) => !allowed.includes(field));
  if (extra !== undefined) return `${op}: unknown field ${extra}`;
  if (op === 'health' || op === 'promote') return null;
  if (op === 'tune') return tuneCheck(message);
  const key = message['key'];
  if (typeof key !== 'string') return `${op}.key: expected a string, got ${brief(key)}`;
  let valueBytes = 0;
  if (op === 'write' || op === 'append') {
    if (!isStoreValue(message['value']))
      return `${op}.value: expected a string or a finite number, got ${brief(message['value'])}`;
    valueBytes = recordKeyValueBytes('', message['value']);
  }
  if (op === 'cas') {
    const from = message['from'];
    if (from !== null && !isStoreValue(from))
      return `cas.from: expected null, a string or a finite number, got ${brief(from)}`;
    if (!isStoreValue(message['to']))
      return `cas.to: expected a string or a finite number, got ${brief(message['to'])}`;
    valueBytes = recordKeyValueBytes('', message['to']);
  }
  const bytes = recordKeyValueBytes(key, null) + valueBytes;
  if (bytes > keyValueBytesMax)
    return `${op}: key and value take ${bytes} bytes, more than the ${keyValueBytesMax} a storage block holds`;
  return null;
}

function tuneCheck(message: Record<string, unknown>): string | null {
  const ms = message['storageReadsMs'];
  if (
    ms !== undefined &&
    (typeof ms !== 'number' || !Number.isSafeInteger(ms) || ms < 0 || ms > writerStorageReadsMsMax)
  )
    return `tune.storageReadsMs: expected an integer from 0 to ${writerStorageReadsMsMax}, got ${brief(ms)}`;
  const spread = message['readSpread'];
  if (spread !== undefined && !readSpreads.includes(spread as never))
    return `tune.readSpread: expected one of ${readSpreads.join(', ')}, got ${brief(spread)}`;
  return null;
}

function isStoreValue(value: unknown): value is StoreValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function brief(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
