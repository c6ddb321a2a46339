import { describe, expect, it, test } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import { storageNodeId, writerNodeId, type NodeId } from '../../cluster/topology.js';
import { grudgeFromLinks, grudgeHears } from './grudge.js';
import { clientLinkEnd, linkKey, type DirectedLink, type LinkEnd } from './link.js';
import { partitionKinds, partitionPlan, type Partition, type PartitionKind, type PartitionNode } from './partition.js';

interface Shape {
  readonly name: string;
  readonly azCount: number;
  readonly nodesPerAz: number;
  readonly writers: number;
}

const shapes: readonly Shape[] = [
  { name: '3x2 + 1 writer', azCount: 3, nodesPerAz: 2, writers: 1 },
  { name: '3x2 + 2 writers', azCount: 3, nodesPerAz: 2, writers: 2 },
  { name: '3x1 + 1 writer', azCount: 3, nodesPerAz: 1, writers: 1 },
  { name: '2x3 + 1 writer', azCount: 2, nodesPerAz: 3, writers: 1 },
  { name: '5x1 + 1 writer', azCount: 5, nodesPerAz: 1, writers: 1 },
  { name: '4x2 + 3 writers', azCount: 4, nodesPerAz: 2, writers: 3 },
];
const seeds = [1, 2, 3, 17, 4242];

function nodesOf(shape: Shape): PartitionNode[] {
  const nodes: PartitionNode[] = [];
  for (let az = 0; az < shape.azCount; az++) {
    for (let i = 0; i < shape.nodesPerAz; i++) nodes.push({ id: storageNodeId(az, i), role: 'storage', az });
  }
  for (let w = 0; w < shape.writers; w++) nodes.push({ id: writerNodeId(w), role: 'writer', az: w % shape.azCount });
  return nodes;
}

function plan(
  kind: PartitionKind,
  shape: Shape,
  seed: number,
): { nodes: PartitionNode[]; ids: NodeId[]; partition: Partition } {
  const nodes = nodesOf(shape);
  const result = partitionPlan(kind, nodes, prngCreate(seed));
  if (!result.ok) throw new Error(result.error);
  return { nodes, ids: nodes.map((node) => node.id), partition: result.partition };
}

/** The links cut between groups that must not hear each other, both ways. */
function crossLinks(a: readonly LinkEnd[], b: readonly LinkEnd[]): string[] {
  return a.flatMap((x) => b.filter((y) => y !== x).flatMap((y) => [`${x}->${y}`, `${y}->${x}`])).sort();
}

function keys(links: readonly DirectedLink[]): string[] {
  return links.map(linkKey).sort();
}

const cases = partitionKinds.flatMap((kind) => shapes.flatMap((shape) => seeds.map((seed) => ({ kind, shape, seed }))));

describe('every partition kind on every geometry', () => {
  test.each(cases)(
    '$kind on $shape.name (seed $seed) cuts a consistent, non-empty set of directed links',
    ({ kind, shape, seed }) => {
      const { ids, partition } = plan(kind, shape, seed);
      const ends = new Set<LinkEnd>([...ids, clientLinkEnd]);
      expect(partition.links.length).toBeGreaterThan(0);
      expect(new Set(keys(partition.links)).size).toBe(partition.links.length);
      for (const link of partition.links) {
        expect(link.from).not.toBe(link.to);
        expect(ends.has(link.from) && ends.has(link.to)).toBe(true);
      }
      expect(
        keys([...grudgeFromLinks(partition.links)].flatMap(([to, froms]) => [...froms].map((from) => ({ from, to })))),
      ).toEqual(keys(partition.links));
      expect(partition.description.length).toBeGreaterThan(0);
    },
  );

  test.each(cases)('$kind on $shape.name (seed $seed) is replayed exactly from its seed', ({ kind, shape, seed }) => {
    expect(plan(kind, shape, seed).partition.targets).toEqual(plan(kind, shape, seed).partition.targets);
    expect(keys(plan(kind, shape, seed).partition.links)).toEqual(keys(plan(kind, shape, seed).partition.links));
  });
});

const shapeSeeds = shapes.flatMap((shape) => seeds.map((seed) => ({ shape, seed })));

