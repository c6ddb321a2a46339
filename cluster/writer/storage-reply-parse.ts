// Validation of what storage nodes send the writer: a reply is checked once,
// here, against the protocol's shapes; a reply that fails closes the
// connection (the caller logs the reason) and never reaches the writer's state.

import type { StoreValue } from '../protocol/client-messages.js';
import type { LogRecord, StorageReply, Truncation } from '../protocol/storage-messages.js';

export type ReplyParse =
  { readonly ok: true; readonly reply: StorageReply } | { readonly ok: false; readonly reason: string };

type Fields = Record<string, unknown>;

export function storageReplyParse(raw: unknown): ReplyParse {
  if (!isObject(raw)) return fail('reply is not an object');
  if (!isCount(raw['rid'])) return fail(`reply rid must be a non-negative integer, got ${brief(raw['rid'])}`);
  const reason = shapeCheck(raw);
  // The shape check is what makes the cast sound: every LSN, epoch and PG in the reply is a
  // checked count, and becomes the branded Lsn, Epoch or PgId of StorageReply here.
  return reason === null
    ? { ok: true, reply: raw as unknown as StorageReply }
    : fail(`${String(raw['t'])} reply: ${reason}`);
}

function shapeCheck(m: Fields): string | null {
  switch (m['t']) {
    case 'ack':
      if (!isCount(m['epoch'])) return 'epoch must be a non-negative integer';
      if (m['pg'] !== undefined && !isCount(m['pg'])) return 'pg must be a non-negative integer';
      if (m['scl'] !== undefined && !isCount(m['scl'])) return 'scl must be a non-negative integer';
      return null;
    case 'state':
      if (!isCount(m['pg']) || !isCount(m['scl'])) return 'pg and scl must be non-negative integers';
      if (typeof m['more'] !== 'boolean') return 'more must be a boolean';
      if (m['base'] !== undefined && !isCount(m['base'])) return 'base must be a non-negative integer';
      if (!Array.isArray(m['truncations']) || !m['truncations'].every(isTruncation))
        return 'truncations must be a list of truncations';
      return recordsCheck(m['records']);
    case 'read-result':
      if (!isCount(m['scl'])) return 'scl must be a non-negative integer';
      if (m['kind'] !== 'register' && m['kind'] !== 'list' && m['kind'] !== 'absent')
        return `unknown kind ${brief(m['kind'])}`;
      if (m['value'] !== null && !isStoreValue(m['value'])) return 'value must be null, a string or a number';
      if (!Array.isArray(m['list']) || !m['list'].every(isStoreValue)) return 'list must be a list of values';
      return null;
    case 'reject':
      if (!['stale-epoch', 'scl-behind', 'bad-request', 'not-ready'].includes(m['code'] as string))
        return `unknown code ${brief(m['code'])}`;
      if (!isCount(m['epoch'])) return 'epoch must be a non-negative integer';
      return typeof m['message'] === 'string' ? null : 'message must be a string';
    case 'health-result':
    case 'gossip-records':
    case 'gossip-snapshot':
      return null;
    default:
      return `unknown reply type ${brief(m['t'])}`;
  }
}

function recordsCheck(records: unknown): string | null {
  if (!Array.isArray(records)) return 'records must be a list';
  for (const record of records) {
    if (!isRecord(record)) return `malformed record ${brief(record)}`;
  }
  return null;
}

function isRecord(value: unknown): value is LogRecord {
  if (!isObject(value)) return false;
  const kindOk = value['kind'] === 'put' || value['kind'] === 'append' || value['kind'] === 'noop';
  const valueOk = value['value'] === null || isStoreValue(value['value']);
  const numbersOk =
    isCount(value['lsn']) &&
    isCount(value['pg']) &&
    isCount(value['prev']) &&
    isCount(value['volumeEpoch']) &&
    isCount(value['membershipEpoch']);
  return (
    numbersOk &&
    kindOk &&
    valueOk &&
    typeof value['key'] === 'string' &&
    typeof value['cpl'] === 'boolean' &&
    (value['prev'] as number) < (value['lsn'] as number)
  );
}

function isTruncation(value: unknown): value is Truncation {
  return (
    isObject(value) &&
    isCount(value['epoch']) &&
    isCount(value['pg']) &&
    isCount(value['afterLsn']) &&
    isCount(value['uptoLsn'])
  );
}

function isStoreValue(value: unknown): value is StoreValue {
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value));
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function fail(reason: string): ReplyParse {
  return { ok: false, reason };
}

function brief(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
