// Scenarios: named compositions of faults and aims that produce the moments a
// quorum store is weakest at (the hand-written nemesis/schedules/*.json show
// such moments for known bugs), without naming nodes: a quorum shifted onto
// replicas that missed the newest records, a tail held by a minority, a writer
// cut off and killed inside its lease, power lost everywhere, a deposed writer
// resumed, recoveries and catch-ups interrupted. Each is a lane fragment of a
// few seconds that ends with every fault it started stopped, and each must be
// survivable by a correct store (availability may drop; data must not).

import type { Geometry } from '../../cluster/config.js';
import { cycle, deferred, mix, seq, type Sched } from './combinators.js';
import {
  aimOf,
  awaitStep,
  burstStep,
  markStep,
  sleepStep,
  soloStep,
  startPlanStep as start,
  stopPlanStep as stop,
  type PlanStep,
} from './plan.js';

export const scenarioNames = [
  'quorum-shift',
  'minority-tail',
  'writer-cut-then-killed',
  'total-power-loss',
  'corrupt-then-restart-all',
  'deposed-writer',
  'rolling-restarts',
  'recovery-interrupt',
  'catch-up-interrupt',
  'post-heal-strike',
] as const;
export type ScenarioName = (typeof scenarioNames)[number];

export interface Scenario {
  readonly name: ScenarioName;
  /**
   * durability: a moment where acknowledged data or a committed read is at stake (a quorum shifts, power goes,
   * a leader is deposed); transition: a strike timed on a change of state. A round plays the first kind first.
   */
  readonly strikes: 'durability' | 'transition';
  /** Every fault the scenario starts: it is only drawn when the run has them all. */
  readonly faults: readonly string[];
  readonly gen: (geometry: Geometry) => Sched;
}

/** Extra clients right before a strike, so more writes are in flight when it lands. */
const burstClients = 16;
const burstForMs = 1500;
/** How long an await of a transition waits before the scenario goes on without it. */
const awaitTimeoutMs = 4000;
/** A cut writer keeps its read lease for about 400-600 ms; the kill lands inside it. */
const leaseWaitMsMin = 350;
const leaseWaitMsMax = 550;

const burst = (): PlanStep => burstStep(burstClients, burstForMs);

