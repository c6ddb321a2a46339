// A storage node: loads and validates its disk, then serves the writer and its
// peers, and runs gossip, scrub and coalescing one after another in a single
// background loop (background.ts). main.ts runs one per process; tests may
// start several in one.

import type { Logger } from '../log.js';
import type { Address, NodeConfig } from '../topology.js';
import type { StorageStats } from '../protocol/storage-messages.js';
import { Background } from './background.js';
import { coalesceRecordsMinDefault } from './coalesce.js';
import { nodeStateLoad } from './disk-load.js';
import { GroupCommit } from './group-commit.js';
import { RequestHandlers } from './handlers.js';
import type { ParseLimits } from './message-parse.js';
import type { NodeState } from './node-state.js';
import { PeerLink } from './peer-link.js';
import { StorageServer } from './server.js';

export interface StorageNodeOptions {
  readonly log: Logger;
  /** Called on an assertion failure or a disk error; the default logs FATAL and exits the process. */
  readonly fatal?: (message: string) => void;
  /**
   * Extra latency per fdatasync at start, simulating a slow device (tests of
   * ack ordering); a `tune` request changes it while the node runs.
   */
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
  const state = await nodeStateLoad(config, log, { ms: options.syncDelayMs ?? 0 });
  const limits: ParseLimits = {
    pgCount: config.cluster.geometry.pgCount,
    blockBytes: config.cluster.storage.blockBytes,
  };
  const commit = new GroupCommit(state);
  const peers = config.peers.filter((p) => p.role === 'storage').map((p) => new PeerLink(p.id, p.dial, limits, log));
  const background = new Background(state, commit, peers, options.coalesceRecordsMin ?? coalesceRecordsMinDefault);
  const handlers = new RequestHandlers(state, commit, () => background.scrubNow());
  const onFatal = (error: unknown): void =>
    fatal(error instanceof Error ? (error.stack ?? error.message) : String(error));
  const server = await StorageServer.start(
    config.node.listen,
    limits,
    {
      handle: (request) => handlers.handle(request),
      badRequest: (rid, reason) => handlers.badRequest(rid, reason),
      fatal: onFatal,
    },
    log,
  );
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
