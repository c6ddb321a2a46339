// Start-up: reads the node's data directory and rebuilds its state, validating
// every block (checksum and header). A bad block is logged, counted and never
// served; its records are simply missing until gossip refills them. A torn tail
// (invalid blocks at the end of a PG's last hot file) is discarded.

import { mkdir } from 'node:fs/promises';
import type { Logger } from '../log.js';
import type { NodeConfig } from '../topology.js';
import type { LogRecord } from '../protocol/storage-messages.js';
import { lsnLater, lsnOf, lsnZero, pgIdOf, type Lsn } from '../protocol/ids.js';
import { blockMagic } from '../disk/block.js';
import { BlockFile, type BlockFileOptions, type SyncDelay } from '../disk/block-file.js';
import { hotFileName, segmentFilesList, type SegmentFile } from '../disk/layout.js';
import { recordBlockRead } from '../disk/record-blocks.js';
import { BlockRepairs } from './block-repairs.js';
import { ColdLog } from './cold-log.js';
import { HotLog, type HotFile } from './hot-log.js';
import { MetaLog } from './meta-log.js';
import { type BadBlock, type NodeState, bugSwitches, statsZero } from './node-state.js';
import { PgState } from './pg-state.js';

/** Blocks read per chunk at start-up. */
const loadChunkBlocks = 256;

interface LoadedBlock {
  readonly pg: number;
  readonly hot: HotFile;
  readonly blockNo: number;
  readonly commitSeq: number;
  readonly records: readonly LogRecord[];
}

/** `syncDelay` is the node's one holder of the simulated device delay, shared by every file it opens. */
export async function nodeStateLoad(config: NodeConfig, log: Logger, syncDelay: SyncDelay): Promise<NodeState> {
  const dataDir = config.node.dataDir;
  await mkdir(dataDir, { recursive: true });
  const bugs = bugSwitches(config.cluster.bugs);
  const crcVerify = !bugs.skipCrc;
  const fileOptions: BlockFileOptions = {
    blockBytes: config.cluster.storage.blockBytes,
    volatileWriteCache: config.cluster.storage.volatileWriteCache,
    syncDelay,
  };
  const files = await segmentFilesList(dataDir);
  const { meta, state: metaState } = await MetaLog.open(dataDir, fileOptions, crcVerify, log);
  const stats = statsZero();
  const repairs = new BlockRepairs(stats);
  stats.blocksCorrupt += metaState.blocksCorrupt;
  const pgCount = config.cluster.geometry.pgCount;
  const pgs: PgState[] = [];
  const hotLogs: HotLog[] = [];
  const coldLogs: ColdLog[] = [];
  const badBlocks: BadBlock[] = [];
  const loaded: LoadedBlock[] = [];
  for (let pgRaw = 0; pgRaw < pgCount; pgRaw++) {
    const pg = pgIdOf(pgRaw);
    const state = new PgState(pg);
    state.truncations = metaState.truncations.filter((t) => t.pg === pg);
    const { cold, load } = await ColdLog.load(
      dataDir,
      pg,
      files.filter((f) => f.purpose === 'cold' && f.segmentId === pg),
      fileOptions,
      crcVerify,
      metaState.epoch,
      log,
      repairs,
    );
    stats.blocksCorrupt += load.blocksCorrupt;
    state.baseLoad(load.base, load.entries);
    const hotLog = new HotLog(dataDir, pg, fileOptions);
    const hotFiles = files.filter((f) => f.purpose === 'hot' && f.segmentId === pg);
    for (const [i, file] of hotFiles.entries()) {
      const hot = await hotFileLoad(file, fileOptions, {
        crcVerify,
        epochMax: metaState.epoch,
        last: i === hotFiles.length - 1,
        log,
      });
      hotLog.fileAdopt(hot.hot);
      loaded.push(...hot.blocks.map((b) => ({ ...b, pg, hot: hot.hot })));
      badBlocks.push(
        ...hot.bad.map((b) => ({
          pg,
          fileSeq: file.fileSeq,
          blockNo: b.blockNo,
          lsns: [],
          lsnClaimedMax: b.lsnClaimedMax,
          roundsUnfound: 0,
          dataLossReported: false,
        })),
      );
      stats.blocksCorrupt += hot.bad.length;
      for (const b of hot.bad) repairs.found({ purpose: 'hot', pg, fileSeq: file.fileSeq, blockNo: b.blockNo });
    }
    pgs.push(state);
    hotLogs.push(hotLog);
    coldLogs.push(cold);
  }
  const commitSeqMax = loaded.reduce((m, b) => Math.max(m, b.commitSeq), 0);
  for (const block of loaded) for (const record of block.records) pgs[block.pg]!.insert(record);
  if (bugs.loseHotLogTail) await hotTailLose(loaded, commitSeqMax, pgs, log);
  for (const state of pgs)
    log.info(
      `pg ${state.pg}: loaded base ${state.base}, ${state.records.size} hot records, SCL ${state.scl}, ${state.truncations.length} truncations`,
    );
  return {
    nodeId: config.node.id,
    dataDir,
    cluster: config.cluster,
    log,
    bugs,
    fileOptions,
    pgs,
    hotLogs,
    coldLogs,
    meta,
    stats,
    badBlocks,
    repairs,
    epoch: metaState.epoch,
    epochWriterId: metaState.writerId,
    commitSeq: commitSeqMax + 1,
    peerScls: new Map(),
  };
}