export const scenarios: readonly Scenario[] = Object.freeze([
  {
    name: 'quorum-shift',
    strikes: 'durability',
    faults: ['partition-node', 'kill-node', 'partition-peers', 'slow-links', 'kill-writer'],
    // Cut off enough replicas that no write quorum is left: a correct writer stalls, and whatever it acknowledges
    // now is on too few replicas. Then most of the replicas it still reaches die, the last can no longer gossip and
    // answers slowly, and recovery runs on the ones that were cut off: what they missed must not have been acknowledged.
    gen: (g) =>
      seq(
        start('partition-node', aimOf('laggard', quorumBreaking(g))),
        burst(),
        sleepStep(1500),
        start('kill-node', aimOf('newest', Math.max(1, replicas(g) - quorumBreaking(g) - 1))),
        start('partition-peers', aimOf('newest', 1)),
        start('slow-links', aimOf('newest', 1)),
        start('kill-writer'),
        stop('partition-node'),
        stop('kill-writer'),
        sleepStep(1500),
        stop('slow-links'),
        stop('partition-peers'),
        stop('kill-node'),
      ),
  },
  {
    name: 'minority-tail',
    strikes: 'durability',
    faults: ['kill-node', 'power-loss', 'kill-writer'],
    // Two replicas hold a tail no quorum acknowledged; the others come back first and recover without it.
    gen: (g) =>
      seq(
        start('kill-node', aimOf('laggard', Math.max(1, replicas(g) - 2))),
        burst(),
        sleepStep(1500),
        start('power-loss', aimOf('newest', 2)),
        start('kill-writer'),
        stop('kill-node'),
        stop('kill-writer'),
        sleepStep(1500),
        stop('power-loss'),
      ),
  },
  {
    name: 'writer-cut-then-killed',
    strikes: 'durability',
    faults: ['partition-writer-storage', 'kill-writer'],
    gen: () =>
      cycle(
        2,
        seq(
          burst(),
          start('partition-writer-storage'),
          leaseWait(),
          start('kill-writer'),
          stop('partition-writer-storage'),
          stop('kill-writer'),
          sleepStep(1200),
        ),
      ),
  },
  {
    name: 'total-power-loss',
    strikes: 'durability',
    faults: ['slow-fsync', 'power-loss', 'kill-writer'],
    // Slow syncs keep more writes unsynced at the moment every replica loses power; the primary goes down with
    // them, so what comes back is only what the disks kept.
    gen: () =>
      seq(
        start('slow-fsync', aimOf('all-storage')),
        burst(),
        sleepStep(1000),
        start('power-loss', aimOf('all-storage')),
        start('kill-writer'),
        sleepStep(1200),
        stop('power-loss'),
        stop('kill-writer'),
        stop('slow-fsync'),
        sleepStep(800),
      ),
  },
  {
    name: 'corrupt-then-restart-all',
    strikes: 'durability',
    faults: ['corrupt-helix', 'kill-node'],
    gen: () =>
      seq(
        start('corrupt-helix'),
        start('kill-node', aimOf('all-storage')),
        sleepStep(1000),
        stop('kill-node'),
        stop('corrupt-helix'),
      ),
  },
  {
    name: 'deposed-writer',
    strikes: 'durability',
    faults: ['depose-writer', 'kill-writer'],
    // The standby may still be starting after an earlier failover: the depose is tried again until it takes.
    gen: () =>
      seq(
        start('depose-writer', null, 3),
        burst(),
        sleepStep(1500),
        stop('depose-writer'),
        sleepStep(1000),
        start('kill-writer', aimOf('standby')),
        sleepStep(800),
        stop('kill-writer'),
      ),
  },
  {
    name: 'rolling-restarts',
    strikes: 'durability',
    faults: ['storage-reads', 'kill-node'],
    gen: (g) =>
      seq(
        start('storage-reads'),
        cycle(
          3,
          seq(
            start('kill-node', aimOf('newest', Math.max(1, Math.min(g.azCount, replicas(g) - g.readQuorum)))),
            sleepStep(700),
            stop('kill-node'),
            sleepStep(500),
          ),
        ),
        stop('storage-reads'),
      ),
  },
  {
    name: 'recovery-interrupt',
    strikes: 'transition',
    faults: ['kill-writer', 'partition-writer-storage', 'pause-writer'],
    gen: () => {
      const again = (fault: string): Sched => seq(start(fault), sleepStep(800), stop(fault));
      return seq(
        burst(),
        start('kill-writer'),
        awaitStep('writer-recovering', awaitTimeoutMs),
        mix([
          { weight: 1, gen: again('partition-writer-storage') },
          { weight: 1, gen: again('pause-writer') },
        ]),
        stop('kill-writer'),
        sleepStep(1000),
      );
    },
  },
  {
    name: 'catch-up-interrupt',
    strikes: 'transition',
    faults: ['kill-node'],
    gen: () =>
      seq(
        start('kill-node', aimOf('newest', 1)),
        burst(),
        sleepStep(1500),
        stop('kill-node'),
        awaitStep('replica-behind', awaitTimeoutMs),
        start('kill-node', aimOf('laggard', 1)),
        sleepStep(800),
        stop('kill-node'),
      ),
  },
  {
    name: 'post-heal-strike',
    strikes: 'transition',
    faults: ['kill-writer', 'kill-node'],
    gen: (g) =>
      mix([
        {
          weight: 1,
          gen: seq(
            start('kill-writer'),
            sleepStep(1000),
            stop('kill-writer'),
            awaitStep('writer-ready', awaitTimeoutMs),
            start('kill-node', aimOf('newest', killableMost(g))),
            sleepStep(1000),
            stop('kill-node'),
          ),
        },
        {
          weight: 1,
          gen: seq(
            start('kill-node', aimOf('newest', killableMost(g))),
            sleepStep(1000),
            stop('kill-node'),
            awaitStep('caught-up', awaitTimeoutMs),
            start('kill-writer'),
            sleepStep(800),
            stop('kill-writer'),
          ),
        },
      ]),
  },
]);

/**
 * The scenario's steps, after a mark naming it (so a written plan says what each fragment is). A durability
 * strike plays solo: its aims (the newest replicas, the laggards) must find the cluster as the strike left it,
 * not a node another lane paused or cut meanwhile, and its writer must be up to acknowledge what it puts at stake.
 */
export function scenarioGen(scenario: Scenario, geometry: Geometry): Sched {
  const steps = scenario.gen(geometry);
  if (scenario.strikes === 'transition') return seq(markStep(scenario.name), steps);
  return seq(markStep(scenario.name), soloStep(true), steps, soloStep(false));
}

/** The scenarios whose faults the run has, in list order. */
export function scenariosUsable(faults: readonly string[]): readonly Scenario[] {
  return scenarios.filter((scenario) => scenario.faults.every((fault) => faults.includes(fault)));
}

/** Every fault some scenario in the list starts. */
export function scenarioFaults(list: readonly Scenario[]): readonly string[] {
  return [...new Set(list.flatMap((scenario) => scenario.faults))];
}

function replicas(g: Geometry): number {
  return g.azCount * g.nodesPerAz;
}

/** The fewest replicas whose loss leaves no write quorum (3 of 6 for 4/6 writes). */
function quorumBreaking(g: Geometry): number {
  return Math.max(1, replicas(g) - g.writeQuorum + 1);
}

/** Most of a write quorum, while the rest still make a read quorum for the recovery that follows. */
function killableMost(g: Geometry): number {
  return Math.max(1, Math.min(g.writeQuorum - 1, replicas(g) - g.readQuorum));
}

/** A wait inside the read lease, drawn anew each time. */
function leaseWait(): Sched {
  return deferred((context) => seq(sleepStep(context.prng.between(leaseWaitMsMin, leaseWaitMsMax))));
}
