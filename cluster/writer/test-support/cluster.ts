// Test support for the writer: a real cluster of child processes (storage
// nodes and writers from dist/) on real sockets, with kill, stop, pause and
// restart per node, store clients, a raw storage-protocol request, and cleanup
// of every process and directory a test started.

import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { portsAllocate } from '../../runtime/local/port-allocate.js';
import { storageRequestOnce } from '../../runtime/shared/storage-request.js';
import { storageNodeId, writerNodeId, type NodeConfig, type NodeSpec } from '../../topology.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const readyTimeoutMs = 15_000;
const pollMs = 25;

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
  readonly configs = new Map<string, NodeConfig>();
  private readonly children = new Map<string, ChildProcess>();
  private readonly clients = new Set<StoreClient>();
  private readonly logStreams: WriteStream[] = [];

  private constructor(readonly dir: string) {}

  static async create(options: ClusterOptions = {}): Promise<TestCluster> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quorumlab-writer-'));
    const cluster = new TestCluster(dir);
    await cluster.configure(options);
    return cluster;
  }

  get storageIds(): string[] {
    return [...this.configs.keys()].filter((id) => id.startsWith('s'));
  }

  /** Starts every storage node, then w0, and waits until w0 is the primary. */
  async start(): Promise<void> {
    await Promise.all(this.storageIds.map((id) => this.nodeStart(id)));
    await this.nodeStart('w0');
    for (const id of this.configs.keys()) if (id.startsWith('w') && id !== 'w0') await this.nodeStart(id);
  }

  /**
   * Starts node `id` from its config and waits until it answers health (a writer:
   * until it is the primary or a standby, unless `recovered` is false).
   * `nodeArgs` go to node itself (a profiler flag, say).
   */
  async nodeStart(
    id: string,
    options: { readonly nodeArgs?: readonly string[]; readonly recovered?: boolean } = {},
  ): Promise<void> {
    const nodeArgs = options.nodeArgs ?? [];
    const roles = options.recovered === false ? ['writer', 'standby', 'recovering'] : ['writer', 'standby'];
    const config = this.configs.get(id)!;
    const configPath = path.join(this.dir, `${id}.json`);
    await writeFile(configPath, JSON.stringify(config));
    const role = config.node.role;
    const log = createWriteStream(path.join(this.dir, `${id}.log`), { flags: 'a' });
    this.logStreams.push(log);
    const child = spawn(
      process.execPath,
      [...nodeArgs, path.join(repoRoot, 'dist/cluster', role, 'main.js'), configPath],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout.pipe(log, { end: false });
    child.stderr.pipe(log, { end: false });
    this.children.set(id, child);
    if (role === 'storage')
      await this.until(id, async () => (await this.storageRequest(id, { t: 'health' }, 500))?.t === 'health-result');
    else await this.until(id, async () => roles.includes((await this.writerHealth(id))?.role ?? ''));
  }

  async nodeKill(id: string): Promise<void> {
    await this.signal(id, 'SIGKILL');
  }

  async nodeStop(id: string): Promise<void> {
    await this.signal(id, 'SIGTERM');
  }

  nodePause(id: string): void {
    this.children.get(id)?.kill('SIGSTOP');
  }

  nodeResume(id: string): void {
    this.children.get(id)?.kill('SIGCONT');
  }

  /** A client of writer `id` (w0 by default). */
  async client(id = 'w0'): Promise<StoreClient> {
    const client = await StoreClient.connect(this.configs.get(id)!.node.listen, 2000);
    this.clients.add(client);
    return client;
  }

  async writerHealth(id: string): Promise<WriterHealth | null> {
    let client: StoreClient | null = null;
    try {
      client = await StoreClient.connect(this.configs.get(id)!.node.listen, 500);
      return await client.health(500);
    } catch (error) {
      if (error instanceof Error) return null;
      throw error;
    } finally {
      client?.close();
    }
  }

  /** Waits until writer `id` is the open primary. */
  async writerReady(id: string): Promise<WriterHealth> {
    let health: WriterHealth | null = null;
    await this.until(id, async () => {
      health = await this.writerHealth(id);
      return health?.role === 'writer' && health.ready;
    });
    return health!;
  }

  /** One request on a fresh connection to a storage node; null when it does not answer in time. */
  async storageRequest(id: string, body: RequestBody, timeoutMs = 2000): Promise<StorageReply | null> {
    const result = await storageRequestOnce(this.configs.get(id)!.node.listen, { ...body, rid: 1 }, timeoutMs);
    return result.ok ? result.reply : null;
  }

  /** Waits until node `id`'s log has matched `pattern` `count` times in total. */
  async logUntil(id: string, pattern: RegExp, count: number): Promise<void> {
    const global = new RegExp(pattern.source, 'g');
    // Log files are appended across restarts: `count` includes earlier runs.
    await this.until(id, async () => ((await this.logOf(id)).match(global)?.length ?? 0) >= count);
  }

  async logOf(id: string): Promise<string> {
    return readFile(path.join(this.dir, `${id}.log`), 'utf8').catch(() => '');
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients) client.close();
    await Promise.all([...this.children.keys()].map((id) => this.signal(id, 'SIGKILL')));
    for (const log of this.logStreams) log.end();
    await rm(this.dir, { recursive: true, force: true });
  }

  private async signal(id: string, signal: NodeJS.Signals): Promise<void> {
    const child = this.children.get(id);
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (signal !== 'SIGKILL') child.kill('SIGCONT');
    child.kill(signal);
    await exited;
    this.children.delete(id);
  }

  private async until(id: string, ready: () => Promise<boolean>): Promise<void> {
    try {
      await pollUntil(clockCreate(), {
        what: `${id} ready`,
        timeoutMs: readyTimeoutMs,
        intervalMs: pollMs,
        probe: async () => ((await ready()) ? true : null),
      });
    } catch (error) {
      const tail = (await this.logOf(id)).split('\n').slice(-15).join('\n');
      throw new Error(`${id} not ready within ${readyTimeoutMs} ms; log tail:\n${tail}`, { cause: error });
    }
  }

  private async configure(options: ClusterOptions): Promise<void> {
    const base = clusterConfigDefault;
    const cluster: ClusterConfig = {
      geometry: { ...base.geometry, pgCount: options.pgCount ?? 1 },
      bugs: options.bugs ?? [],
      writer: { ...base.writer, quorumTimeoutMs: 1000, backpressureTimeoutMs: 1000, ...options.writer },
      storage: { ...base.storage, gossipIntervalMs: 100, scrubIntervalMs: 500, ...options.storage },
    };
    const g = cluster.geometry;
    const specs: NodeSpec[] = [];
    const ports = await portsAllocate(g.azCount * g.nodesPerAz + 1 + (options.standbys ?? 0));
    for (let az = 0; az < g.azCount; az++) {
      for (let i = 0; i < g.nodesPerAz; i++)
        specs.push(this.spec(storageNodeId(az, i), 'storage', az, ports[specs.length]!));
    }
    for (let w = 0; w <= (options.standbys ?? 0); w++)
      specs.push(this.spec(writerNodeId(w), 'writer', w % g.azCount, ports[specs.length]!));
    for (const node of specs) {
      await mkdir(node.dataDir, { recursive: true });
      this.configs.set(node.id, {
        node,
        cluster,
        peers: specs.filter((p) => p.id !== node.id).map((p) => ({ ...p, dial: p.listen })),
      });
    }
  }

  private spec(id: string, role: 'storage' | 'writer', az: number, port: number): NodeSpec {
    return {
      id: id as NodeSpec['id'],
      role,
      az,
      listen: { host: '127.0.0.1', port },
      dataDir: path.join(this.dir, id, 'data'),
    };
  }
}
