// Test support for the storage node: real nodes on real sockets (in-process, or
// as child processes started through the local runtime's LocalNode), a small
// protocol client, record builders, and cleanup of everything a test starts.

import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Unbranded } from '../../../core/brand.js';
import { clockCreate, pollUntil } from '../../../core/clock.js';
import { clusterConfigDefault, type BugName, type ClusterConfig, type StorageTuning } from '../../config.js';
import { loggerCreate } from '../../log.js';
import { FrameDecoder, frameEncode } from '../../protocol/frame.js';
import type { StoreValue } from '../../protocol/client-messages.js';
import { epochOf, lsnOf, pgIdOf } from '../../protocol/ids.js';
import type { LogRecord, StorageReply, StorageRequest } from '../../protocol/storage-messages.js';
import { LocalNode } from '../../runtime/local/local-node.js';
import { portsAllocate } from '../../runtime/local/port-allocate.js';
import { storageNodeId, type Address, type NodeConfig } from '../../topology.js';
import { storageNodeStart, type StorageNodeHandle } from '../node.js';

const requestTimeoutMs = 5000;
const untilPollMs = 20;

/** Everything a test started, released by `cleanup()` in afterEach. */
export class Harness {
  private readonly dirs: string[] = [];
  private readonly nodes = new Set<StorageNodeHandle>();
  private readonly children = new Set<LocalNode>();
  /** Log files of the child-process runs of each node, oldest first. */
  private readonly logPaths = new Map<string, string[]>();
  private readonly clients = new Set<TestClient>();
  readonly logs = new Map<string, string[]>();

  async dir(): Promise<string> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'quorumlab-storage-'));
    this.dirs.push(dir);
    return dir;
  }

  /** Configs for `count` storage nodes that know each other (one AZ per node). */
  async configs(
    count: number,
    options: { bugs?: readonly BugName[]; storage?: Partial<StorageTuning>; pgCount?: number } = {},
  ): Promise<NodeConfig[]> {
    const base = await this.dir();
    const ports = await portsAllocate(count);
    const quorum = Math.floor(count / 2) + 1;
    const cluster: ClusterConfig = {
      geometry: {
        azCount: count,
        nodesPerAz: 1,
        writeQuorum: quorum,
        readQuorum: count - quorum + 1,
        pgCount: options.pgCount ?? 1,
      },
      bugs: options.bugs ?? [],
      writer: clusterConfigDefault.writer,
      storage: { ...clusterConfigDefault.storage, gossipIntervalMs: 50, scrubIntervalMs: 100, ...options.storage },
    };
    const specs = ports.map((port, i) => ({
      id: storageNodeId(i, 0),
      role: 'storage' as const,
      az: i,
      listen: { host: '127.0.0.1', port },
      dataDir: path.join(base, `s${i}`),
    }));
    return specs.map((node) => ({
      node,
      cluster,
      peers: specs.filter((p) => p.id !== node.id).map((p) => ({ ...p, dial: p.listen })),
    }));
  }

  /** Starts a node in this process; its log lines are kept in `logs`. */
  async start(config: NodeConfig, options: { coalesceRecordsMin?: number } = {}): Promise<StorageNodeHandle> {
    const lines = this.logs.get(config.node.id) ?? [];
    this.logs.set(config.node.id, lines);
    const log = loggerCreate(config.node.id, (line) => lines.push(line));
    const node = await storageNodeStart(config, {
      log,
      fatal: (message) => {
        lines.push(`FATAL ${message}`);
        throw new Error(`storage node ${config.node.id} failed: ${message}`);
      },
      ...options,
    });
    this.nodes.add(node);
    return node;
  }

  async stop(node: StorageNodeHandle): Promise<void> {
    this.nodes.delete(node);
    await node.stop();
  }

  /** Starts `node dist/cluster/storage/main.js` as a child process with extra environment and waits until it is ready. */
  async spawn(config: NodeConfig, env: Record<string, string> = {}): Promise<LocalNode> {
    const dir = await this.dir();
    const child = await LocalNode.start({ config, dir, runId: `storage-test-${path.basename(dir)}`, env });
    this.children.add(child);
    this.logPaths.set(config.node.id, [...(this.logPaths.get(config.node.id) ?? []), child.logPath]);
    return child;
  }

  /** Signals a child-process node and waits for it to end; resolves with its exit code. */
  async kill(child: LocalNode, signal: 'SIGTERM' | 'SIGKILL'): Promise<number | null> {
    const exit = await child.signalExit(signal);
    this.children.delete(child);
    return exit.code;
  }

  async client(address: Address): Promise<TestClient> {
    const client = await TestClient.connect(address);
    this.clients.add(client);
    return client;
  }

  /** The log of node `id`: the lines of its in-process runs, then the log files of its child-process runs. */
  logText(id: string): string {
    const files = (this.logPaths.get(id) ?? []).filter((file) => existsSync(file));
    return [...(this.logs.get(id) ?? []), ...files.map((file) => readFileSync(file, 'utf8'))].join('\n');
  }

  /** Stops every in-process node (gracefully) and closes clients, keeping data directories. */
  async cleanupNodesOnly(): Promise<void> {
    for (const client of this.clients) client.close();
    this.clients.clear();
    await Promise.allSettled([...this.nodes].map((node) => node.stop()));
    this.nodes.clear();
  }

  async cleanup(): Promise<void> {
    for (const client of this.clients) client.close();
    await Promise.allSettled([...this.children].map((child) => child.kill()));
    await Promise.allSettled([...this.nodes].map((node) => node.stop()));
    this.nodes.clear();
    this.children.clear();
    this.clients.clear();
    for (const dir of this.dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  }
}

