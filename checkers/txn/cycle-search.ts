// A shortest cycle of one kind (a CycleSpec) in a graph whose edges carry one
// relation each: breadth-first search over (vertex, automaton state), the
// state counting rw edges, remembering whether the last edge was rw and which
// required relations were seen. Every start vertex is tried, so the cycle is
// the shortest of its kind; a meter bounds steps and time.

import type { Clock } from '../../core/clock.js';
import type { CycleSpec } from './cycle-spec.js';
import { digraphReverse, type Digraph } from './digraph.js';
import { stronglyConnectedComponents } from './scc.js';
import { rel } from './txn-types.js';

/** Steps and time one SCC's search may spend, shared by every search in it. */
export interface SearchMeter {
  steps: number;
  readonly stepsMax: number;
  readonly deadlineMs: number;
  readonly clock: Clock;
}

export interface CycleFound {
  /** Local vertices in cycle order; the last links back to the first. */
  readonly vertices: readonly number[];
  /** The relation bit of each step, vertices[i] -> vertices[i + 1]. */
  readonly rels: readonly number[];
}

export type CycleSearch =
  | { readonly kind: 'found'; readonly cycle: CycleFound }
  | { readonly kind: 'none' }
  | { readonly kind: 'budget'; readonly reason: string };

const states = 48;
/** Above this many (vertex, state) pairs the search does not start: its tables would not fit. */
const statePairsMax = 16 * 1024 * 1024;
const meterCheckSteps = 4096;

export function meterExhausted(meter: SearchMeter): string | null {
  if (meter.steps > meter.stepsMax) return `the cycle search passed its bound of ${meter.stepsMax} steps`;
  if (meter.clock.nowMs() > meter.deadlineMs) return 'the cycle search ran out of time';
  return null;
}

/**
 * With `startsMax`, only that many start vertices are tried: a cycle, not the
 * shortest. Every kind is the same read backwards, so the search runs on the
 * reversed graph when fewer vertices end a first-kind edge than start one.
 */
export function cycleShortest(
  graph: Digraph,
  spec: CycleSpec,
  meter: SearchMeter,
  startsMax = Number.POSITIVE_INFINITY,
): CycleSearch {
  const n = graph.vertices;
  if (n * states > statePairsMax)
    return { kind: 'budget', reason: `a component of ${n} transactions is too large to search` };
  const componentOf = new Int32Array(n).fill(-1);
  stronglyConnectedComponents(graph, spec.rels).forEach((members, c) => {
    for (const v of members) componentOf[v] = c;
  });
  const { forward, backward } = firstEdgeEnds(graph, spec, componentOf);
  const reversed = backward.size < forward.size;
  const searched = reversed ? digraphReverse(graph) : graph;
  const search = new Search(searched, spec, meter, componentOf);
  let best: CycleFound | null = null;
  let starts = 0;
  for (const s of reversed ? backward : forward) {
    if (starts++ >= startsMax) break;
    const found = search.from(s, best === null ? Number.POSITIVE_INFINITY : best.vertices.length);
    if (found === 'budget') {
      if (best !== null) break;
      return { kind: 'budget', reason: meterExhausted(meter) ?? 'the cycle search ran out of budget' };
    }
    if (found !== null) best = found;
    if (best !== null && best.vertices.length === 2) break;
  }
  if (best === null) return { kind: 'none' };
  return { kind: 'found', cycle: reversed ? cycleReversed(graph, best) : best };
}

/** Vertices that start, and that end, an edge a cycle of this kind may begin with. */
function firstEdgeEnds(
  graph: Digraph,
  spec: CycleSpec,
  componentOf: Int32Array,
): { forward: Set<number>; backward: Set<number> } {
  const forward = new Set<number>();
  const backward = new Set<number>();
  for (let v = 0; v < graph.vertices; v++) {
    if (componentOf[v] === -1) continue;
    for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
      const w = graph.targets[e]!;
      if ((graph.masks[e]! & spec.first) === 0 || componentOf[w] !== componentOf[v]) continue;
      forward.add(v);
      backward.add(w);
    }
  }
  return { forward, backward };
}

/** A cycle found in the reversed graph, as a cycle of `graph`. */
function cycleReversed(graph: Digraph, cycle: CycleFound): CycleFound {
  const vertices = [...cycle.vertices].reverse();
  const rels = vertices.map((v, i) => edgeMask(graph, v, vertices[(i + 1) % vertices.length]!));
  return { vertices, rels };
}

class Search {
  private readonly seen: Int32Array;
  private readonly parent: Int32Array;
  private readonly queue: Int32Array;
  private stamp = 0;
  private readonly q0: number;

