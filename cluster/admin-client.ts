// Controls a tool outside the cluster (the nemesis, the CLI) turns on the
// store: a storage node's fdatasync delay and an on-demand scrub, sent as
// storage frames to the node's own address, and the writer's read settings,
// sent as a client request. Each call is one bounded round trip; an operating
// error (refused, timed out, a reply of the wrong shape) is a value, never thrown.

import { clockCreate } from '../core/clock.js';
import { StoreClient } from './client.js';
import type { ReadSpread, WriterReadSettings } from './protocol/client-messages.js';
import type { ScrubReport, StorageReply, StorageRequest } from './protocol/storage-messages.js';
import { storageRequestOnce } from './runtime/local/storage-request.js';
import type { Address } from './topology.js';

export type AdminResult<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly error: string };

export interface WriterTuneChange {
  readonly storageReadsMs?: number;
  readonly readSpread?: ReadSpread;
}

/** Request id of controls: each goes on a fresh connection, so any id is unique there. */
const controlRid = 1;
/** Only measures what is left of a call's bound. */
const clock = clockCreate();

/** Sets the delay every fdatasync of the node takes from now on (0 restores plain fdatasync). */
export async function storageTune(
  address: Address,
  syncDelayMs: number,
  timeoutMs: number,
): Promise<AdminResult<{ readonly syncDelayMs: number }>> {
  const reply = await storageControl(address, { t: 'tune', rid: controlRid, syncDelayMs }, timeoutMs);
  if (!reply.ok) return reply;
  if (reply.reply.t !== 'tune-result') return unexpected('tune', reply.reply);
  const delayMs = reply.reply.syncDelayMs;
  if (!isCount(delayMs)) return unexpected('tune', reply.reply);
  return { ok: true, syncDelayMs: delayMs };
}

/** Runs one full scrub cycle on the node now and returns what it found. */
export async function storageScrub(address: Address, timeoutMs: number): Promise<AdminResult<ScrubReport>> {
  const reply = await storageControl(address, { t: 'scrub', rid: controlRid }, timeoutMs);
  if (!reply.ok) return reply;
  const r = reply.reply;
  if (r.t !== 'scrub-result') return unexpected('scrub', r);
  const counts = [
    r.blocksChecked,
    r.blocksCorrupt,
    r.blocksCorruptNew,
    r.hotBlocksCorrupt,
    r.coldBlocksCorrupt,
    r.metaBlocksCorrupt,
  ];
  if (!counts.every(isCount) || !isCount(r.blocksUnrepaired) || !isCount(r.durationMs)) return unexpected('scrub', r);
  if (typeof r.complete !== 'boolean') return unexpected('scrub', r);
  return {
    ok: true,
    blocksChecked: r.blocksChecked,
    blocksCorrupt: r.blocksCorrupt,
    blocksCorruptNew: r.blocksCorruptNew,
    hotBlocksCorrupt: r.hotBlocksCorrupt,
    coldBlocksCorrupt: r.coldBlocksCorrupt,
    metaBlocksCorrupt: r.metaBlocksCorrupt,
    blocksUnrepaired: r.blocksUnrepaired,
    complete: r.complete,
    durationMs: r.durationMs,
  };
}

/** Changes the writer's read settings (absent fields keep theirs) and returns those now in force. */
export async function writerTune(
  address: Address,
  change: WriterTuneChange,
  timeoutMs: number,
): Promise<AdminResult<WriterReadSettings>> {
  const deadlineMs = clock.nowMs() + timeoutMs;
  let client: StoreClient;
  try {
    client = await StoreClient.connect(address, timeoutMs);
  } catch (error) {
    return { ok: false, error: `${address.host}:${address.port}: ${(error as Error).message}` };
  }
  try {
    const leftMs = Math.max(1, Math.ceil(deadlineMs - clock.nowMs()));
    const result = await client.request({ t: 'tune', ...change }, leftMs);
    if (!result.ok) return { ok: false, error: `tune failed: ${result.code}: ${result.message}` };
    const value = result.value as Partial<Record<keyof WriterReadSettings, unknown>> | null;
    if (
      value === null ||
      typeof value !== 'object' ||
      !isCount(value.storageReadsMs) ||
      (value.readSpread !== 'default' && value.readSpread !== 'round-robin')
    )
      return { ok: false, error: `tune answered with an unexpected value: ${JSON.stringify(result.value)}` };
    return { ok: true, storageReadsMs: value.storageReadsMs, readSpread: value.readSpread };
  } finally {
    client.close();
  }
}

type ControlReply =
  { readonly ok: true; readonly reply: StorageReply } | { readonly ok: false; readonly error: string };

/** One control frame; a reject is an error value naming its code. */
async function storageControl(address: Address, request: StorageRequest, timeoutMs: number): Promise<ControlReply> {
  const result = await storageRequestOnce(address, request, timeoutMs);
  if (!result.ok) return result;
  const reply = result.reply;
  if (reply.t === 'reject') return { ok: false, error: `${request.t} refused: ${reply.code}: ${reply.message}` };
  return { ok: true, reply };
}

function unexpected(what: string, reply: StorageReply): { readonly ok: false; readonly error: string } {
  const text = JSON.stringify(reply);
  return { ok: false, error: `${what} answered with ${text.length > 200 ? `${text.slice(0, 197)}...` : text}` };
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