interface HotLoadContext {
  readonly crcVerify: boolean;
  readonly epochMax: number;
  /** The PG's newest file: invalid blocks at its end are a torn tail, not corruption. */
  readonly last: boolean;
  readonly log: Logger;
}

async function hotFileLoad(
  file: SegmentFile,
  options: BlockFileOptions,
  context: HotLoadContext,
): Promise<{
  hot: HotFile;
  blocks: Omit<LoadedBlock, 'pg' | 'hot'>[];
  bad: { blockNo: number; lsnClaimedMax: Lsn }[];
}> {
  const blockFile = await BlockFile.open(file.path, options);
  const hot: HotFile = { fileSeq: file.fileSeq, file: blockFile, blockLsns: [], lsnMax: lsnZero };
  const blocks: Omit<LoadedBlock, 'pg' | 'hot'>[] = [];
  const invalid: { blockNo: number; reason: string; range: string; lsnClaimedMax: Lsn }[] = [];
  for (let first = 0; first < blockFile.blockCount; first += loadChunkBlocks) {
    const count = Math.min(loadChunkBlocks, blockFile.blockCount - first);
    const bytes = await blockFile.read(first, count);
    for (let i = 0; i < count; i++) {
      const blockNo = first + i;
      const block = bytes.subarray(i * options.blockBytes, (i + 1) * options.blockBytes);
      const read = recordBlockRead(
        block,
        { purpose: 'hot', segmentId: file.segmentId, fileSeq: file.fileSeq, blockNo, epochMax: context.epochMax },
        context.crcVerify,
      );
      if (!read.ok) {
        invalid.push({ blockNo, reason: read.reason, range: claimedRange(block), lsnClaimedMax: claimedLsnMax(block) });
        hot.blockLsns[blockNo] = null;
        continue;
      }
      hot.blockLsns[blockNo] = read.records.map((r) => r.lsn);
      for (const record of read.records) hot.lsnMax = lsnLater(hot.lsnMax, record.lsn);
      blocks.push({ blockNo, commitSeq: read.header.commitSeq, records: read.records });
    }
  }
  let tornFrom = blockFile.blockCount;
  if (context.last) while (tornFrom > 0 && invalid.some((b) => b.blockNo === tornFrom - 1)) tornFrom--;
  if (tornFrom < blockFile.blockCount) {
    context.log.warn(
      `discarding torn tail of ${file.name}: blocks ${tornFrom}..${blockFile.blockCount - 1} (${invalid.find((b) => b.blockNo === tornFrom)?.reason ?? ''})`,
    );
    await blockFile.truncate(tornFrom);
    hot.blockLsns.length = tornFrom;
  }
  const bad = invalid.filter((b) => b.blockNo < tornFrom);
  for (const b of bad)
    context.log.error(
      `corrupt block: file ${file.name} block ${b.blockNo} ${b.range}: ${b.reason}; its records are lost here until refilled from peers`,
    );
  return { hot, blocks, bad: bad.map((b) => ({ blockNo: b.blockNo, lsnClaimedMax: b.lsnClaimedMax })) };
}

/**
 * The lose-hot-log-tail bug. After loading, the node forgets every record of
 * the newest group-commit batch (the highest batch number in any hot block), as
 * if that batch had never been synced, and cuts those blocks off its files. It
 * still reports, for each PG, the SCL it had computed with those records (the
 * SCL before the crash) until its real SCL passes it, and uses that SCL in
 * gossip too, so it never asks peers for what it forgot. The batch numbers in
 * the block headers are what the node persists to do this.
 */
async function hotTailLose(
  loaded: readonly LoadedBlock[],
  commitSeqMax: number,
  pgs: readonly PgState[],
  log: Logger,
): Promise<void> {
  const tail = loaded.filter((b) => b.commitSeq === commitSeqMax && commitSeqMax > 0);
  for (const state of pgs) {
    const blocks = tail.filter((b) => b.pg === state.pg);
    if (blocks.length === 0) continue;
    state.sclClaimed = state.scl;
    const lsns = blocks.flatMap((b) => b.records.map((r) => r.lsn));
    state.recordsLose(lsns);
    const hot = blocks[0]!.hot;
    const from = Math.min(...blocks.map((b) => b.blockNo));
    await hot.file.truncate(from);
    hot.blockLsns.length = from;
    log.warn(
      `lose-hot-log-tail: pg ${state.pg} forgot batch ${commitSeqMax} (${lsns.length} records, ${hotFileName(state.pg, hot.fileSeq)} from block ${from}); reporting SCL ${state.scl}`,
    );
  }
}

/** The LSN range an invalid block's header claims, for the log (unverified). */
function claimedRange(block: Buffer): string {
  if (block.length < 48 || block.readUInt32LE(0) !== blockMagic) return '(LSN range unreadable)';
  return `(claims LSNs ${block.readUIntLE(24, 6)}..${block.readUIntLE(32, 6)}, unverified)`;
}

function claimedLsnMax(block: Buffer): Lsn {
  return lsnOf(block.length >= 48 && block.readUInt32LE(0) === blockMagic ? block.readUIntLE(32, 6) : 0);
}