describe('partition kinds', () => {
  test.each(shapeSeeds)(
    'isolate-node cuts exactly one node off from every other node on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { ids, partition } = plan('isolate-node', shape, seed);
      if (partition.targets.kind !== 'isolate-node') throw new Error('wrong kind');
      const node = partition.targets.node;
      expect(keys(partition.links)).toEqual(
        crossLinks(
          [node],
          ids.filter((id) => id !== node),
        ),
      );
      expect(partition.description).toContain(node);
    },
  );

  test.each(shapeSeeds)(
    'isolate-az cuts one AZ off from the others and leaves each side whole on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { nodes, partition } = plan('isolate-az', shape, seed);
      if (partition.targets.kind !== 'isolate-az') throw new Error('wrong kind');
      const az = partition.targets.az;
      const inside = nodes.filter((node) => node.az === az).map((node) => node.id);
      const outside = nodes.filter((node) => node.az !== az).map((node) => node.id);
      expect([...partition.targets.nodes].sort()).toEqual([...inside].sort());
      expect(keys(partition.links)).toEqual(crossLinks(inside, outside));
    },
  );

  test.each(shapeSeeds)(
    'halves splits the nodes into two near-equal sides that cannot hear each other on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { ids, partition } = plan('halves', shape, seed);
      if (partition.targets.kind !== 'halves') throw new Error('wrong kind');
      const [a = [], b = []] = partition.targets.halves;
      expect([...a, ...b].sort()).toEqual([...ids].sort());
      expect(Math.abs(a.length - b.length)).toBeLessThanOrEqual(1);
      expect(keys(partition.links)).toEqual(crossLinks(a, b));
    },
  );

  test.each(shapeSeeds)(
    'majorities-ring lets every node hear a majority, no two the same one, on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { ids, partition } = plan('majorities-ring', shape, seed);
      const majority = Math.floor(ids.length / 2) + 1;
      const views = ids.map((to) =>
        ids
          .filter((from) => grudgeHears(partition.grudge, to, from))
          .sort()
          .join(' '),
      );
      for (const [i, to] of ids.entries()) {
        expect(views[i]!.split(' ')).toContain(to);
        expect(views[i]!.split(' ')).toHaveLength(majority);
      }
      expect(new Set(views).size).toBe(ids.length);
    },
  );

  test.each(shapeSeeds)(
    'bridge cuts two halves apart while one node hears and is heard by all on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { ids, partition } = plan('bridge', shape, seed);
      if (partition.targets.kind !== 'bridge') throw new Error('wrong kind');
      const [a = [], b = []] = partition.targets.halves;
      const node = partition.targets.bridge;
      expect([...a, ...b, node].sort()).toEqual([...ids].sort());
      expect(a.length).toBeGreaterThan(0);
      expect(b.length).toBeGreaterThan(0);
      expect(keys(partition.links)).toEqual(crossLinks(a, b));
    },
  );

  test.each(shapeSeeds)(
    'writer-storage cuts the primary writer off from every storage node and nothing else on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { nodes, partition } = plan('writer-storage', shape, seed);
      const storage = nodes.filter((node) => node.role === 'storage').map((node) => node.id);
      expect(keys(partition.links)).toEqual(crossLinks([writerNodeId(0)], storage));
    },
  );

  test.each(shapeSeeds)(
    'client-writer cuts the client off from the primary writer only on $shape.name (seed $seed)',
    ({ shape, seed }) => {
      const { partition } = plan('client-writer', shape, seed);
      expect(keys(partition.links)).toEqual(crossLinks([clientLinkEnd], [writerNodeId(0)]));
    },
  );
});

describe('partition choices and limits', () => {
  it('spreads its random targets over different nodes as the seed changes', () => {
    const shape = shapes[0]!;
    const isolated = new Set(
      Array.from({ length: 40 }, (_, seed) => JSON.stringify(plan('isolate-node', shape, seed).partition.targets)),
    );
    const halves = new Set(
      Array.from({ length: 40 }, (_, seed) => JSON.stringify(plan('halves', shape, seed).partition.targets)),
    );
    expect(isolated.size).toBeGreaterThan(3);
    expect(halves.size).toBeGreaterThan(3);
  });

  it('cuts a named standby writer instead of the primary when asked', () => {
    const nodes = nodesOf(shapes[1]!);
    const result = partitionPlan('client-writer', nodes, prngCreate(1), { writer: writerNodeId(1) });
    expect(result.ok && keys(result.partition.links)).toEqual(crossLinks([clientLinkEnd], [writerNodeId(1)]));
  });

  test.each([
    {
      kind: 'isolate-az' as const,
      shape: { name: '1x3', azCount: 1, nodesPerAz: 3, writers: 1 },
      error: 'at least 2 AZs',
    },
    {
      kind: 'majorities-ring' as const,
      shape: { name: '1x1', azCount: 1, nodesPerAz: 1, writers: 1 },
      error: 'at least 3 nodes',
    },
    {
      kind: 'bridge' as const,
      shape: { name: '1x1', azCount: 1, nodesPerAz: 1, writers: 1 },
      error: 'at least 3 nodes',
    },
    {
      kind: 'writer-storage' as const,
      shape: { name: '3x1 no writer', azCount: 3, nodesPerAz: 1, writers: 0 },
      error: 'needs a writer',
    },
    {
      kind: 'isolate-node' as const,
      shape: { name: '1x1 no writer', azCount: 1, nodesPerAz: 1, writers: 0 },
      error: 'at least 2 nodes',
    },
  ])('refuses $kind on $shape.name with an error naming the limit', ({ kind, shape, error }) => {
    const result = partitionPlan(kind, nodesOf(shape), prngCreate(1));
    expect(result.ok ? 'planned' : result.error).toContain(error);
  });

  it('refuses to cut a writer that is not in the cluster', () => {
    const result = partitionPlan('writer-storage', nodesOf(shapes[0]!), prngCreate(1), { writer: writerNodeId(5) });
    expect(result.ok ? 'planned' : result.error).toContain('w5 is not a writer');
  });
});
