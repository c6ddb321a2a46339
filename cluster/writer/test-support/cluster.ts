// Test support for the writer: a real cluster of child processes (storage
// nodes and writers from dist/) on real sockets, started through the local
// runtime, with kill, stop, pause and restart per node, store clients, a raw
// storage-protocol request, and cleanup of every process and directory a test
// started. A test may start the whole cluster or only the nodes it needs.

import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Unbranded } from '../../../core/brand.js';
import { clockCreate, pollUntil } from '../../../core/clock.js';
import { StoreClient } from '../../client.js';
import {
  clusterConfigDefault,
  type BugName,
  type ClusterConfig,
  type StorageTuning,
  type WriterTuning,
} from '../../config.js';
import type { WriterHealth } from '../../protocol/client-messages.js';
import type { StorageReply, StorageRequest } from '../../protocol/storage-messages.js';
import { localRuntimeCreate, type LocalRuntime } from '../../runtime/local/local-runtime.js';
import { storageRequestOnce } from '../../runtime/shared/storage-request.js';
import { storageNodeId, type Address, type NodeId } from '../../topology.js';

const readyTimeoutMs = 15_000;
const pollMs = 25;
/** Bound on one health probe of a writer. */
const healthTimeoutMs = 500;

export interface ClusterOptions {
  readonly pgCount?: number;
  readonly bugs?: readonly BugName[];
  readonly writer?: Partial<WriterTuning>;
  readonly storage?: Partial<StorageTuning>;
  readonly standbys?: number;
}

/** A request without its rid, as the wire carries it (plain numbers): the node under test parses and brands it. */
type RequestBody = Unbranded<
  StorageRequest extends infer R ? (R extends { rid: number } ? Omit<R, 'rid'> : never) : never
>;

export class TestCluster {
  private readonly clients = new Set<StoreClient>();
  /** The runtime laying the nodes out (by start(), or by the first nodeStart()); null before. */
  private opened: Promise<void> | null = null;

  private constructor(
    readonly dir: string,
    readonly config: ClusterConfig,
    private readonly runtime: LocalRuntime,
  ) {}

  static async create(options: ClusterOptions = {}): Promise<TestCluster> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quorumlab-writer-'));
    const config = clusterConfig(options);
    const runtime = localRuntimeCreate(
      { config, standbyWriters: options.standbys ?? 0, baseDir: dir, runId: `writer-test-${path.basename(dir)}` },
      { storageReadyTimeoutMs: readyTimeoutMs, writerReadyTimeoutMs: readyTimeoutMs },
    );
    return new TestCluster(dir, config, runtime);
  }

  get storageIds(): NodeId[] {
    const { azCount, nodesPerAz } = this.config.geometry;
    return Array.from({ length: azCount * nodesPerAz }, (_, i) =>
      storageNodeId(Math.floor(i / nodesPerAz), i % nodesPerAz),
    );
  }

  /** Starts every storage node, then the writers, and waits until w0 is the primary. */
  async start(): Promise<void> {
    this.opened = this.runtime.start();
    await this.opened;
  }

  /**
   * Starts node `id` (again) and waits until it answers health; a writer until
   * it is the primary or a standby, or, with `recovered` false, only until it answers.
   */
  async nodeStart(id: string, options: { readonly recovered?: boolean } = {}): Promise<void> {
    this.opened ??= this.runtime.open();
    await this.opened;
    await this.runtime.nodeStart(id as NodeId, undefined, options.recovered === false ? 0 : undefined);
  }

  async nodeKill(id: string): Promise<void> {
    await this.runtime.nodeKill(id as NodeId);
  }

  async nodeStop(id: string): Promise<void> {
    await this.runtime.nodeStop(id as NodeId);
  }

  async nodePause(id: string): Promise<void> {
    await this.runtime.nodePause(id as NodeId);
  }

  async nodeResume(id: string): Promise<void> {
    await this.runtime.nodeResume(id as NodeId);
  }

  /** Where node `id` listens. */
  address(id: string): Address {
    return this.runtime.nodeAddress(id as NodeId);
  }

  /** A client of writer `id` (w0 by default). */
  async client(id = 'w0'): Promise<StoreClient> {
    const client = await StoreClient.connect(this.address(id), 2000);
    this.clients.add(client);
    return client;
  }

  async writerHealth(id: string): Promise<WriterHealth | null> {
    const probe = await this.runtime.writerHealth(id as NodeId, healthTimeoutMs);
    return probe.ok ? probe.health : null;
  }

  /** Waits until writer `id` is the open primary. */
  async writerReady(id: string): Promise<WriterHealth> {
    let health: WriterHealth | null = null;
    await this.until(id, 'the open primary', async () => {
      health = await this.writerHealth(id);
      return health?.role === 'writer' && health.ready;
    });
    return health!;
  }

  /** One request on a fresh connection to a storage node; null when it does not answer in time. */
  async storageRequest(id: string, body: RequestBody, timeoutMs = 2000): Promise<StorageReply | null> {
    const result = await storageRequestOnce(this.address(id), { ...body, rid: 1 }, timeoutMs);
    return result.ok ? result.reply : null;
  }

  /** Waits until node `id`'s log has matched `pattern` `count` times in total. */
  async logUntil(id: string, pattern: RegExp, count: number): Promise<void> {
    const global = new RegExp(pattern.source, 'g');
    // Log files are appended across restarts: `count` includes earlier runs.
    await this.until(id, `${count} lines matching ${pattern}`, async () => {
      return ((await this.logOf(id)).match(global)?.length ?? 0) >= count;
    });
  }

  async logOf(id: string): Promise<string> {
    return readFile(this.runtime.nodeLogPath(id as NodeId), 'utf8').catch(() => '');
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients) client.close();
    this.runtime.killAllNow();
    await this.runtime.stop();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async until(id: string, what: string, ready: () => Promise<boolean>): Promise<void> {
    try {
      await pollUntil(clockCreate(), {
        what: `${id}: ${what}`,
        timeoutMs: readyTimeoutMs,
        intervalMs: pollMs,
        probe: async () => ((await ready()) ? true : null),
      });
    } catch (error) {
      const tail = (await this.logOf(id)).split('\n').slice(-15).join('\n');
      throw new Error(`${id}: no ${what} within ${readyTimeoutMs} ms; log tail:\n${tail}`, { cause: error });
    }
  }
}

/** The default cluster with store timeouts short enough for tests, and the test's own settings. */
function clusterConfig(options: ClusterOptions): ClusterConfig {
  const base = clusterConfigDefault;
  return {
    geometry: { ...base.geometry, pgCount: options.pgCount ?? 1 },
    bugs: options.bugs ?? [],
    writer: { ...base.writer, quorumTimeoutMs: 1000, backpressureTimeoutMs: 1000, ...options.writer },
    storage: { ...base.storage, gossipIntervalMs: 100, scrubIntervalMs: 500, ...options.storage },
  };
}
