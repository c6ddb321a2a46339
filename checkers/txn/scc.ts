// Strongly connected components by Tarjan's algorithm, iterative (an explicit
// stack of vertices and edge cursors) so a ring of a million transactions does
// not overflow the call stack. Only components of two or more vertices can
// hold a cycle (the graph has no self-edges), so only those are returned.

import type { Digraph } from './digraph.js';

/** The components of the subgraph of edges whose mask meets `keep`, each with at least two vertices. */
export function stronglyConnectedComponents(graph: Digraph, keep: number): number[][] {
  const n = graph.vertices;
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack = new Int32Array(n);
  const callVertex = new Int32Array(n);
  const callEdge = new Int32Array(n);
  let stackSize = 0;
  let next = 0;
  const components: number[][] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    let depth = 0;
    callVertex[0] = root;
    callEdge[0] = graph.offsets[root]!;
    index[root] = low[root] = next++;
    stack[stackSize++] = root;
    onStack[root] = 1;
    while (depth >= 0) {
      const v = callVertex[depth]!;
      const edge = callEdge[depth]!;
      if (edge < graph.offsets[v + 1]!) {
        callEdge[depth] = edge + 1;
        if ((graph.masks[edge]! & keep) === 0) continue;
        const w = graph.targets[edge]!;
        if (index[w] === -1) {
          index[w] = low[w] = next++;
          stack[stackSize++] = w;
          onStack[w] = 1;
          depth++;
          callVertex[depth] = w;
          callEdge[depth] = graph.offsets[w]!;
        } else if (onStack[w] === 1 && index[w]! < low[v]!) {
          low[v] = index[w]!;
        }
        continue;
      }
      if (low[v] === index[v]) {
        const component: number[] = [];
        let w: number;
        do {
          w = stack[--stackSize]!;
          onStack[w] = 0;
          component.push(w);
        } while (w !== v);
        if (component.length > 1) components.push(component);
      }
      depth--;
      if (depth >= 0) {
        const parent = callVertex[depth]!;
        if (low[v]! < low[parent]!) low[parent] = low[v]!;
      }
    }
  }
  return components;
}
