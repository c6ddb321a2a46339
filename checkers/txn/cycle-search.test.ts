// The cycle search on hand-made graphs: it returns the shortest cycle of the
// kind asked for, honours the rw-edge rules of each kind, reads the graph
// backwards when that has fewer starts, and stops when its meter runs out.

import { describe, expect, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { cycleShortest, type SearchMeter } from './cycle-search.js';
import { cycleClassify, cycleSpecs } from './cycle-spec.js';
import { DigraphBuilder, type Digraph } from './digraph.js';
import { rel } from './txn-types.js';

function graphOf(vertices: number, edges: readonly (readonly [number, number, number])[]): Digraph {
  const builder = new DigraphBuilder(vertices);
  for (const [from, to, mask] of edges) builder.add(from, to, mask);
  return builder.build();
}

const meter = (stepsMax = 1_000_000): SearchMeter => ({
  steps: 0,
  stepsMax,
  deadlineMs: Number.POSITIVE_INFINITY,
  clock: clockCreate(),
});
const spec = (name: string) => cycleSpecs.find((s) => s.name === name)!;

describe('cycleShortest', () => {
  test('of two ww cycles it returns the shorter', () => {
    const graph = graphOf(5, [
      [0, 1, rel.ww],
      [1, 2, rel.ww],
      [2, 0, rel.ww],
      [3, 4, rel.ww],
      [4, 3, rel.ww],
    ]);
    const found = cycleShortest(graph, spec('G0'), meter());
    expect(found.kind === 'found' && [...found.cycle.vertices].sort()).toEqual([3, 4]);
  });

  test('G-single-item takes exactly one rw edge; two rw edges in a row make G2-item, apart G-nonadjacent-item', () => {
    // 0 -rw-> 1 -rw-> 2 -wr-> 0 has adjacent rw edges; 3 -rw-> 4 -wr-> 5 -rw-> 6 -wr-> 3 has them apart.
    const graph = graphOf(7, [
      [0, 1, rel.rw],
      [1, 2, rel.rw],
      [2, 0, rel.wr],
      [3, 4, rel.rw],
      [4, 5, rel.wr],
      [5, 6, rel.rw],
      [6, 3, rel.wr],
    ]);
    expect(cycleShortest(graph, spec('G-single-item'), meter()).kind).toBe('none');
    const nonadjacent = cycleShortest(graph, spec('G-nonadjacent-item'), meter());
    expect(nonadjacent.kind === 'found' && cycleClassify(nonadjacent.cycle.rels)).toBe('G-nonadjacent-item');
    const g2 = cycleShortest(graph, spec('G2-item'), meter());
    expect(g2.kind === 'found' && [...g2.cycle.vertices].sort()).toEqual([0, 1, 2]);
  });

  test('many rw edges into one vertex are searched backwards, and the cycle comes out forwards', () => {
    // A ring 0 -> 1 -> ... -> 9 -> 0 of ww edges closed by rw edges into 0 from every vertex.
    const edges: [number, number, number][] = [];
    for (let v = 0; v < 9; v++) edges.push([v, v + 1, rel.ww]);
    for (let v = 1; v < 10; v++) edges.push([v, 0, rel.rw]);
    const found = cycleShortest(graphOf(10, edges), spec('G-single-item'), meter());
    expect(found.kind).toBe('found');
    if (found.kind !== 'found') return;
    expect(found.cycle.vertices).toHaveLength(2);
    const [a, b] = found.cycle.vertices;
    expect(found.cycle.rels).toEqual(a === 0 ? [rel.ww, rel.rw] : [rel.rw, rel.ww]);
    expect(Math.min(a!, b!)).toBe(0);
  });

  test('a -realtime kind needs a realtime edge in the cycle', () => {
    const graph = graphOf(2, [
      [0, 1, rel.realtime],
      [1, 0, rel.rw],
    ]);
    expect(cycleShortest(graph, spec('G-single-item'), meter()).kind).toBe('none');
    const found = cycleShortest(graph, spec('G-single-item-realtime'), meter());
    expect(found.kind === 'found' && cycleClassify(found.cycle.rels)).toBe('G-single-item-realtime');
  });

  test('a search past its step bound stops and says so', () => {
    const edges: [number, number, number][] = [];
    for (let v = 0; v < 99; v++) edges.push([v, v + 1, rel.ww]);
    edges.push([99, 0, rel.rw]);
    const found = cycleShortest(graphOf(100, edges), spec('G-single-item'), meter(10));
    expect(found).toEqual({ kind: 'budget', reason: 'the cycle search passed its bound of 10 steps' });
  });
});
