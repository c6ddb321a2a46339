// The workload client for the real store: one connection per worker to the
// current writer, opened lazily and again after it is cut. A failed connect
// sends nothing, so its operation is a definite `fail`.

import { StoreClient } from '../cluster/client.js';
import type { Address } from '../cluster/topology.js';
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
}

export function storeClientOpen(workload: Workload, options: StoreClientOptions): WorkloadClient {
  let connection: StoreClient | null = null;
  let closed = false;
  const connect = async (): Promise<StoreClient | string> => {
    if (connection !== null && !connection.closed) return connection;
    connection = null;
    try {
      connection = await StoreClient.connect(options.writerAddress(), options.connectTimeoutMs);
      if (closed) connection.close();
      return connection;
    } catch (error) {
      await delay(options.connectRetryDelayMs);
      return error instanceof Error ? error.message : String(error);
    }
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

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
