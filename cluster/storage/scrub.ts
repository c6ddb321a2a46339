// Background scrub: each pass re-reads a bounded number of blocks, walking the
// hot logs round-robin, and checks the cold pages and meta log on every full
// cycle. A bad hot block's records are treated as lost (SCL drops, reads never
// use them) and gossip refills them; bad cold pages are rewritten from memory.

import { metaFileName } from '../disk/layout.js';
import { recordBlockRead } from '../disk/record-blocks.js';
import type { HotFile } from './hot-log.js';
import type { NodeState } from './node-state.js';

/** Hot blocks re-read per pass. */
export const scrubBlocksPerPass = 512;

export class Scrub {
  private cursor: { pg: number; fileSeq: number; blockNo: number } = { pg: 0, fileSeq: -1, blockNo: 0 };
  private readonly metaBad = new Set<number>();

  constructor(private readonly state: NodeState) {}

  async pass(): Promise<void> {
    let budget = scrubBlocksPerPass;
    while (budget > 0) {
      const next = this.nextFile();
      if (next === null) {
        await this.cycleEnd();
        return;
      }
      const { pg, hot } = next;
      const count = Math.min(budget, hot.file.blockCount - this.cursor.blockNo);
      if (count > 0) await this.hotBlocksCheck(pg, hot, this.cursor.blockNo, count);
      budget -= Math.max(count, 1);
      this.cursor = { pg, fileSeq: hot.fileSeq, blockNo: this.cursor.blockNo + count };
    }
  }

  /** The file the cursor is in, or the next one; null at the end of a cycle (cursor rewinds). */
  private nextFile(): { pg: number; hot: HotFile } | null {
    const { pg, fileSeq, blockNo } = this.cursor;
    for (let p = pg; p < this.state.pgs.length; p++) {
      for (const hot of this.state.hotLogs[p]!.filesAll()) {
        if (p === pg && hot.fileSeq < fileSeq) continue;
        if (p === pg && hot.fileSeq === fileSeq && blockNo >= hot.file.blockCount) continue;
        if (p !== pg || hot.fileSeq !== fileSeq) this.cursor = { pg: p, fileSeq: hot.fileSeq, blockNo: 0 };
        return { pg: p, hot };
      }
    }
    this.cursor = { pg: 0, fileSeq: -1, blockNo: 0 };
    return null;
  }

  private async hotBlocksCheck(pgId: number, hot: HotFile, first: number, count: number): Promise<void> {
    const s = this.state;
    const blockBytes = s.fileOptions.blockBytes;
    const bytes = await hot.file.read(first, count);
    for (let i = 0; i < count; i++) {
      const blockNo = first + i;
      const lsns = hot.blockLsns[blockNo];
      if (lsns === null || lsns === undefined) continue;
      const block = bytes.subarray(i * blockBytes, (i + 1) * blockBytes);
      const read = recordBlockRead(
        block,
        { purpose: 'hot', segmentId: pgId, fileSeq: hot.fileSeq, blockNo, epochMax: s.epoch },
        !s.bugs.skipCrc,
      );
      if (read.ok) continue;
      hot.blockLsns[blockNo] = null;
      s.stats.blocksCorrupt++;
      const range = lsns.length > 0 ? `LSNs ${Math.min(...lsns)}..${Math.max(...lsns)}` : 'no records';
      s.log.error(
        `corrupt block: file ${hot.file.path} block ${blockNo} (${range}): ${read.reason}; its records are lost here until refilled from peers`,
      );
      s.pgs[pgId]!.recordsLose(lsns);
      s.badBlocks.push({
        pg: pgId,
        fileSeq: hot.fileSeq,
        blockNo,
        lsns,
        lsnClaimedMax: 0,
        roundsUnfound: 0,
        dataLossReported: false,
      });
    }
  }

  /** Once per cycle over the hot logs: the cold pages and the meta log. */
  private async cycleEnd(): Promise<void> {
    const s = this.state;
    for (const pg of s.pgs) {
      const bad = await s.coldLogs[pg.pg]!.scrub(!s.bugs.skipCrc, s.epoch);
      if (bad.length === 0) continue;
      s.stats.blocksCorrupt += bad.length;
      for (const b of bad)
        s.log.error(
          `corrupt block: cold log of pg ${pg.pg} block ${b.blockNo}: ${b.reason}; rewriting the pages from memory`,
        );
      await s.coldLogs[pg.pg]!.passWrite([...pg.keys.pageEntries(pg.base, pg.pg)], pg.base, s.meta.epochDurable);
      s.stats.blocksRepaired += bad.length;
    }
    for (let blockNo = 0; blockNo < s.meta.blockCount; blockNo++) {
      if (this.metaBad.has(blockNo)) continue;
      const reason = await s.meta.blockScrub(blockNo, !s.bugs.skipCrc);
      if (reason === null) continue;
      this.metaBad.add(blockNo);
      s.stats.blocksCorrupt++;
      s.log.error(
        `corrupt block: file ${metaFileName} block ${blockNo}: ${reason}; writing the epoch and truncations again`,
      );
      await s.meta.append({ t: 'epoch-claim', epoch: s.epoch, writerId: s.epochWriterId }, s.epoch);
      for (const t of s.pgs.flatMap((pg) => pg.truncations))
        await s.meta.append({ t: 'truncation', truncation: t }, s.epoch);
    }
  }
}
