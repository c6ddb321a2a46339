// The ledger of bad blocks and their repairs, so that a node can say from
// outside whether every block found corrupt was repaired, and whether any one
// block was repaired again and again (a repair that does not hold). It keeps
// the stats' blocksUnrepaired, blockRepairsMax and blocksRepaired up to date.

/** The node's counters this ledger keeps (a part of its stats). */
export interface RepairCounters {
  blocksRepaired: number;
  blocksUnrepaired: number;
  blockRepairsMax: number;
}

/** One position of one file: hot and cold blocks are repaired, meta blocks superseded (not tracked). */
export interface BlockPlace {
  readonly purpose: 'hot' | 'cold';
  readonly pg: number;
  readonly fileSeq: number;
  readonly blockNo: number;
}

/**
 * Bound on blocks whose repair count is remembered. Past it the oldest is
 * forgotten: blockRepairsMax keeps its value, only a later repair of that
 * block counts from one again.
 */
export const repairCountsMax = 65_536;

export class BlockRepairs {
  private readonly unrepaired = new Map<string, BlockPlace>();
  private readonly repairCounts = new Map<string, number>();

  constructor(private readonly stats: RepairCounters) {}

  /** A block was found bad; true unless it was already known bad (then nothing changes). */
  found(place: BlockPlace): boolean {
    const key = placeKey(place);
    if (this.unrepaired.has(key)) return false;
    this.unrepaired.set(key, place);
    this.stats.blocksUnrepaired = this.unrepaired.size;
    return true;
  }

  /** A block's repair is done (records refilled and the block rewritten, or its cold file replaced). */
  repaired(place: BlockPlace): void {
    const key = placeKey(place);
    this.unrepaired.delete(key);
    const count = (this.repairCounts.get(key) ?? 0) + 1;
    this.repairCounts.delete(key);
    if (this.repairCounts.size >= repairCountsMax) {
      const oldest = this.repairCounts.keys().next();
      if (oldest.done !== true) this.repairCounts.delete(oldest.value);
    }
    this.repairCounts.set(key, count);
    this.stats.blocksRepaired++;
    this.stats.blocksUnrepaired = this.unrepaired.size;
    this.stats.blockRepairsMax = Math.max(this.stats.blockRepairsMax, count);
  }

  /** A new cold pass of `pg` replaced every older file: each bad cold block of the PG is repaired. */
  coldPassWritten(pg: number): void {
    for (const place of [...this.unrepaired.values()])
      if (place.purpose === 'cold' && place.pg === pg) this.repaired(place);
  }
}

function placeKey(place: BlockPlace): string {
  return `${place.purpose}:${place.pg}:${place.fileSeq}:${place.blockNo}`;
}
