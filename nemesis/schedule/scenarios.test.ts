import { describe, expect, it, test } from 'vitest';
import { clusterConfigDefault, type Geometry } from '../../cluster/config.js';
import { prngCreate } from '../../core/prng.js';
import { genTake } from '../../workloads/generator.js';
import { faultNamesExpand } from '../faults/fault-catalog.js';
import { stepCostMs } from './combinators.js';
import { laneFaultsOpen, laneFaultsShared, type PlanLane, type SchedulePlan } from './plan.js';
import { scheduleExpand } from './schedule.js';
import { scenarioGen, scenarioNames, scenarios, scenariosUsable } from './scenarios.js';

const geometry = clusterConfigDefault.geometry;
const three: Geometry = { azCount: 3, nodesPerAz: 1, writeQuorum: 2, readQuorum: 2, pgCount: 1 };
/** Every fault of `all` once the catalog has the contract's new ones; named here so no test depends on it. */
const allFaults: readonly string[] = (() => {
  const all = faultNamesExpand(['all']);
  if (!all.ok) throw new Error(all.error);
  return [...new Set([...all.faults, 'slow-fsync', 'storage-reads', 'depose-writer'])];
})();

const context = (seed: number) => ({ prng: prngCreate(seed), process: 'nemesis' as const, timeNs: 0 });

function dense(seed: number, workload = 'append', timeLimitMs = 60_000, intervalMs = 5000): SchedulePlan {
  const input = { faults: allFaults, intervalMs, timeLimitMs, prng: prngCreate(seed), workload, geometry };
  return scheduleExpand({ kind: 'random', dense: true }, input);
}

interface Timed {
  readonly lane: number;
  readonly atMs: number;
  readonly fault: string;
}

/** Every start with the time it is planned for (each step counted as the expansion counts it). */
function startsTimed(plan: SchedulePlan): Timed[] {
  return plan.lanes.flatMap((lane, index) => {
    let atMs = 0;
    const out: Timed[] = [];
    for (const step of lane) {
      if (step.kind === 'start') out.push({ lane: index, atMs, fault: step.fault });
      atMs += stepCostMs(step);
    }
    return out;
  });
}

/** Intervals during which each lane has a fault started and not yet stopped. */
function activeSpans(lane: PlanLane): { fromMs: number; toMs: number }[] {
  const spans: { fromMs: number; toMs: number }[] = [];
  const open = new Map<string, number>();
  let atMs = 0;
  for (const step of lane) {
    if (step.kind === 'start') open.set(step.fault, atMs);
    if (step.kind === 'stop' && open.has(step.fault)) {
      spans.push({ fromMs: open.get(step.fault)!, toMs: atMs });
      open.delete(step.fault);
    }
    atMs += stepCostMs(step);
  }
  return spans;
}

describe('scenarios', () => {
  test.each(scenarios.map((scenario) => [scenario.name, scenario] as const))(
    '%s is a bounded fragment of a few seconds that stops every fault it starts, using only its faults',
    (_, scenario) => {
      for (const g of [geometry, three]) {
        for (let seed = 1; seed <= 5; seed++) {
          const steps = genTake(scenarioGen(scenario, g), 500, context(seed));
          expect(steps.length).toBeLessThan(500);
          expect(laneFaultsOpen(steps)).toEqual([]);
          const started = new Set(steps.flatMap((step) => (step.kind === 'start' ? [step.fault] : [])));
          for (const fault of started) expect(scenario.faults).toContain(fault);
          const sleptMs = steps.reduce((sum, step) => sum + (step.kind === 'sleep' ? step.ms : 0), 0);
          expect(sleptMs).toBeGreaterThan(0);
          expect(sleptMs).toBeLessThanOrEqual(6000);
          expect(steps[0]).toEqual({ kind: 'mark', label: scenario.name });
        }
      }
    },
  );

  it('quorum-shift cuts off enough replicas that no write quorum is left, then kills, cuts off and slows those it reached', () => {
    const steps = genTake(scenarioGen(scenarios[0]!, geometry), 100, context(1));
    expect(steps.filter((step) => step.kind === 'start')).toEqual([
      { kind: 'start', fault: 'partition-node', targets: { aim: 'laggard', count: 3 }, attempts: 1 },
      { kind: 'start', fault: 'kill-node', targets: { aim: 'newest', count: 2 }, attempts: 1 },
      { kind: 'start', fault: 'partition-peers', targets: { aim: 'newest', count: 1 }, attempts: 1 },
      { kind: 'start', fault: 'slow-links', targets: { aim: 'newest', count: 1 }, attempts: 1 },
      { kind: 'start', fault: 'kill-writer', targets: null, attempts: 1 },
    ]);
    // 2/3 writes on three replicas: one cut off leaves no write quorum, one of the other two dies, one is slowed.
    const shifted = genTake(scenarioGen(scenarios[0]!, three), 100, context(1));
    expect(
      shifted.filter((step) => step.kind === 'start').map((step) => step.kind === 'start' && step.targets),
    ).toEqual([
      { aim: 'laggard', count: 2 },
      { aim: 'newest', count: 1 },
      { aim: 'newest', count: 1 },
      { aim: 'newest', count: 1 },
      null,
    ]);
  });

  it('are drawn only when the run has every fault they use', () => {
    expect(scenariosUsable(['kill-node']).map((s) => s.name)).toEqual(['catch-up-interrupt']);
    expect(scenariosUsable(allFaults).map((s) => s.name)).toEqual([...scenarioNames]);
  });
});

