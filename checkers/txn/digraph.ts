// A directed graph over dense vertex ids in compressed form (one offsets array,
// one targets array), each edge carrying a mask of relations. Edges are added
// to a builder in any order and merged: one edge per ordered pair, its masks
// ORed together. No self-edges.

export interface Digraph {
  readonly vertices: number;
  /** Edges of v are targets[offsets[v]] .. targets[offsets[v + 1] - 1]. */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
  readonly masks: Uint8Array;
}

export class DigraphBuilder {
  private from = new Int32Array(1024);
  private to = new Int32Array(1024);
  private mask = new Uint8Array(1024);
  private count = 0;

  constructor(private readonly vertices: number) {}

  get edges(): number {
    return this.count;
  }

  add(from: number, to: number, mask: number): void {
    if (from === to) return;
    if (this.count === this.from.length) this.grow();
    this.from[this.count] = from;
    this.to[this.count] = to;
    this.mask[this.count] = mask;
    this.count++;
  }

  build(): Digraph {
    const n = this.vertices;
    const offsets = new Int32Array(n + 1);
    for (let i = 0; i < this.count; i++) offsets[this.from[i]! + 1]!++;
    for (let v = 0; v < n; v++) offsets[v + 1]! += offsets[v]!;
    const cursor = offsets.slice(0, n);
    const targets = new Int32Array(this.count);
    const masks = new Uint8Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const at = cursor[this.from[i]!]!++;
      targets[at] = this.to[i]!;
      masks[at] = this.mask[i]!;
    }
    return mergeDuplicates(n, offsets, targets, masks);
  }

  private grow(): void {
    const size = this.from.length * 2;
    const from = new Int32Array(size);
    from.set(this.from);
    const to = new Int32Array(size);
    to.set(this.to);
    const mask = new Uint8Array(size);
    mask.set(this.mask);
    this.from = from;
    this.to = to;
    this.mask = mask;
  }
}

function mergeDuplicates(n: number, offsets: Int32Array, targets: Int32Array, masks: Uint8Array): Digraph {
  // slotOf[w] is where v's edge to w landed while v is being merged (valid when ownerOf[w] === v).
  const ownerOf = new Int32Array(n).fill(-1);
  const slotOf = new Int32Array(n);
  const mergedOffsets = new Int32Array(n + 1);
  let out = 0;
  for (let v = 0; v < n; v++) {
    mergedOffsets[v] = out;
    for (let i = offsets[v]!; i < offsets[v + 1]!; i++) {
      const w = targets[i]!;
      if (ownerOf[w] === v) {
        masks[slotOf[w]!]! |= masks[i]!;
        continue;
      }
      ownerOf[w] = v;
      slotOf[w] = out;
      targets[out] = w;
      masks[out] = masks[i]!;
      out++;
    }
  }
  mergedOffsets[n] = out;
  return { vertices: n, offsets: mergedOffsets, targets: targets.slice(0, out), masks: masks.slice(0, out) };
}

/** The graph restricted to `members` (renumbered 0..k-1 in that order) and to edges whose mask meets `keep`. */
export function digraphInduced(graph: Digraph, members: readonly number[], keep: number): Digraph {
  const local = new Map<number, number>();
  members.forEach((vertex, i) => local.set(vertex, i));
  const builder = new DigraphBuilder(members.length);
  members.forEach((vertex, i) => {
    for (let e = graph.offsets[vertex]!; e < graph.offsets[vertex + 1]!; e++) {
      const mask = graph.masks[e]! & keep;
      const j = local.get(graph.targets[e]!);
      if (mask !== 0 && j !== undefined) builder.add(i, j, mask);
    }
  });
  return builder.build();
}

export function digraphEdgeCount(graph: Digraph): number {
  return graph.targets.length;
}

/** The same graph with every edge turned around. */
export function digraphReverse(graph: Digraph): Digraph {
  const builder = new DigraphBuilder(graph.vertices);
  for (let v = 0; v < graph.vertices; v++) {
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) builder.add(graph.targets[e]!, v, graph.masks[e]!);
  }
  return builder.build();
}