  constructor(
    private readonly graph: Digraph,
    private readonly spec: CycleSpec,
    private readonly meter: SearchMeter,
    private readonly componentOf: Int32Array,
  ) {
    const size = graph.vertices * states;
    this.seen = new Int32Array(size);
    this.parent = new Int32Array(size);
    this.queue = new Int32Array(size);
    const [first, second] = spec.required;
    this.q0 = stateOf(0, 0, (first === 0 ? 1 : 0) | (second === 0 ? 2 : 0), 0);
  }

  /** The shortest cycle through `s` shorter than `bound` edges, null if none, 'budget' when the meter ran out. */
  from(s: number, bound: number): CycleFound | null | 'budget' {
    const { graph, spec, seen, parent, queue, componentOf } = this;
    const component = componentOf[s]!;
    const stamp = ++this.stamp;
    let tail = 0;
    for (let e = graph.offsets[s]!; e < graph.offsets[s + 1]!; e++) {
      const w = graph.targets[e]!;
      const mask = graph.masks[e]!;
      if ((mask & spec.first) === 0 || componentOf[w] !== component) continue;
      const q = this.step(this.q0, mask);
      if (q < 0) continue;
      const id = w * states + q;
      if (seen[id] === stamp) continue;
      seen[id] = stamp;
      parent[id] = -1;
      queue[tail++] = id;
    }
    let head = 0;
    let depth = 1;
    let levelEnd = tail;
    while (head < tail) {
      if (head === levelEnd) {
        depth++;
        levelEnd = tail;
      }
      if (depth + 1 >= bound) return null;
      const id = queue[head++]!;
      const v = Math.floor(id / states);
      const q = id % states;
      for (let e = graph.offsets[v]!; e < graph.offsets[v + 1]!; e++) {
        const w = graph.targets[e]!;
        const mask = graph.masks[e]!;
        if ((mask & spec.rels) === 0 || componentOf[w] !== component) continue;
        const next = this.step(q, mask);
        if (next < 0) continue;
        const steps = ++this.meter.steps;
        if (steps > this.meter.stepsMax || (steps % meterCheckSteps === 0 && meterExhausted(this.meter) !== null)) {
          return 'budget';
        }
        if (w === s) {
          if (this.accepts(next)) return this.path(s, id, mask);
          continue;
        }
        const nextId = w * states + next;
        if (seen[nextId] === stamp) continue;
        seen[nextId] = stamp;
        parent[nextId] = id;
        queue[tail++] = nextId;
      }
    }
    return null;
  }

  /** The automaton state after an edge of relation `mask`, or -1 when the cycle may not take it. */
  private step(q: number, mask: number): number {
    const { spec } = this;
    const adjacent = q & 1;
    const seen = (q >> 1) & 3;
    const lastRw = (q >> 3) & 1;
    const rw = q >> 4;
    const isRw = mask === rel.rw ? 1 : 0;
    if (isRw === 1 && spec.nonadjacent && lastRw === 1) return -1;
    if (isRw === 1 && spec.rwMax < 2 && rw + 1 > spec.rwMax) return -1;
    const [first, second] = spec.required;
    const seenNext = seen | ((mask & first) !== 0 ? 1 : 0) | ((mask & second) !== 0 ? 2 : 0);
    return stateOf(Math.min(rw + isRw, 2), isRw, seenNext, adjacent | (isRw & lastRw));
  }

  private accepts(q: number): boolean {
    const { spec } = this;
    if (q >> 4 < spec.rwMin || ((q >> 1) & 3) !== 3) return false;
    // The step back to the start sits next to the first step.
    if (spec.adjacent) return (q & 1) === 1 || (((q >> 3) & 1) === 1 && spec.first === rel.rw);
    return true;
  }

  private path(s: number, lastId: number, lastMask: number): CycleFound {
    const vertices: number[] = [];
    for (let id = lastId; id !== -1; id = this.parent[id]!) vertices.push(Math.floor(id / states));
    vertices.push(s);
    vertices.reverse();
    const rels: number[] = [];
    for (let i = 0; i + 1 < vertices.length; i++) rels.push(edgeMask(this.graph, vertices[i]!, vertices[i + 1]!));
    rels.push(lastMask);
    return { vertices, rels };
  }
}

/** Bits: adjacent (1), required seen (2), last edge rw (1), rw edges so far capped at 2 (the rest). */
function stateOf(rw: number, lastRw: number, seen: number, adjacent: number): number {
  return (rw << 4) | (lastRw << 3) | (seen << 1) | adjacent;
}

export function edgeMask(graph: Digraph, from: number, to: number): number {
  for (let e = graph.offsets[from]!; e < graph.offsets[from + 1]!; e++)
    if (graph.targets[e] === to) return graph.masks[e]!;
  return 0;
}
