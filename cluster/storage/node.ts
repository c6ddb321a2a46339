// A storage node: loads and validates its disk, then serves the writer and its
// peers, and runs gossip, scrub and coalescing one after another in a single
// background loop. main.ts runs one per process; tests may start several in one.

import { clockCreate } from '../../core/clock.js';
import type { Logger } from '../log.js';
import type { Address, NodeConfig } from '../topology.js';
import type { StorageStats } from '../protocol/storage-messages.js';
import { coalescePass, coalesceRecordsMinDefault } from './coalesce.js';
import { nodeStateLoad } from './disk-load.js';
import { Gossip } from './gossip.js';
import { GroupCommit } from './group-commit.js';
import { RequestHandlers } from './handlers.js';
import type { ParseLimits } from './message-parse.js';
import type { NodeState } from './node-state.js';
import { PeerLink } from './peer-link.js';
import { Scrub } from './scrub.js';
import { StorageServer } from './server.js';

export interface StorageNodeOptions {
  readonly log: Logger;
  /** Called on an assertion failure or a disk error; the default logs FATAL and exits the process. */
  readonly fatal?: (message: string) => void;
  /** Extra latency per fdatasync, simulating a slow device (tests of ack ordering). */
  readonly syncDelayMs?: number;
  /** Records held in memory before coalescing runs (default coalesceRecordsMinDefault). */
  readonly coalesceRecordsMin?: number;
}

export interface StorageNodeHandle {
  readonly address: Address;
  stats(): StorageStats;
  /** Finishes in-flight syncs, stops background work, closes connections and files. */
  stop(): Promise<void>;
}

export async function storageNodeStart(config: NodeConfig, options: StorageNodeOptions): Promise<StorageNodeHandle> {
  const log = options.log;
  const fatal =
    options.fatal ??
    ((message: string): void => {
      log.fatal(message);
      process.exit(70);
    });
  const state = await nodeStateLoad(config, log, options.syncDelayMs ?? 0);
  const limits: ParseLimits = {
    pgCount: config.cluster.geometry.pgCount,
    blockBytes: config.cluster.storage.blockBytes,
  };
  const commit = new GroupCommit(state);
  const handlers = new RequestHandlers(state, commit);
  const onFatal = (error: unknown): void =>
    fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  const server = await StorageServer.start(
    config.node.listen,
    limits,
    { handle: (request) => handlers.handle(request), fatal: onFatal },
    log,
  );
  const peers = config.peers.filter((p) => p.role === 'storage').map((p) => new PeerLink(p.id, p.dial, limits, log));
  const background = new Background(state, commit, peers, options.coalesceRecordsMin ?? coalesceRecordsMinDefault);
  const loop = background.run().catch(onFatal);
  log.info(
    `ready: listening on ${server.address.host}:${server.address.port}, epoch ${state.epoch}, ${state.stats.blocksCorrupt} corrupt blocks found at start`,
  );
  let stopped: Promise<void> | null = null;
  return {
    address: server.address,
    stats: () => ({ ...state.stats }),
    stop: () => {
      stopped ??= (async () => {
        handlers.stopping = true;
        background.stop();
        for (const peer of peers) peer.close();
        await loop;
        await handlers.drain();
        await commit.drain();
        await server.close();
        await nodeFilesClose(state);
        log.info(`stopped; stats ${JSON.stringify(state.stats)}`);
      })();
      return stopped;
    },
  };
}

async function nodeFilesClose(state: NodeState): Promise<void> {
  for (const hot of state.hotLogs) await hot.close();
  await state.meta.close();
}

/** Gossip, scrub and coalescing, each at its own interval, never two at once. */
class Background {
  private readonly abort = new AbortController();
  private readonly clock = clockCreate();
  private readonly gossip: Gossip;
  private readonly scrub: Scrub;

  constructor(
    private readonly state: NodeState,
    commit: GroupCommit,
    private readonly peers: readonly PeerLink[],
    private readonly coalesceRecordsMin: number,
  ) {
    this.gossip = new Gossip(state, commit, peers);
    this.scrub = new Scrub(state);
  }

  stop(): void {
    this.abort.abort();
  }

  async run(): Promise<void> {
    const tuning = this.state.cluster.storage;
    const tasks = [
      { everyMs: tuning.gossipIntervalMs, dueMs: 0, run: () => this.gossip.round() },
      { everyMs: tuning.scrubIntervalMs, dueMs: tuning.scrubIntervalMs, run: () => this.scrub.pass() },
      {
        everyMs: tuning.coalesceIntervalMs,
        dueMs: tuning.coalesceIntervalMs,
        run: () => coalescePass(this.state, { recordsMin: this.coalesceRecordsMin, peerCount: this.peers.length }),
      },
    ];
    while (!this.abort.signal.aborted) {
      const next = tasks.reduce((a, b) => (b.dueMs < a.dueMs ? b : a));
      const waitMs = next.dueMs - this.clock.nowMs();
      if (waitMs > 0) {
        await this.clock.sleep(waitMs, this.abort.signal);
        if (this.abort.signal.aborted) return;
      }
      await next.run();
      next.dueMs = this.clock.nowMs() + next.everyMs;
    }
  }
}
