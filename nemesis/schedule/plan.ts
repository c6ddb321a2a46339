// A schedule plan: what an expanded schedule is, lanes of concrete steps
// (sleep, start, stop, await, burst, solo) that the nemesis loop runs concurrently,
// each lane in order. A plan is pure data: it is written out as schedule.json
// and read back by schedule-file.ts, so a run's nemesis replays from it.

import type { NodeId } from '../../cluster/topology.js';
import { aimNames, type AimName } from '../observe/aims.js';
import { awaitEvents, type AwaitEvent } from '../observe/await-event.js';

/** Where a start aims, named by what the nodes hold (the nemesis resolves it when the start runs): the observer's list. */
export const planAimNames = aimNames;
export type PlanAimName = AimName;

export interface PlanAim {
  readonly aim: PlanAimName;
  /** Cuts the aim's ordered list; absent: the whole list. */
  readonly count?: number;
}

/** Explicit node ids, an aim, or null: the fault's own seeded choice. */
export type PlanTargets = readonly NodeId[] | PlanAim | null;

export { awaitEvents, type AwaitEvent };

export type PlanStep =
  | { readonly kind: 'sleep'; readonly ms: number }
  | {
      readonly kind: 'start';
      readonly fault: string;
      readonly targets: PlanTargets;
      /** Attempts in all: more than one repeats the start, a gap apart, until its outcome is ok. */
      readonly attempts: number;
    }
  | { readonly kind: 'stop'; readonly fault: string }
  | { readonly kind: 'await'; readonly event: AwaitEvent; readonly timeoutMs: number }
  | { readonly kind: 'burst'; readonly clients: number; readonly forMs: number }
  /** A label for readers of the plan (the scenario that follows); the loop does nothing for it. */
  | { readonly kind: 'mark'; readonly label: string }
  /**
   * begin: the lane plays alone from here: it waits (bounded) until the other lanes' faults are stopped, and
   * they start none until its end (a scenario whose aim must find the cluster as it left it). Stops never wait.
   */
  | { readonly kind: 'solo'; readonly begin: boolean };

export type PlanLane = readonly PlanStep[];

export interface SchedulePlan {
  readonly lanes: readonly PlanLane[];
}

/** Bounds a plan step must keep (checked when a file is read, asserted when a schedule is built). */
export const planLimits = Object.freeze({
  lanesMax: 4,
  stepsMax: 10_000,
  awaitTimeoutMsMax: 30_000,
  burstClientsMax: 64,
  burstForMsMax: 10_000,
  attemptsMax: 10,
  countMax: 64,
  markLengthMax: 100,
});

/** The pause between the attempts of a start repeated until its outcome is ok. */
export const untilOkGapMs = 1000;

export function sleepStep(ms: number): PlanStep {
  return Object.freeze({ kind: 'sleep', ms: Math.max(0, Math.round(ms)) });
}

export function startPlanStep(fault: string, targets: PlanTargets = null, attempts = 1): PlanStep {
  return Object.freeze({ kind: 'start', fault, targets, attempts });
}

export function stopPlanStep(fault: string): PlanStep {
  return Object.freeze({ kind: 'stop', fault });
}

export function awaitStep(event: AwaitEvent, timeoutMs: number): PlanStep {
  return Object.freeze({ kind: 'await', event, timeoutMs });
}

export function burstStep(clients: number, forMs: number): PlanStep {
  return Object.freeze({ kind: 'burst', clients, forMs });
}

export function markStep(label: string): PlanStep {
  return Object.freeze({ kind: 'mark', label });
}

export function soloStep(begin: boolean): PlanStep {
  return Object.freeze({ kind: 'solo', begin });
}

export function aimOf(aim: PlanAimName, count?: number): PlanAim {
  return Object.freeze(count === undefined ? { aim } : { aim, count });
}

/** The fault names a plan starts or stops, in order of first use. */
export function planFaults(plan: SchedulePlan): readonly string[] {
  const names = plan.lanes.flatMap((lane) =>
    lane.flatMap((step) => (step.kind === 'start' || step.kind === 'stop' ? [step.fault] : [])),
  );
  return Object.freeze([...new Set(names)]);
}

/** Faults still started at the end of a lane, in the order they were started. */
export function laneFaultsOpen(lane: PlanLane): string[] {
  const open: string[] = [];
  for (const step of lane) {
    if (step.kind === 'start' && !open.includes(step.fault)) open.push(step.fault);
    if (step.kind === 'stop') open.splice(0, open.length, ...open.filter((fault) => fault !== step.fault));
  }
  return open;
}

/** The fault names that two lanes both use: a fault is one instance, so a plan must have none. */
export function laneFaultsShared(lanes: readonly PlanLane[]): string[] {
  const owner = new Map<string, number>();
  const shared = new Set<string>();
  lanes.forEach((lane, index) => {
    for (const step of lane) {
      if (step.kind !== 'start' && step.kind !== 'stop') continue;
      const first = owner.get(step.fault);
      if (first === undefined) owner.set(step.fault, index);
      else if (first !== index) shared.add(step.fault);
    }
  });
  return [...shared];
}
