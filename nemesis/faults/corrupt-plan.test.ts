import { describe, expect, it } from 'vitest';
import { storageNodeId, type NodeId } from '../../cluster/topology.js';
import { prngCreate } from '../../core/prng.js';
import type { HotBlock } from './corrupt-blocks.js';
import { helixPlan, overLimitPlan, stripeLsns, type CorruptPlan, type ReplicaBlocks } from './corrupt-plan.js';

const nodes: NodeId[] = [0, 1, 2].flatMap((az) => [storageNodeId(az, 0), storageNodeId(az, 1)]);

/**
 * Six replicas of LSNs 1..2000 whose hot logs are cut into blocks differently
 * (batches of 3 to 9 records per block, drawn per replica), as arrival order
 * and group commits make them on real nodes.
 */
function replicasMake(seed: number): ReplicaBlocks[] {
  const prng = prngCreate(seed);
  return nodes.map((node) => {
    const blocks: HotBlock[] = [];
    for (let lsn = 1, blockNo = 0; lsn <= 2000; blockNo++) {
      const size = 3 + prng.int(7);
      blocks.push({
        path: `/data/${node}/pg0-hot-00000000.seg`,
        pg: 0,
        blockNo,
        lsnFirst: lsn,
        lsnLast: Math.min(2000, lsn + size - 1),
      });
      lsn += size;
    }
    return { node, blocks };
  });
}

/** For each LSN, how many replicas had a block holding it damaged. */
function damagedCopies(plan: CorruptPlan): Map<number, number> {
  const copies = new Map<number, number>();
  for (const blocks of plan.perNode.values()) {
    for (const block of blocks)
      for (let lsn = block.lsnFirst; lsn <= block.lsnLast; lsn++) copies.set(lsn, (copies.get(lsn) ?? 0) + 1);
  }
  return copies;
}

describe('corruption patterns', () => {
  it('helix: damages several replicas, yet never one record on more replicas than V - Vw', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const plan = helixPlan(replicasMake(seed), 2, prngCreate(seed));
      expect(plan.perNode.size, `seed ${seed}: replicas damaged`).toBeGreaterThanOrEqual(2);
      expect(
        Math.max(...damagedCopies(plan).values()),
        `seed ${seed}: copies of one record damaged`,
      ).toBeLessThanOrEqual(2);
      for (const blocks of plan.perNode.values()) {
        for (const block of blocks) expect(plan.stripes).toContain(Math.floor(block.lsnFirst / stripeLsns));
      }
    }
  });

  it('helix: the same seed damages the same blocks', () => {
    const blocks = (seed: number) =>
      [...helixPlan(replicasMake(3), 2, prngCreate(seed)).perNode.entries()].map(([node, b]) => [
        node,
        b.map((x) => x.blockNo),
      ]);
    expect(blocks(5)).toEqual(blocks(5));
  });

  it('over the limit: damages every copy of a stripe of records on every replica', () => {
    const replicas = replicasMake(9);
    const plan = overLimitPlan(replicas, prngCreate(2));
    expect(plan).not.toBeNull();
    expect([...plan!.perNode.keys()].sort()).toEqual([...nodes].sort());
    const stripe = plan!.stripes[0]!;
    const copies = damagedCopies(plan!);
    for (let lsn = Math.max(1, stripe * stripeLsns); lsn < (stripe + 1) * stripeLsns && lsn <= 2000; lsn++)
      expect(copies.get(lsn), `LSN ${lsn}`).toBe(nodes.length);
  });

  it('over the limit: finds nothing to damage before every replica holds a block', () => {
    const replicas = replicasMake(1).map((replica, i) => (i === 0 ? { node: replica.node, blocks: [] } : replica));
    expect(overLimitPlan(replicas, prngCreate(1))).toBeNull();
  });
});
