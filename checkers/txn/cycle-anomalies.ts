// From version orders to cycle anomalies: builds the dependency graph, splits
// it into strongly connected components (a cycle never leaves one), searches
// each, and turns what each search found into explained anomaly cases. A
// component whose search ran out of budget is reported as a
// cycle-search-timeout; components left when the check's own deadline passes
// are reported the same way, never searched past it.

import type { Clock } from '../../core/clock.js';
import type { AnomalyCase } from './anomaly-case.js';
import { dependencyGraphBuild, type GraphIndex } from './dependency-graph.js';
import { digraphEdgeCount } from './digraph.js';
import { cycleExplain } from './edge-explain.js';
import { sccCycles, type SccOutcome } from './scc-cycles.js';
import { stronglyConnectedComponents } from './scc.js';
import { relExplained, txnName, type Txn, type TxnHistory } from './txn-types.js';
import type { VersionOrders } from './version-order.js';

export interface CycleOptions {
  readonly process: boolean;
  readonly realtime: boolean;
  readonly clock: Clock;
  readonly deadlineMs: number;
  readonly cycleSearchTimeoutMs: number;
  readonly cycleSearchStepsMax: number;
  readonly edgesMax: number;
}

export interface CycleAnomalies {
  readonly cases: readonly AnomalyCase[];
  /** Why the graph could not be checked at all, when it could not. */
  readonly reason: string | null;
  readonly figures: {
    readonly txns: number;
    readonly edges: number;
    readonly sccs: number;
    readonly sccLargest: number;
  };
}

export function cycleAnomalies(history: TxnHistory, orders: VersionOrders, options: CycleOptions): CycleAnomalies {
  const txns = history.txns.length;
  const built = dependencyGraphBuild(history, orders, options);
  if (!built.ok) return { cases: [], reason: built.reason, figures: { txns, edges: 0, sccs: 0, sccLargest: 0 } };
  const { graph, index } = built;
  const edges = digraphEdgeCount(graph);
  const cases: AnomalyCase[] = [];
  if (edges === 0) {
    cases.push({
      type: 'empty-transaction-graph',
      ops: [],
      explanation: 'no transaction depends on another, so there is no dependency to check',
    });
  }
  const components = stronglyConnectedComponents(graph, 0xff).sort((a, b) => a.length - b.length);
  for (const members of components) {
    if (options.clock.nowMs() > options.deadlineMs) {
      cases.push(timeoutCase(members.length, 'the check ran out of time before this component was searched', null));
      continue;
    }
    const outcome = sccCycles(graph, members, {
      clock: options.clock,
      timeoutMs: options.cycleSearchTimeoutMs,
      stepsMax: options.cycleSearchStepsMax,
      deadlineMs: options.deadlineMs,
    });
    cases.push(...outcomeCases(index, outcome, members));
  }
  const sccLargest = components.reduce((largest, members) => Math.max(largest, members.length), 0);
  return { cases, reason: null, figures: { txns, edges, sccs: components.length, sccLargest } };
}

function outcomeCases(index: GraphIndex, outcome: SccOutcome, members: readonly number[]): AnomalyCase[] {
  const txns = index.history.txns;
  const cases: AnomalyCase[] = outcome.cycles.map((cycle) => {
    const cycleTxns = cycle.vertices.map((id) => txns[id]!);
    return {
      type: cycle.type,
      ops: cycleTxns.map((txn) => txn.completeIndex),
      explanation: cycleExplain(index, cycleTxns, cycle.rels),
      rels: cycle.rels.map((mask) => relExplained(mask) ?? 'ww'),
    };
  });
  const sample = members.slice(0, 8).map((id) => txns[id]!);
  for (const exists of outcome.cycleExists) {
    cases.push({
      type: exists.type,
      ops: sample.map((txn) => txn.completeIndex),
      explanation:
        `the ${outcome.size} transactions around ${txnList(sample)} hold a cycle that ${exists.model} forbids ` +
        `(a strongly connected subgraph of ${exists.members} transactions in its dependency relations)`,
      model: exists.model,
    });
  }
  if (outcome.timeout !== null) {
    cases.push(
      timeoutCase(outcome.size, `${outcome.timeout.reason} while looking for ${outcome.timeout.searching}`, sample),
    );
  }
  return cases;
}

function timeoutCase(size: number, why: string, sample: readonly Txn[] | null): AnomalyCase {
  return {
    type: 'cycle-search-timeout',
    ops: sample?.map((txn) => txn.completeIndex) ?? [],
    explanation: `a strongly connected component of ${size} transactions${sample === null ? '' : ` (${txnList(sample)})`} was not searched through: ${why}`,
  };
}

function txnList(sample: readonly Txn[]): string {
  return `${sample.map(txnName).join(', ')}${sample.length === 8 ? ', ...' : ''}`;
}
