// Compact binary encoding of log records inside block payloads (hot log and the
// page entries of the cold log). Fixed-width numbers and raw bytes, no JSON: a
// flipped bit in a value decodes to a different value, and a flipped length is
// caught by bounds checks and returned as an error, never thrown.

import { assert } from '../../core/assert.js';
import type { StoreValue } from '../protocol/client-messages.js';
import { epochOf, lsnOf, type PgId } from '../protocol/ids.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { blockPayloadBytesMax, lsnMax } from './block.js';

/** Fixed part of an encoded record: lsn, prev (u48 each), two epochs (u32), flags, key and value lengths. */
export const recordFixedBytes = 25;
const kindCodes = { put: 0, append: 1, noop: 2 } as const;
const kinds = ['put', 'append', 'noop'] as const;
const valueNull = 0;
const valueNumber = 1;
const valueString = 2;
const flagCpl = 4;

/** Largest key + value (UTF-8 bytes; a number counts 8) that fits in one block of `blockBytes`. */
export function recordKeyValueBytesMaxFor(blockBytes: number): number {
  return blockPayloadBytesMax(blockBytes) - recordFixedBytes;
}

/** The bound for the default 4 KiB block: the writer rejects bigger requests with bad-request. */
export const recordKeyValueBytesMax = recordKeyValueBytesMaxFor(4096);

/** Key + value size as the block encoding counts it. */
export function recordKeyValueBytes(key: string, value: StoreValue | null): number {
  return Buffer.byteLength(key, 'utf8') + valueBytes(value);
}

export function recordEncodedBytes(record: LogRecord): number {
  return recordFixedBytes + recordKeyValueBytes(record.key, record.value);
}

/** Writes `record` at `offset`; returns the offset after it. The caller has checked that it fits. */
export function recordEncode(record: LogRecord, out: Buffer, offset: number): number {
  assert(
    Number.isInteger(record.lsn) && record.lsn > 0 && record.lsn <= lsnMax,
    `record LSN ${record.lsn} out of range`,
  );
  assert(
    Number.isInteger(record.prev) && record.prev >= 0 && record.prev < record.lsn,
    `record prev ${record.prev} not below LSN ${record.lsn}`,
  );
  out.writeUIntLE(record.lsn, offset, 6);
  out.writeUIntLE(record.prev, offset + 6, 6);
  out.writeUInt32LE(record.volumeEpoch, offset + 12);
  out.writeUInt32LE(record.membershipEpoch, offset + 16);
  const value = record.value;
  const valueType = value === null ? valueNull : typeof value === 'number' ? valueNumber : valueString;
  out.writeUInt8(kindCodes[record.kind] | (record.cpl ? flagCpl : 0) | (valueType << 3), offset + 20);
  const keyBytes = out.write(record.key, offset + recordFixedBytes, 'utf8');
  out.writeUInt16LE(keyBytes, offset + 21);
  let at = offset + recordFixedBytes + keyBytes;
  let valueLength = 0;
  if (typeof value === 'number') {
    out.writeDoubleLE(value, at);
    valueLength = 8;
  } else if (typeof value === 'string') {
    valueLength = out.write(value, at, 'utf8');
  }
  out.writeUInt16LE(valueLength, offset + 23);
  at += valueLength;
  return at;
}

export type RecordsDecode =
  { readonly ok: true; readonly records: LogRecord[] } | { readonly ok: false; readonly reason: string };

/** Decodes `count` records from payload[start, end); `pg` comes from the segment the block belongs to. */
export function recordsDecode(payload: Buffer, start: number, end: number, count: number, pg: PgId): RecordsDecode {
  const records: LogRecord[] = [];
  let at = start;
  for (let i = 0; i < count; i++) {
    if (at + recordFixedBytes > end) return { ok: false, reason: `record ${i} header runs past the payload` };
    const flags = payload.readUInt8(at + 20);
    const kind = kinds[flags & 3];
    const valueType = flags >> 3;
    const keyLength = payload.readUInt16LE(at + 21);
    const valueLength = payload.readUInt16LE(at + 23);
    const keyAt = at + recordFixedBytes;
    const valueAt = keyAt + keyLength;
    const next = valueAt + valueLength;
    if (kind === undefined) return { ok: false, reason: `record ${i} has unknown kind ${flags & 3}` };
    if (next > end) return { ok: false, reason: `record ${i} runs past the payload` };
    const value = valueDecode(payload, valueType, valueAt, valueLength);
    if (value === undefined)
      return { ok: false, reason: `record ${i} has a bad value (type ${valueType}, ${valueLength} bytes)` };
    const lsn = payload.readUIntLE(at, 6);
    const prev = payload.readUIntLE(at + 6, 6);
    if (lsn === 0 || prev >= lsn) return { ok: false, reason: `record ${i} has LSN ${lsn} with prev ${prev}` };
    records.push({
      lsn: lsnOf(lsn),
      pg,
      prev: lsnOf(prev),
      volumeEpoch: epochOf(payload.readUInt32LE(at + 12)),
      membershipEpoch: epochOf(payload.readUInt32LE(at + 16)),
      key: payload.toString('utf8', keyAt, valueAt),
      kind,
      value,
      cpl: (flags & flagCpl) !== 0,
    });
    at = next;
  }
  if (at !== end) return { ok: false, reason: `payload has ${end - at} bytes after its ${count} records` };
  return { ok: true, records };
}

function valueDecode(payload: Buffer, valueType: number, at: number, length: number): StoreValue | null | undefined {
  if (valueType === valueNull) return length === 0 ? null : undefined;
  if (valueType === valueNumber) return length === 8 ? payload.readDoubleLE(at) : undefined;
  if (valueType === valueString) return payload.toString('utf8', at, at + length);
  return undefined;
}

function valueBytes(value: StoreValue | null): number {
  if (value === null) return 0;
  if (typeof value === 'number') return 8;
  return Buffer.byteLength(value, 'utf8');
}
