// Health over the real protocol: a storage node's `health` frame and the
// writer's client `health` request. Each probe is one bounded round trip whose
// failure is a value; readiness waits poll these.

import { StoreClient } from '../../client.js';
import type { WriterHealth } from '../../protocol/client-messages.js';
import type { StorageReply } from '../../protocol/storage-messages.js';
import type { Address } from '../../topology.js';
import { storageRequestOnce } from './storage-request.js';

export type StorageHealth = Extract<StorageReply, { t: 'health-result' }>;
export type Probe<T> = { readonly ok: true; readonly health: T } | { readonly ok: false; readonly error: string };

/** Request ids of probes; a storage node only echoes them back. */
const healthRid = 1;

export async function storageHealthProbe(address: Address, timeoutMs: number): Promise<Probe<StorageHealth>> {
  const result = await storageRequestOnce(address, { t: 'health', rid: healthRid }, timeoutMs);
  if (!result.ok) return result;
  if (result.reply.t !== 'health-result')
    return { ok: false, error: `health answered with ${result.reply.t}: ${JSON.stringify(result.reply)}` };
  return { ok: true, health: result.reply };
}

export async function writerHealthProbe(address: Address, timeoutMs: number): Promise<Probe<WriterHealth>> {
  let client: StoreClient;
  try {
    client = await StoreClient.connect(address, timeoutMs);
  } catch (error) {
    return { ok: false, error: `${address.host}:${address.port}: ${(error as Error).message}` };
  }
  try {
    const result = await client.request({ t: 'health' }, timeoutMs);
    if (!result.ok) return { ok: false, error: `health failed: ${result.code}: ${result.message}` };
    return { ok: true, health: result.value as unknown as WriterHealth };
  } finally {
    client.close();
  }
}

/** A writer has settled when it is open for clients or knows it is a standby. */
export function writerSettled(health: WriterHealth): boolean {
  return (health.role === 'writer' && health.ready) || health.role === 'standby';
}

export function writerPrimaryReady(health: WriterHealth): boolean {
  return health.role === 'writer' && health.ready;
}
