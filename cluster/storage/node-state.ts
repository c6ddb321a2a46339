// Everything one storage node holds: the per-PG state and hot logs, the meta
// log with the durable epoch, counters, and the switches of the named bugs.
// Loaded from disk by disk-load.ts; changed by the group commit, the request
// handlers and the background loops.

import type { BugName, ClusterConfig } from '../config.js';
import type { Logger } from '../log.js';
import type { Epoch, Lsn, PgId } from '../protocol/ids.js';
import type { StorageStats } from '../protocol/storage-messages.js';
import type { BlockFileOptions } from '../disk/block-file.js';
import type { BlockRepairs } from './block-repairs.js';
import type { ColdLog } from './cold-log.js';
import type { HotLog } from './hot-log.js';
import type { MetaLog } from './meta-log.js';
import type { PgState } from './pg-state.js';

export type StatsCounters = { -readonly [K in keyof StorageStats]: number };

export function statsZero(): StatsCounters {
  return {
    recordsAppended: 0,
    fsyncs: 0,
    blocksWritten: 0,
    blocksCorrupt: 0,
    blocksRepaired: 0,
    recordsFilledByGossip: 0,
    recordsTruncated: 0,
    readsServed: 0,
    blocksUnrepaired: 0,
    blockRepairsMax: 0,
  };
}

export interface BugSwitches {
  readonly ackBeforeFsync: boolean;
  readonly skipCrc: boolean;
  readonly noEpochFence: boolean;
  readonly loseHotLogTail: boolean;
}

export function bugSwitches(bugs: readonly BugName[]): BugSwitches {
  return {
    ackBeforeFsync: bugs.includes('ack-before-fsync'),
    skipCrc: bugs.includes('skip-crc'),
    noEpochFence: bugs.includes('no-epoch-fence'),
    loseHotLogTail: bugs.includes('lose-hot-log-tail'),
  };
}

/** A hot block found bad (restart or scrub): its records are lost here until gossip refills them. */
export interface BadBlock {
  readonly pg: PgId;
  readonly fileSeq: number;
  readonly blockNo: number;
  /** LSNs it held, when the node knew them (scrub); empty after a restart. */
  readonly lsns: readonly Lsn[];
  /** After a restart: the highest LSN the bad header claims (unverified, 0 if unreadable). */
  readonly lsnClaimedMax: Lsn;
  /** Gossip rounds in which every peer answered without any of the LSNs. */
  roundsUnfound: number;
  dataLossReported: boolean;
}

export interface NodeState {
  readonly nodeId: string;
  readonly dataDir: string;
  readonly cluster: ClusterConfig;
  readonly log: Logger;
  readonly bugs: BugSwitches;
  readonly fileOptions: BlockFileOptions;
  readonly pgs: readonly PgState[];
  readonly hotLogs: readonly HotLog[];
  readonly coldLogs: readonly ColdLog[];
  readonly meta: MetaLog;
  readonly stats: StatsCounters;
  /** Hot blocks found bad whose records are not yet refilled (repair.ts settles them). */
  readonly badBlocks: BadBlock[];
  /** Every hot and cold block found bad, until repaired, and how often each was repaired. */
  readonly repairs: BlockRepairs;
  epoch: Epoch;
  epochWriterId: string;
  /** Next group-commit batch number (node-wide, increasing across restarts). */
  commitSeq: number;
  /** Minimum SCL per PG learned from each peer by gossip (for garbage collection); -1 until heard. */
  readonly peerScls: Map<string, number[]>;
}
