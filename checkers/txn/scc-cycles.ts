// The cycle anomalies of one strongly connected component. First the cheap
// proofs that some model's forbidden cycle exists (an SCC in that model's
// subgraph), which also rule out searching for kinds that cannot be there;
// then a shortest cycle of each kind, worst first, skipping kinds a found one
// already implies. When the meter runs out, what was found stands and the
// timeout is reported with one cycle of the component, whatever its kind.

import type { Clock } from '../../core/clock.js';
import { anomaliesImplied, anomaliesProhibitedBy, modelsAtLeast } from './consistency-models.js';
import { cycleShortest, type CycleFound, type SearchMeter } from './cycle-search.js';
import { cycleClassify, cycleSpecs, type CycleSpec } from './cycle-spec.js';
import { DigraphBuilder, digraphInduced, type Digraph } from './digraph.js';
import { stronglyConnectedComponents } from './scc.js';
import { rel, relData } from './txn-types.js';

export interface SccBudget {
  readonly clock: Clock;
  /** Time one component's search may take. */
  readonly timeoutMs: number;
  readonly stepsMax: number;
  /** The whole check's deadline (clock.nowMs() value). */
  readonly deadlineMs: number;
}

/** A cycle in global vertex ids, with its kind. */
export interface SccCycle {
  readonly type: string;
  readonly vertices: readonly number[];
  readonly rels: readonly number[];
}

export interface SccCycleExists {
  readonly type: string;
  readonly model: string;
  readonly members: number;
}

export interface SccOutcome {
  readonly size: number;
  readonly cycles: readonly SccCycle[];
  readonly cycleExists: readonly SccCycleExists[];
  /** Set when the meter ran out: the kind being searched, and why. */
  readonly timeout: { readonly searching: string; readonly reason: string } | null;
}

interface ExistsSpec {
  readonly model: string;
  readonly type: string;
  /** The subgraph's relations; with `then`, paths of them extended by at most one `then` edge. */
  readonly rels: number;
  readonly then: number;
}

const existsSpecs: readonly ExistsSpec[] = [
  { model: 'read-uncommitted', type: 'PL-1-cycle-exists', rels: rel.ww, then: 0 },
  { model: 'read-committed', type: 'PL-2-cycle-exists', rels: rel.ww | rel.wr, then: 0 },
  { model: 'snapshot-isolation', type: 'PL-SI-cycle-exists', rels: rel.ww | rel.wr, then: rel.rw },
  { model: 'serializable', type: 'PL-3-cycle-exists', rels: relData, then: 0 },
  {
    model: 'strong-session-read-uncommitted',
    type: 'strong-session-PL-1-cycle-exists',
    rels: rel.ww | rel.process,
    then: 0,
  },
  {
    model: 'strong-session-read-committed',
    type: 'strong-session-PL-2-cycle-exists',
    rels: rel.ww | rel.wr | rel.process,
    then: 0,
  },
  {
    model: 'strong-session-snapshot-isolation',
    type: 'strong-session-snapshot-isolation-cycle-exists',
    rels: rel.ww | rel.wr | rel.process,
    then: rel.rw,
  },
  {
    model: 'strong-session-serializable',
    type: 'strong-session-serializable-cycle-exists',
    rels: relData | rel.process,
    then: 0,
  },
  { model: 'strong-read-uncommitted', type: 'strong-PL-1-cycle-exists', rels: rel.ww | rel.realtime, then: 0 },
  { model: 'strong-read-committed', type: 'strong-PL-2-cycle-exists', rels: rel.ww | rel.wr | rel.realtime, then: 0 },
  {
    model: 'strong-snapshot-isolation',
    type: 'strong-snapshot-isolation-cycle-exists',
    rels: rel.ww | rel.wr | rel.realtime,
    then: rel.rw,
  },
  { model: 'strict-serializable', type: 'PL-SS-cycle-exists', rels: relData | rel.realtime, then: 0 },
];

/** Projections tried, in order, for the one cycle reported when the search runs out. */
const fallbackRels: readonly number[] = [
  rel.ww,
  rel.ww | rel.realtime | rel.process,
  rel.ww | rel.wr,
  rel.ww | rel.wr | rel.realtime | rel.process,
  relData,
  relData | rel.realtime | rel.process,
];

