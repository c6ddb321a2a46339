// The workload client for the real store: one connection per worker to the
// current primary writer, opened lazily, again after it is cut, and again when
// the primary moves. A failed connect sends nothing, so its operation is a
// definite `fail`.

import { StoreClient } from '../cluster/client.js';
import type { Address } from '../cluster/topology.js';
import type { Clock } from '../core/clock.js';
import type { WorkloadClient } from './client.js';
import type { ClientOp, Completion } from './op.js';
import { completionFromResult } from './outcome.js';
import type { Workload } from './workload.js';

export interface StoreClientOptions {
  /** Where the writer is now (it moves when a standby is promoted). */
  readonly writerAddress: () => Address;
  readonly opTimeoutMs: number;
  readonly connectTimeoutMs: number;
  /** A failed connect holds its operation this long, so a down writer is not hammered. */
  readonly connectRetryDelayMs: number;
  /** The run's clock, which the hold after a failed connect waits on. */
  readonly clock: Clock;
}

export function storeClientOpen(workload: Workload, options: StoreClientOptions): WorkloadClient {
  let connection: StoreClient | null = null;
  let connectedTo = '';
  let closed = false;
  const connect = async (): Promise<StoreClient | string> => {
    const address = options.writerAddress();
    // A promotion moves the writer: a connection to the old one is dropped for the new address.
    if (connection !== null && !connection.closed && connectedTo === addressKey(address)) return connection;
    connection?.close();
    connection = null;
    const opened = await connectToPrimary(address, options);
    if (typeof opened === 'string') {
      await options.clock.sleep(options.connectRetryDelayMs);
      return opened;
    }
    connection = opened;
    connectedTo = addressKey(address);
    if (closed) connection.close();
    return connection;
  };
  return {
    invoke: async (op: ClientOp): Promise<Completion> => {
      const client = await connect();
      if (typeof client === 'string') return { type: 'fail', value: op.value, error: 'connect-failed' };
      const result = await client.request(workload.request(op), options.opTimeoutMs);
      return completionFromResult(workload, op, result);
    },
    close: () => {
      closed = true;
      connection?.close();
      connection = null;
    },
  };
}

/**
 * Connects and asks `health` before any operation is sent. A TCP connect can
 * succeed where no writer serves (a proxy in front of a dead node, a standby),
 * so only a primary's answer makes the connection usable; anything else is a
 * failed connect, and the operation is a definite failure since nothing was sent.
 */
async function connectToPrimary(address: Address, options: StoreClientOptions): Promise<StoreClient | string> {
  let client: StoreClient;
  try {
    client = await StoreClient.connect(address, options.connectTimeoutMs);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const health = await client.health(options.connectTimeoutMs);
  if (health !== null && health.role === 'writer' && health.ready) return client;
  client.close();
  return health === null ? 'no health answer' : `writer is ${health.role}, ready ${health.ready}`;
}

function addressKey(address: Address): string {
  return `${address.host}:${address.port}`;
}
