// Closing the books on bad hot blocks. Once gossip has refilled what a bad block
// held (the refilled records were written anew at the log's tail), the bad
// block is rewritten in place as a valid empty block, so it is neither served
// nor reported again, and counted as repaired.

import { recordBlocksPack } from '../disk/record-blocks.js';
import type { BadBlock, NodeState } from './node-state.js';

export async function badBlocksSettle(state: NodeState, pgId: number): Promise<void> {
  const pg = state.pgs[pgId]!;
  for (const bad of [...state.badBlocks]) {
    if (bad.pg !== pgId || !refilled(state, bad)) continue;
    const hot = state.hotLogs[pgId]!.fileGet(bad.fileSeq);
    if (hot !== undefined && bad.blockNo < hot.file.blockCount) {
      const empty = recordBlocksPack([], {
        purpose: 'hot',
        segmentId: pgId,
        fileSeq: bad.fileSeq,
        blockNoFirst: bad.blockNo,
        epoch: state.meta.epochDurable,
        commitSeq: 0,
        blockBytes: state.fileOptions.blockBytes,
        lastBlockFlags: 0,
      });
      await hot.file.write(bad.blockNo, empty.bytes);
      await hot.file.sync();
      hot.blockLsns[bad.blockNo] = [];
      state.stats.fsyncs++;
      state.stats.blocksWritten++;
    }
    state.badBlocks.splice(state.badBlocks.indexOf(bad), 1);
    state.repairs.repaired({ purpose: 'hot', pg: pgId, fileSeq: bad.fileSeq, blockNo: bad.blockNo });
    state.log.info(
      `repaired block ${bad.fileSeq}:${bad.blockNo} of pg ${pgId}: its records were refilled from peers; SCL ${pg.scl}`,
    );
  }
}

function refilled(state: NodeState, bad: BadBlock): boolean {
  const pg = state.pgs[bad.pg]!;
  if (bad.lsns.length > 0) return bad.lsns.every((lsn) => lsn <= pg.base || pg.records.has(lsn) || pg.annulled(lsn));
  return !pg.gapExists && pg.scl >= bad.lsnClaimedMax;
}
