// Coalescing and garbage collection. Records at or below a base are
// materialized into pages in the cold log; the base never passes what every
// peer holds (the minimum SCL learned by gossip), so a lagging peer can always
// catch up from the hot log, and hot files entirely below it are deleted.

import type { NodeState } from './node-state.js';
import { lsnOf } from '../protocol/ids.js';

export interface CoalesceOptions {
  /** Records held in memory before a pass is worth its cost (a pass writes the whole page state). */
  readonly recordsMin: number;
  /** Storage peers; nothing is collected until every one of them has reported its SCL. */
  readonly peerCount: number;
}

export const coalesceRecordsMinDefault = 20_000;

export async function coalescePass(state: NodeState, options: CoalesceOptions): Promise<void> {
  const peers = [...state.peerScls.values()];
  if (peers.length < options.peerCount) return;
  for (const pg of state.pgs) {
    if (pg.records.size < options.recordsMin) continue;
    const peerMin = Math.min(...peers.map((scls) => scls[pg.pg] ?? -1));
    if (peerMin <= pg.base) continue;
    const base = pg.chainPointAtOrBelow(lsnOf(peerMin));
    if (base <= pg.base) continue;
    const entries = [...pg.keys.pageEntries(base, pg.pg)];
    const blocks = await state.coldLogs[pg.pg]!.passWrite(entries, base, state.meta.epochDurable);
    state.stats.blocksWritten += blocks;
    state.stats.fsyncs++;
    const recordsBefore = pg.records.size;
    pg.baseAdvance(base);
    const filesDeleted = await state.hotLogs[pg.pg]!.filesCollect(base);
    state.log.info(
      `pg ${pg.pg}: coalesced to base ${base} (${entries.length} page entries, ${recordsBefore - pg.records.size} records left memory, ${filesDeleted} hot files deleted)`,
    );
  }
}
