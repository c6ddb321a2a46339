// Shape validation of every message a storage node receives: requests from the
// writer and from peers, and the replies to its own gossip pulls. Raw JSON is
// checked once here; what passes is typed, and nothing downstream re-checks.
// An invalid message closes its connection, except a control (tune, scrub)
// with a usable rid: a tool's mistake is answered with a bad-request reject.

import type { StoreValue } from '../protocol/client-messages.js';
import { epochOf, lsnOf, pgIdOf, type Epoch, type Lsn, type PgId } from '../protocol/ids.js';
import {
  storageSyncDelayMsMax,
  type LogRecord,
  type StorageReply,
  type StorageRequest,
  type Truncation,
} from '../protocol/storage-messages.js';
import { lsnMax } from '../disk/block.js';
import { recordKeyValueBytes, recordKeyValueBytesMaxFor } from '../disk/record-codec.js';
import { writerIdBytesMax } from '../disk/meta-codec.js';

/** Bound on records in one append or gossip answer. */
export const messageRecordsMax = 100_000;
/** Bound on `limit` of a state-read or gossip pull, and on listed LSNs. */
export const pullLimitMax = 100_000;

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly reason: string };

/** A request's parse: a control that fails names the rid to answer with a bad-request reject. */
export type RequestParse =
  Parsed<StorageRequest> | { readonly ok: false; readonly reason: string; readonly rejectRid: number };

class Invalid extends Error {}

class InvalidControl extends Invalid {
  constructor(
    readonly rid: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ParseLimits {
  readonly pgCount: number;
  readonly blockBytes: number;
}

export function storageRequestParse(raw: unknown, limits: ParseLimits): RequestParse {
  try {
    return { ok: true, value: requestParse(raw, limits) };
  } catch (error) {
    if (error instanceof InvalidControl) return { ok: false, reason: error.message, rejectRid: error.rid };
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}

/** Parses a peer's answer to a gossip pull; other replies (reject) pass through as themselves. */
export function gossipReplyParse(raw: unknown, limits: ParseLimits): Parsed<StorageReply> {
  try {
    const m = object(raw, 'message');
    const rid = integer(m, 'rid');
    switch (m['t']) {
      case 'gossip-records':
        return {
          ok: true,
          value: {
            t: 'gossip-records',
            rid,
            pg: pgOf(m, limits),
            scl: lsn(m, 'scl'),
            records: records(m['records'], limits, 'records'),
            more: bool(m, 'more'),
            truncations: truncations(m['truncations'] ?? [], limits),
            base: lsn({ base: m['base'] ?? 0 }, 'base'),
          },
        };
      case 'gossip-snapshot':
        return {
          ok: true,
          value: {
            t: 'gossip-snapshot',
            rid,
            pg: pgOf(m, limits),
            scl: lsn(m, 'scl'),
            base: lsn(m, 'base'),
            entries: records(m['entries'], limits, 'entries', 10_000_000),
            truncations: truncations(m['truncations'], limits),
          },
        };
      case 'reject':
        return {
          ok: true,
          value: { t: 'reject', rid, code: 'not-ready', message: String(m['message']), epoch: epoch(m, 'epoch') },
        };
      default:
        throw new Invalid(`t: unexpected gossip reply ${JSON.stringify(m['t'])}`);
    }
  } catch (error) {
    if (error instanceof Invalid) return { ok: false, reason: error.message };
    throw error;
  }
}

function requestParse(raw: unknown, limits: ParseLimits): StorageRequest {
  const m = object(raw, 'message');
  const t = m['t'];
  const rid = integer(m, 'rid');
  switch (t) {
    case 'health':
      return { t, rid };
    case 'scrub':
      return { t, rid };
    case 'tune':
      return control(rid, () => ({ t, rid, syncDelayMs: bounded(m, 'syncDelayMs', storageSyncDelayMsMax) }));
    case 'epoch-claim':
      return { t, rid, writerId: writerId(m), epoch: epoch(m, 'epoch') };
    case 'append': {
      const pg = pgOf(m, limits);
      const list = records(m['records'], limits, 'records');
      const stray = list.find((r) => r.pg !== pg);
      if (stray !== undefined)
        throw new Invalid(`records: record ${stray.lsn} is of pg ${stray.pg}, the append is for pg ${pg}`);
      return { t, rid, writerId: writerId(m), epoch: epoch(m, 'epoch'), pg, records: list };
    }
    case 'state-read':
      return {
        t,
        rid,
        writerId: writerId(m),
        epoch: epoch(m, 'epoch'),
        pg: pgOf(m, limits),
        afterLsn: lsn(m, 'afterLsn'),
        limit: bounded(m, 'limit', pullLimitMax),
      };
    case 'truncate': {
      const [truncation] = truncations([m['truncation']], limits);
      return { t, rid, writerId: writerId(m), epoch: epoch(m, 'epoch'), truncation: truncation! };
    }
    case 'read':
      return { t, rid, pg: pgOf(m, limits), key: string(m, 'key'), readPoint: lsn(m, 'readPoint') };
    case 'gossip-pull': {
      const lsnsRaw = m['lsns'];
      const base = {
        t,
        rid,
        from: string(m, 'from'),
        pg: pgOf(m, limits),
        afterLsn: lsn(m, 'afterLsn'),
        limit: bounded(m, 'limit', pullLimitMax),
      } as const;
      if (lsnsRaw === undefined) return base;
      if (!Array.isArray(lsnsRaw) || lsnsRaw.length > pullLimitMax)
        throw new Invalid(`lsns: expected a list of at most ${pullLimitMax} LSNs`);
      return { ...base, lsns: lsnsRaw.map((v: unknown, i) => lsn({ v }, `lsns[${i}]`, 'v')) };
    }
    default:
      throw new Invalid(`t: unknown request ${JSON.stringify(t)}`);
  }
}

/** Parses a control's fields: a failure there is answered, not a reason to close the connection. */
function control<T>(rid: number, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Invalid) throw new InvalidControl(rid, error.message);
    throw error;
  }
}

function records(raw: unknown, limits: ParseLimits, field: string, max = messageRecordsMax): LogRecord[] {
  if (!Array.isArray(raw)) throw new Invalid(`${field}: expected a list, got ${typeof raw}`);
  if (raw.length > max) throw new Invalid(`${field}: ${raw.length} records exceed the bound of ${max}`);
  const kvMax = recordKeyValueBytesMaxFor(limits.blockBytes);
  return raw.map((item: unknown, i) => {
    const where = `${field}[${i}]`;
    const r = object(item, where);
    const kind = r['kind'];
    if (kind !== 'put' && kind !== 'append' && kind !== 'noop')
      throw new Invalid(`${where}.kind: expected put, append or noop, got ${JSON.stringify(kind)}`);
    const value = storeValue(r['value'], `${where}.value`);
    const record: LogRecord = {
      lsn: lsn(r, 'lsn', 'lsn', where),
      pg: pgOf(r, limits, where),
      prev: lsn(r, 'prev', 'prev', where),
      volumeEpoch: epoch(r, 'volumeEpoch', where),
      membershipEpoch: epoch(r, 'membershipEpoch', where),
      key: string(r, 'key', where),
      kind,
      value,
      cpl: bool(r, 'cpl', where),
    };
    if (record.lsn === 0 || record.prev >= record.lsn)
      throw new Invalid(`${where}: prev ${record.prev} must be below lsn ${record.lsn} (> 0)`);
    const size = recordKeyValueBytes(record.key, value);
    if (size > kvMax) throw new Invalid(`${where}: key + value of ${size} bytes exceed ${kvMax}`);
    return record;
  });
}

function truncations(raw: unknown, limits: ParseLimits): Truncation[] {
  if (!Array.isArray(raw)) throw new Invalid('truncations: expected a list');
  return raw.map((item: unknown, i) => {
    const where = `truncation[${i}]`;
    const t = object(item, where);
    const truncation = {
      epoch: epoch(t, 'epoch', where),
      pg: pgOf(t, limits, where),
      afterLsn: lsn(t, 'afterLsn', 'afterLsn', where),
      uptoLsn: lsn(t, 'uptoLsn', 'uptoLsn', where),
    };
    if (truncation.afterLsn >= truncation.uptoLsn)
      throw new Invalid(`${where}: afterLsn ${truncation.afterLsn} must be below uptoLsn ${truncation.uptoLsn}`);
    return truncation;
  });
}

function object(raw: unknown, where: string): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Invalid(`${where}: expected an object`);
  return raw as Record<string, unknown>;
}

