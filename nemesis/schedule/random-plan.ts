// The fixed and random schedules as compositions of the generator language.
//
// fixed: every interval the next fault of the list starts (families taking
// turns), healed one interval later; one lane. random over named faults or
// families: quiet and fault periods of 0.5 to 1.5 intervals, the fault drawn
// with equal weight per family. A list of one family (or one holding the
// corrupt family, whose lost writes are only survivable while every other
// replica is reachable) keeps one lane, as before lanes existed; a list of
// several families splits them between two lanes, alternately in catalog
// order, so two families overlap.
//
// random with `all` (dense): lane 1 plays every usable scenario once per
// round in an order shuffled by the seed, with one elementary fault the
// scenarios do not use (an AZ kill, a truncation, a rollback) among them;
// lane 2 plays short elementary faults of the families that only cost
// availability or speed (partitions, pauses, slow and lossy links), with short
// gaps, overlapping lane 1. Gaps scale with the nemesis interval; the
// scenarios' own timings are the store's (leases, recovery) and do not.

import type { Geometry } from '../../cluster/config.js';
import { faultSpecOf } from '../faults/fault-catalog.js';
import { cycle, deferred, pause, seq, type Sched } from './combinators.js';
import { sleepStep, startPlanStep, stopPlanStep } from './plan.js';
import { scenarioFaults, scenarioGen, scenariosUsable, type Scenario } from './scenarios.js';

/** Rounds a lane may repeat at most; the time limit ends it long before. */
const roundsMax = 1000;
/** Shares of the interval: quiet and fault periods of the random schedule, around 1 interval. */
const randomPeriodShare = 1;
/** Dense `all`: lane 1's first quiet, the gap between its scenarios; lane 2's first quiet, its gaps and holds. */
const denseShares = Object.freeze({ lane1First: 0.3, scenarioGap: 0.2, lane2First: 0.5, gap: 0.2, hold: 0.3 });
/** Families lane 2 of the dense schedule draws from: faults that cost only availability or speed. */
const overlapFamilies: readonly string[] = ['partition', 'pause', 'links'];
/** Families of the faults the catalog may not list yet, so pure expansions do not depend on it. */
const familiesKnownAhead: Readonly<Record<string, string>> = {
  'slow-fsync': 'disk',
  'storage-reads': 'reads',
  'depose-writer': 'writer',
};

export function familyOf(fault: string): string {
  return faultSpecOf(fault)?.family ?? familiesKnownAhead[fault] ?? fault;
}

/** One fault of each family in turn (kill-node, partition-node, kill-az, partition-az, ...), so families alternate. */
export function familiesInterleave(faults: readonly string[]): string[] {
  const families = [...new Set(faults.map(familyOf))].map((family) =>
    faults.filter((fault) => familyOf(fault) === family),
  );
  const rounds = Math.max(0, ...families.map((members) => members.length));
  const order: string[] = [];
  for (let round = 0; round < rounds; round++)
    for (const members of families) if (round < members.length) order.push(members[round]!);
  return order;
}

export function fixedLanes(faults: readonly string[], intervalMs: number): Sched[] {
  if (faults.length === 0) return [];
  const order = familiesInterleave(faults);
  const round = seq(
    ...order.map((fault) =>
      seq(sleepStep(intervalMs), startPlanStep(fault), sleepStep(intervalMs), stopPlanStep(fault)),
    ),
  );
  return [cycle(roundsMax, round)];
}

export function randomLanes(faults: readonly string[], intervalMs: number): Sched[] {
  const families = [...new Set(faults.map(familyOf))];
  const periodMs = intervalMs * randomPeriodShare;
  const lane = (members: readonly string[]): Sched =>
    cycle(roundsMax, seq(pause(periodMs), elementary(members, periodMs)));
  if (families.length < 2 || families.includes('corrupt')) return faults.length === 0 ? [] : [lane(faults)];
  const second = families.filter((_, i) => i % 2 === 1);
  return [
    lane(faults.filter((fault) => !second.includes(familyOf(fault)))),
    lane(faults.filter((fault) => second.includes(familyOf(fault)))),
  ];
}

export function denseLanes(faults: readonly string[], intervalMs: number, geometry: Geometry): Sched[] {
  const usable = scenariosUsable(faults);
  const scenarioUsed = scenarioFaults(usable);
  const overlapping = faults.filter(
    (fault) => !scenarioUsed.includes(fault) && overlapFamilies.includes(familyOf(fault)),
  );
  const interludes = faults.filter((fault) => !scenarioUsed.includes(fault) && !overlapping.includes(fault));
  const gapMs = intervalMs * denseShares.scenarioGap;
  // Every durability strike once, in a seeded order, before the transition strikes and the interludes: a
  // minute of `all` meets each way of losing acknowledged data at least once.
  const round = deferred((context) => {
    const tier = (strikes: Scenario['strikes']): Sched[] =>
      usable.filter((scenario) => scenario.strikes === strikes).map((scenario) => scenarioGen(scenario, geometry));
    const later = tier('transition');
    if (interludes.length > 0) later.push(elementary(interludes, intervalMs * denseShares.hold));
    const fragments = [...context.prng.shuffle(tier('durability')), ...context.prng.shuffle(later)];
    return seq(...fragments.map((fragment) => seq(fragment, pause(gapMs))));
  });
  const lanes: Sched[] = [];
  if (fragmentsAny(usable.length, interludes))
    lanes.push(seq(pause(intervalMs * denseShares.lane1First), cycle(roundsMax, round)));
  if (overlapping.length > 0) {
    const step = seq(elementary(overlapping, intervalMs * denseShares.hold), pause(intervalMs * denseShares.gap));
    lanes.push(seq(pause(intervalMs * denseShares.lane2First), cycle(roundsMax, step)));
  }
  return lanes;
}

function fragmentsAny(scenarioCount: number, interludes: readonly string[]): boolean {
  return scenarioCount > 0 || interludes.length > 0;
}

/** One fault drawn with equal weight per family, started, held around `holdMs`, stopped. */
function elementary(faults: readonly string[], holdMs: number): Sched {
  return deferred((context) => {
    const families = [...new Set(faults.map(familyOf))];
    const family = context.prng.pick(families);
    const fault = context.prng.pick(faults.filter((candidate) => familyOf(candidate) === family));
    return seq(startPlanStep(fault), pause(holdMs), stopPlanStep(fault));
  });
}
