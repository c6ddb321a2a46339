// Real local clusters for the integration tests: each in its own temporary
// directory, with short store timeouts so faults show quickly, and everything a
// test started (clusters, client connections, directories) released in
// afterEach whether the test passed or not.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { clockCreate, pollUntil } from '../../../core/clock.js';
import { StoreClient } from '../../client.js';
import type { ClientResult } from '../../client.js';
import type { BugName, ClusterConfig, StorageTuning, WriterTuning } from '../../config.js';
import { clusterConfigParse } from '../../config.js';
import { clientLinkEnd } from '../../runtime/local/link-address.js';
import { localRuntimeCreate } from '../../runtime/local/local-runtime.js';
import type { LocalRuntime } from '../../runtime/local/local-runtime.js';
import type { NodeId } from '../../topology.js';

export interface TestClusterOptions {
  readonly pgCount?: number;
  readonly standbyWriters?: number;
  readonly bugs?: readonly BugName[];
  readonly writer?: Partial<WriterTuning>;
  readonly storage?: Partial<StorageTuning>;
}

/** Store timeouts short enough that a fault shows within a test's few seconds. */
export const testWriterTuning: Partial<WriterTuning> = { quorumTimeoutMs: 1000, backpressureTimeoutMs: 1000 };
export const testStorageTuning: Partial<StorageTuning> = { gossipIntervalMs: 100, scrubIntervalMs: 200 };
/** Bound on one client request in the tests. */
export const requestTimeoutMs = 3000;
const connectTimeoutMs = 2000;

export interface TestCluster {
  readonly runtime: LocalRuntime;
  readonly config: ClusterConfig;
  readonly baseDir: string;
  /** A connection to the current primary writer, closed after the test. */
  client(): Promise<StoreClient>;
  /** A connection to one writer, primary or not. */
  clientTo(id: NodeId): Promise<StoreClient>;
}

export class ClusterFixtures {
  private readonly runtimes: LocalRuntime[] = [];
  private readonly clients: StoreClient[] = [];
  private readonly dirs: string[] = [];

  async start(options: TestClusterOptions = {}): Promise<TestCluster> {
    const config = testConfig(options);
    const baseDir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-it-'));
    this.dirs.push(baseDir);
    const runId = `it-${path.basename(baseDir)}`;
    const runtime = localRuntimeCreate(
      { config, standbyWriters: options.standbyWriters ?? 0, baseDir, runId },
      { writerReadyTimeoutMs: 20_000 },
    );
    this.runtimes.push(runtime);
    await runtime.start();
    const connect = async (id: NodeId | null): Promise<StoreClient> => {
      const address = id === null ? runtime.writerAddress() : runtime.linkAddress(clientLinkEnd, id);
      const client = await StoreClient.connect(address, connectTimeoutMs);
      this.clients.push(client);
      return client;
    };
    return { runtime, config, baseDir, client: () => connect(null), clientTo: (id) => connect(id) };
  }

  /** Stops every cluster and removes its directory; call from afterEach. */
  async cleanup(): Promise<void> {
    for (const client of this.clients.splice(0)) client.close();
    await Promise.all(this.runtimes.splice(0).map((runtime) => runtime.stop()));
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}

function testConfig(options: TestClusterOptions): ClusterConfig {
  const parsed = clusterConfigParse({
    geometry: { pgCount: options.pgCount ?? 1 },
    bugs: options.bugs ?? [],
    writer: { ...testWriterTuning, ...options.writer },
    storage: { ...testStorageTuning, ...options.storage },
  });
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.config;
}

/** The value of a request that must succeed; a failure fails the test with the store's error. */
export async function okValue(client: StoreClient, body: Parameters<StoreClient['request']>[0]): Promise<unknown> {
  const result = await client.request(body, requestTimeoutMs);
  if (!result.ok)
    throw new Error(
      `${JSON.stringify(body)} failed: ${result.code} (${result.definite ? 'definite' : 'indefinite'}): ${result.message}`,
    );
  return result.value;
}

/** Polls `probe` until it returns a non-null value, at most `timeoutMs`; fails with `what` otherwise. */
export async function eventually<T>(
  what: string | (() => string),
  timeoutMs: number,
  probe: () => Promise<T | null>,
  pollMs = 100,
): Promise<T> {
  return pollUntil(clockCreate(), {
    what: typeof what === 'string' ? what : 'a condition',
    timeoutMs,
    intervalMs: pollMs,
    probe,
    ...(typeof what === 'string' ? {} : { detail: what }),
  });
}

/** A fresh connection per attempt: after a writer restart the old one is gone. */
export async function writeUntilAcked(
  cluster: TestCluster,
  key: string,
  value: number,
  timeoutMs: number,
): Promise<ClientResult> {
  let last: ClientResult | null = null;
  return eventually(
    () => `a write of ${key} acknowledged (last: ${JSON.stringify(last)})`,
    timeoutMs,
    async () => {
      let client: StoreClient;
      try {
        client = await cluster.client();
      } catch (error) {
        last = { ok: false, definite: true, code: 'connect', message: (error as Error).message };
        return null;
      }
      last = await client.request({ t: 'write', key, value }, requestTimeoutMs);
      client.close();
      return last.ok ? last : null;
    },
  );
}