/** A request without its rid, as the wire carries it (plain numbers): the node under test parses and brands it. */
type RequestBody = Unbranded<
  StorageRequest extends infer R ? (R extends { rid: number } ? Omit<R, 'rid'> : never) : never
>;

/** A minimal speaker of the storage protocol. */
export class TestClient {
  private ridNext = 1;
  private readonly waiting = new Map<number, (reply: StorageReply) => void>();
  readonly closed: Promise<void>;

  private constructor(readonly socket: net.Socket) {
    const decoder = new FrameDecoder(64 * 1024 * 1024);
    socket.on('data', (chunk: Buffer) => {
      for (const message of decoder.push(chunk).messages) {
        const reply = message as StorageReply;
        this.waiting.get(reply.rid)?.(reply);
        this.waiting.delete(reply.rid);
      }
    });
    this.closed = new Promise((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => socket.destroy());
  }

  static connect(address: Address): Promise<TestClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: address.host, port: address.port });
      socket.once('connect', () => resolve(new TestClient(socket)));
      socket.once('error', reject);
    });
  }

  request(body: RequestBody): Promise<StorageReply> {
    const rid = this.ridNext++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no reply to ${body.t} within ${requestTimeoutMs} ms`)),
        requestTimeoutMs,
      );
      this.waiting.set(rid, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.socket.write(frameEncode({ ...body, rid }));
    });
  }

  writeRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

/** A chain of put records for one PG: lsn i has prev = the previous LSN given. */
export function records(
  lsns: readonly number[],
  options: {
    key?: (lsn: number) => string;
    value?: (lsn: number) => StoreValue;
    epoch?: number;
    prevFirst?: number;
    kind?: 'put' | 'append';
  } = {},
): LogRecord[] {
  return lsns.map((lsn, i) => ({
    lsn: lsnOf(lsn),
    pg: pgIdOf(0),
    prev: lsnOf(i === 0 ? (options.prevFirst ?? 0) : lsns[i - 1]!),
    volumeEpoch: epochOf(options.epoch ?? 1),
    membershipEpoch: epochOf(1),
    key: options.key?.(lsn) ?? `k${lsn % 7}`,
    kind: options.kind ?? 'put',
    value: options.value?.(lsn) ?? `v${lsn}`,
    cpl: true,
  }));
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Polls `probe` until it returns true, at most `timeoutMs`; fails naming `what` otherwise. */
export async function until(
  probe: () => Promise<boolean> | boolean,
  timeoutMs = 5000,
  what = 'condition',
): Promise<void> {
  await pollUntil(clockCreate(), {
    what,
    timeoutMs,
    intervalMs: untilPollMs,
    probe: async () => ((await probe()) ? true : null),
  });
}