function integer(m: Record<string, unknown>, field: string, where = ''): number {
  const v = m[field];
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0)
    throw new Invalid(`${where}${where ? '.' : ''}${field}: expected a non-negative integer, got ${JSON.stringify(v)}`);
  return v;
}

function bounded(m: Record<string, unknown>, field: string, max: number): number {
  const v = integer(m, field);
  if (v > max) throw new Invalid(`${field}: ${v} exceeds the bound of ${max}`);
  return v;
}

function lsn(m: Record<string, unknown>, label: string, field = label, where = ''): Lsn {
  const v = integer(m, field, where);
  if (v > lsnMax) throw new Invalid(`${where}${where ? '.' : ''}${label}: ${v} exceeds the LSN range`);
  return lsnOf(v);
}

function epoch(m: Record<string, unknown>, field: string, where = ''): Epoch {
  const v = integer(m, field, where);
  if (v > 0xffff_ffff) throw new Invalid(`${where}${where ? '.' : ''}${field}: ${v} exceeds 32 bits`);
  return epochOf(v);
}

function pgOf(m: Record<string, unknown>, limits: ParseLimits, where = ''): PgId {
  const v = integer(m, 'pg', where);
  if (v >= limits.pgCount)
    throw new Invalid(`${where}${where ? '.' : ''}pg: ${v} is not below the PG count ${limits.pgCount}`);
  return pgIdOf(v);
}

function string(m: Record<string, unknown>, field: string, where = ''): string {
  const v = m[field];
  if (typeof v !== 'string')
    throw new Invalid(`${where}${where ? '.' : ''}${field}: expected a string, got ${JSON.stringify(v)}`);
  return v;
}

function writerId(m: Record<string, unknown>): string {
  const v = string(m, 'writerId');
  if (Buffer.byteLength(v, 'utf8') > writerIdBytesMax)
    throw new Invalid(`writerId: longer than ${writerIdBytesMax} bytes`);
  return v;
}

function bool(m: Record<string, unknown>, field: string, where = ''): boolean {
  const v = m[field];
  if (typeof v !== 'boolean')
    throw new Invalid(`${where}${where ? '.' : ''}${field}: expected a boolean, got ${JSON.stringify(v)}`);
  return v;
}

function storeValue(v: unknown, where: string): StoreValue | null {
  if (v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) return v;
  throw new Invalid(`${where}: expected a number, a string or null, got ${JSON.stringify(v)}`);
}