describe('the dense schedule of --nemesis all', () => {
  it('fills 60 s with at least 20 starts, every scenario kind, and lanes that overlap', () => {
    const plan = dense(1);
    expect(plan.lanes).toHaveLength(2);
    expect(laneFaultsShared(plan.lanes)).toEqual([]);
    const starts = startsTimed(plan);
    expect(starts.length).toBeGreaterThanOrEqual(20);
    const marks = plan.lanes[0]!.flatMap((step) => (step.kind === 'mark' ? [step.label] : []));
    expect(new Set(marks)).toEqual(new Set(scenarioNames));
    const spans = plan.lanes.map(activeSpans);
    const overlapping = starts.filter((start) =>
      spans.some(
        (laneSpans, lane) =>
          lane !== start.lane && laneSpans.some((s) => s.fromMs <= start.atMs && start.atMs < s.toMs),
      ),
    );
    expect(overlapping.length).toBeGreaterThanOrEqual(5);
    for (const lane of plan.lanes) {
      expect(lane.reduce((sum, step) => sum + (step.kind === 'sleep' ? step.ms : 0), 0)).toBeLessThanOrEqual(60_000);
      // Steps count as the expansion counts them; the stops that close a cut lane may run a little over.
      expect(lane.reduce((sum, step) => sum + stepCostMs(step), 0)).toBeLessThanOrEqual(61_000);
      expect(laneFaultsOpen(lane)).toEqual([]);
    }
  });

  it('is the same for the same seed and workload, and differs between seeds and between workloads', () => {
    expect(dense(7)).toEqual(dense(7));
    expect(dense(8)).not.toEqual(dense(7));
    expect(dense(7, 'register')).not.toEqual(dense(7, 'append'));
  });

  it('keeps every scenario kind at 20 s with a short interval, and scales its gaps with the interval', () => {
    const count = (plan: SchedulePlan): number => startsTimed(plan).length;
    expect(count(dense(3, 'append', 60_000, 1000))).toBeGreaterThan(count(dense(3, 'append', 60_000, 10_000)));
    const plan = dense(3, 'append', 120_000, 1000);
    const marks = plan.lanes[0]!.filter((step) => step.kind === 'mark');
    expect(marks.length).toBeGreaterThanOrEqual(2 * scenarioNames.length);
  });

  it('leaves a fault it cut at the time limit stopped at the end of its lane', () => {
    for (const limitMs of [3000, 7777, 15_000]) {
      const plan = dense(5, 'set', limitMs);
      for (const lane of plan.lanes) {
        expect(laneFaultsOpen(lane)).toEqual([]);
        expect(lane.reduce((sum, step) => sum + (step.kind === 'sleep' ? step.ms : 0), 0)).toBeLessThanOrEqual(limitMs);
      }
    }
  });
});
