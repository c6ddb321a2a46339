// Tarjan's components, iterative: checked on small graphs with known
// components and on a ring far deeper than any call stack would allow.

import { describe, expect, test } from 'vitest';
import { DigraphBuilder } from './digraph.js';
import { stronglyConnectedComponents } from './scc.js';

describe('stronglyConnectedComponents', () => {
  test('finds each cycle as one component and leaves acyclic parts out', () => {
    const builder = new DigraphBuilder(7);
    for (const [a, b] of [
      [0, 1],
      [1, 2],
      [2, 0],
      [2, 3],
      [3, 4],
      [4, 3],
      [5, 6],
    ] as const)
      builder.add(a, b, 1);
    const components = stronglyConnectedComponents(builder.build(), 1).map((c) => [...c].sort());
    expect(components.sort()).toEqual([
      [0, 1, 2],
      [3, 4],
    ]);
  });

  test('sees only edges whose relations it is asked for', () => {
    const builder = new DigraphBuilder(2);
    builder.add(0, 1, 1);
    builder.add(1, 0, 4);
    const graph = builder.build();
    expect(stronglyConnectedComponents(graph, 1)).toEqual([]);
    expect(stronglyConnectedComponents(graph, 5)).toHaveLength(1);
  });

  test('a ring of 500 000 vertices is one component, without exhausting the stack', () => {
    const n = 500_000;
    const builder = new DigraphBuilder(n);
    for (let v = 0; v < n; v++) builder.add(v, (v + 1) % n, 1);
    const components = stronglyConnectedComponents(builder.build(), 1);
    expect(components.map((c) => c.length)).toEqual([n]);
  });
});
