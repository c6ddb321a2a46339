// Scrub: each background pass re-reads a bounded number of blocks, walking the
// hot logs round-robin, and checks the cold pages and meta log on every full
// cycle; a cycle on demand (the `scrub` request) does all of it at once. A bad
// hot block's records are treated as lost (SCL drops, reads never use them) and
// gossip refills them; bad cold pages are rewritten from memory.

import type { Clock } from '../../core/clock.js';
import { lsnZero, pgIdOf, type PgId } from '../protocol/ids.js';
import { metaFileName } from '../disk/layout.js';
import { recordBlockRead } from '../disk/record-blocks.js';
import type { ScrubReport } from '../protocol/storage-messages.js';
import type { HotFile } from './hot-log.js';
import type { NodeState } from './node-state.js';

/** Hot blocks re-read per pass. */
/** How a scrub asked for over the wire went: its report, or why it could not run (the node stopping, too many waiting). */
export type ScrubAsked =
  { readonly ok: true; readonly report: ScrubReport } | { readonly ok: false; readonly reason: string };

export const scrubBlocksPerPass = 512;
/** Bounds of one cycle on demand: hot blocks read, and time spent on the hot logs. */
export const scrubCycleBlocksMax = 1_000_000;
export const scrubCycleHotMsMax = 20_000;

/** What a part of a cycle read: blocks checked, found bad, and of those the ones not known bad before. */
interface Found {
  checked: number;
  corrupt: number;
  corruptNew: number;
}

export class Scrub {
  private cursor: { pg: PgId; fileSeq: number; blockNo: number } = { pg: pgIdOf(0), fileSeq: -1, blockNo: 0 };
  private readonly metaBad = new Set<number>();

  constructor(
    private readonly state: NodeState,
    private readonly clock: Clock,
  ) {}

  /**
   * One whole cycle now, apart from the background cursor: every hot block
   * (until a bound), known-bad ones included, so that the report says what is
   * bad on disk now; then the cold pages and the meta log. Must not overlap a
   * background task (coalescing deletes files): the background loop runs it.
   */
  async cycle(): Promise<ScrubReport> {
    const startMs = this.clock.nowMs();
    const { hot, complete } = await this.hotCheckAll(startMs);
    const cold = await this.coldCheck();
    const meta = await this.metaCheck();
    return {
      blocksChecked: hot.checked + cold.checked + meta.checked,
      blocksCorrupt: hot.corrupt + cold.corrupt + meta.corrupt,
      blocksCorruptNew: hot.corruptNew + cold.corruptNew + meta.corruptNew,
      hotBlocksCorrupt: hot.corrupt,
      coldBlocksCorrupt: cold.corrupt,
      metaBlocksCorrupt: meta.corrupt,
      blocksUnrepaired: this.state.stats.blocksUnrepaired,
      complete,
      durationMs: Math.round(this.clock.nowMs() - startMs),
    };
  }

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

  /** Every hot block of every PG, a chunk at a time, until the cycle's block or time bound. */
  private async hotCheckAll(startMs: number): Promise<{ hot: Found; complete: boolean }> {
    const hot = foundNone();
    for (const pg of this.state.pgs) {
      for (const file of this.state.hotLogs[pg.pg]!.filesAll()) {
        for (let first = 0; first < file.file.blockCount; first += scrubBlocksPerPass) {
          if (hot.checked >= scrubCycleBlocksMax || this.clock.nowMs() - startMs >= scrubCycleHotMsMax)
            return { hot, complete: false };
          const count = Math.min(scrubBlocksPerPass, file.file.blockCount - first);
          addTo(hot, await this.hotBlocksCheck(pg.pg, file, first, count, true));
        }
      }
    }
    return { hot, complete: true };
  }

  /** The file the cursor is in, or the next one; null at the end of a cycle (cursor rewinds). */
  private nextFile(): { pg: PgId; hot: HotFile } | null {
    const { pg, fileSeq, blockNo } = this.cursor;
    for (const { pg: p } of this.state.pgs.slice(pg)) {
      for (const hot of this.state.hotLogs[p]!.filesAll()) {
        if (p === pg && hot.fileSeq < fileSeq) continue;
        if (p === pg && hot.fileSeq === fileSeq && blockNo >= hot.file.blockCount) continue;
        if (p !== pg || hot.fileSeq !== fileSeq) this.cursor = { pg: p, fileSeq: hot.fileSeq, blockNo: 0 };
        return { pg: p, hot };
      }
    }
    this.cursor = { pg: pgIdOf(0), fileSeq: -1, blockNo: 0 };
    return null;
  }