export function sccCycles(graph: Digraph, members: readonly number[], budget: SccBudget): SccOutcome {
  const local = digraphInduced(graph, members, 0xff);
  // A pair with several relations is told (and classified) by the first of ww, wr, rw, process, realtime.
  const explained: Digraph = { ...local, masks: local.masks.map((mask) => mask & -mask) };
  const cycleExists = cycleExistsCases(local);
  const impossible = impossibleKinds(cycleExists);
  const meter: SearchMeter = {
    steps: 0,
    stepsMax: budget.stepsMax,
    deadlineMs: Math.min(budget.clock.nowMs() + budget.timeoutMs, budget.deadlineMs),
    clock: budget.clock,
  };
  const global = (cycle: CycleFound): SccCycle => ({
    type: cycleClassify(cycle.rels),
    vertices: cycle.vertices.map((v) => members[v]!),
    rels: cycle.rels,
  });
  const cycles: SccCycle[] = [];
  const implied = new Set<string>();
  for (const spec of cycleSpecs) {
    if (implied.has(spec.name) || impossible.has(spec.name)) continue;
    const search = cycleShortest(explained, spec, meter);
    if (search.kind === 'none') continue;
    if (search.kind === 'budget') {
      const fallback = fallbackCycle(explained, budget);
      if (fallback !== null) cycles.push(global(fallback));
      return { size: members.length, cycles, cycleExists, timeout: { searching: spec.name, reason: search.reason } };
    }
    const found = global(search.cycle);
    cycles.push(found);
    for (const name of anomaliesImplied([found.type])) implied.add(name);
  }
  return { size: members.length, cycles, cycleExists, timeout: null };
}

function cycleExistsCases(local: Digraph): SccCycleExists[] {
  const cases: SccCycleExists[] = [];
  const ruledOut = new Set<string>();
  for (const spec of existsSpecs) {
    if (ruledOut.has(spec.model)) continue;
    const components =
      spec.then === 0 ? stronglyConnectedComponents(local, spec.rels) : extensionComponents(local, spec);
    if (components.length === 0) continue;
    const smallest = Math.min(...components.map((component) => component.length));
    cases.push({ type: spec.type, model: spec.model, members: smallest });
    for (const model of modelsAtLeast(spec.model)) ruledOut.add(model);
  }
  return cases;
}

/**
 * Components of the graph whose walks are `rels` edges, each possibly
 * followed by one `then` edge: vertex 2v is "arrived by a rels edge (or
 * start)", 2v + 1 "arrived by a then edge", which may not take another.
 */
function extensionComponents(local: Digraph, spec: ExistsSpec): number[][] {
  const builder = new DigraphBuilder(local.vertices * 2);
  for (let v = 0; v < local.vertices; v++) {
    for (let e = local.offsets[v]!; e < local.offsets[v + 1]!; e++) {
      const w = local.targets[e]!;
      const mask = local.masks[e]!;
      if ((mask & spec.rels) !== 0) {
        builder.add(2 * v, 2 * w, 1);
        builder.add(2 * v + 1, 2 * w, 1);
      }
      if ((mask & spec.then) !== 0) builder.add(2 * v, 2 * w + 1, 1);
    }
  }
  return stronglyConnectedComponents(builder.build(), 1);
}

/** Cycle kinds that cannot occur: a model whose cycle subgraph is acyclic holds, so what it forbids is absent. */
function impossibleKinds(found: readonly SccCycleExists[]): Set<string> {
  const impossibleModels = new Set(found.flatMap((c) => [...modelsAtLeast(c.model)]));
  const holding = existsSpecs.map((spec) => spec.model).filter((model) => !impossibleModels.has(model));
  const prohibited = anomaliesProhibitedBy(holding);
  return new Set(cycleSpecs.map((spec) => spec.name).filter((name) => prohibited.has(name)));
}

function fallbackCycle(explained: Digraph, budget: SccBudget): CycleFound | null {
  for (const rels of fallbackRels) {
    const spec: CycleSpec = {
      name: 'any',
      rels,
      rwMin: 0,
      rwMax: 2,
      nonadjacent: false,
      adjacent: false,
      required: [0, 0],
      first: rels,
    };
    // One breadth-first search from one vertex: bounded by the edges, whatever the meter spent.
    const meter: SearchMeter = {
      steps: 0,
      stepsMax: 64 * (explained.targets.length + explained.vertices),
      deadlineMs: Number.POSITIVE_INFINITY,
      clock: budget.clock,
    };
    const search = cycleShortest(explained, spec, meter, 1);
    if (search.kind === 'found') return search.cycle;
  }
  return null;
}