  /**
   * Blocks known bad (null) are read again only when `knownBadToo`, and then
   * only counted: they are already lost here and waiting for their refill.
   */
  private async hotBlocksCheck(
    pgId: PgId,
    hot: HotFile,
    first: number,
    count: number,
    knownBadToo = false,
  ): Promise<Found> {
    const s = this.state;
    const found = foundNone();
    const blockBytes = s.fileOptions.blockBytes;
    const bytes = await hot.file.read(first, count);
    for (let i = 0; i < count; i++) {
      const blockNo = first + i;
      const lsns = hot.blockLsns[blockNo];
      if (lsns === undefined || (lsns === null && !knownBadToo)) continue;
      found.checked++;
      const block = bytes.subarray(i * blockBytes, (i + 1) * blockBytes);
      const read = recordBlockRead(
        block,
        { purpose: 'hot', segmentId: pgId, fileSeq: hot.fileSeq, blockNo, epochMax: s.epoch },
        !s.bugs.skipCrc,
      );
      if (read.ok) continue;
      found.corrupt++;
      if (lsns === null) continue;
      hot.blockLsns[blockNo] = null;
      found.corruptNew++;
      s.stats.blocksCorrupt++;
      s.repairs.found({ purpose: 'hot', pg: pgId, fileSeq: hot.fileSeq, blockNo });
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
        lsnClaimedMax: lsnZero,
        roundsUnfound: 0,
        dataLossReported: false,
      });
    }
    return found;
  }

  /** Once per cycle over the hot logs: the cold pages and the meta log. */
  private async cycleEnd(): Promise<void> {
    await this.coldCheck();
    await this.metaCheck();
  }

  /** Bad cold pages are rewritten from memory at once (a new pass, which repairs them). */
  private async coldCheck(): Promise<Found> {
    const s = this.state;
    const found = foundNone();
    for (const pg of s.pgs) {
      const { blocks, bad } = await s.coldLogs[pg.pg]!.scrub(!s.bugs.skipCrc, s.epoch);
      addTo(found, { checked: blocks, corrupt: bad.length, corruptNew: bad.filter((b) => b.isNew).length });
      if (bad.length === 0) continue;
      s.stats.blocksCorrupt += bad.length;
      for (const b of bad)
        s.log.error(
          `corrupt block: cold log of pg ${pg.pg} block ${b.blockNo}: ${b.reason}; rewriting the pages from memory`,
        );
      await s.coldLogs[pg.pg]!.passWrite([...pg.keys.pageEntries(pg.base, pg.pg)], pg.base, s.meta.epochDurable);
    }
    return found;
  }

  /** A bad meta block is superseded: the epoch and the truncations are written again; it is not read again. */
  private async metaCheck(): Promise<Found> {
    const s = this.state;
    const found = foundNone();
    for (let blockNo = 0; blockNo < s.meta.blockCount; blockNo++) {
      if (this.metaBad.has(blockNo)) continue;
      found.checked++;
      const reason = await s.meta.blockScrub(blockNo, !s.bugs.skipCrc);
      if (reason === null) continue;
      this.metaBad.add(blockNo);
      found.corrupt++;
      found.corruptNew++;
      s.stats.blocksCorrupt++;
      s.log.error(
        `corrupt block: file ${metaFileName} block ${blockNo}: ${reason}; writing the epoch and truncations again`,
      );
      await s.meta.append({ t: 'epoch-claim', epoch: s.epoch, writerId: s.epochWriterId }, s.epoch);
      for (const t of s.pgs.flatMap((pg) => pg.truncations))
        await s.meta.append({ t: 'truncation', truncation: t }, s.epoch);
    }
    return found;
  }
}

function foundNone(): Found {
  return { checked: 0, corrupt: 0, corruptNew: 0 };
}

function addTo(total: Found, part: Found): void {
  total.checked += part.checked;
  total.corrupt += part.corrupt;
  total.corruptNew += part.corruptNew;
}
