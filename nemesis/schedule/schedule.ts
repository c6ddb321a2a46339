// nemesis/schedule/: when faults happen. A schedule kind (fixed, random, or a
// script from a file, parsed by schedule-file.ts; the files live in
// nemesis/schedules/) is expanded once per run, purely, into a plan: lanes of
// concrete steps fitted into the run's time limit (plan.ts), built with the
// generator language of combinators.ts from the compositions of
// random-plan.ts and scenarios.ts. The runner writes the plan out as
// schedule.json and runs its lanes concurrently (lane.ts).

import { clusterConfigDefault, type Geometry } from '../../cluster/config.js';
import { assert, assertNever } from '../../core/assert.js';
import type { Prng } from '../../core/prng.js';
import { genConcat, genEmpty, genList, type GenContext, type Generator } from '../../workloads/generator.js';
import type { NemesisStep } from '../nemesis.js';
import { cycle, timeBox, type Sched } from './combinators.js';
import { laneGenerator, type LaneStep } from './lane.js';
import { planLimits, type PlanLane, type PlanStep, type SchedulePlan } from './plan.js';
import { denseLanes, fixedLanes, randomLanes } from './random-plan.js';

export const scheduleKinds = ['fixed', 'random'] as const;

/** The start, stop and sleep steps of a script: what a reader of only its faults needs. */
export type ScriptStep = Extract<PlanStep, { readonly kind: 'start' | 'stop' | 'sleep' }>;

export type ScheduleSpec =
  | { readonly kind: 'fixed' }
  /** dense: the scenarios and overlapping lanes of `--nemesis all` (random-plan.ts). */
  | { readonly kind: 'random'; readonly dense?: boolean }
  | {
      readonly kind: 'script';
      readonly source: string;
      readonly lanes: readonly PlanLane[];
      /** Every lane's start, stop and sleep steps, lane after lane. */
      readonly steps: readonly ScriptStep[];
      readonly repeat: boolean;
    };

export interface ScheduleExpandInput {
  /** The run's faults (families and `all` expanded, unavailable ones left out). */
  readonly faults: readonly string[];
  readonly intervalMs: number;
  /** The main phase's length: every lane's steps fit in it. */
  readonly timeLimitMs: number;
  /** The nemesis stream of the run's Prng. */
  readonly prng: Prng;
  /** The workload's name: the dense schedule forks its Prng with it, so workloads of one seed differ. */
  readonly workload: string;
  readonly geometry: Geometry;
}

/** The schedule's lanes of concrete steps for one run; pure, and the same for the same input. */
export function scheduleExpand(spec: ScheduleSpec, input: ScheduleExpandInput): SchedulePlan {
  assert(input.intervalMs > 0, `a schedule needs a positive interval, got ${input.intervalMs}`);
  // A script is cut by its sleeps alone, as a run's time limit cuts it; built schedules count their operations too.
  const costOf = spec.kind === 'script' ? (step: PlanStep): number => (step.kind === 'sleep' ? step.ms : 0) : undefined;
  return lanesExpand(scheduleLanes(spec, input), input.timeLimitMs, scheduleStream(spec, input), costOf);
}

/** Lanes of the generator language drawn into a plan, each fitted into `timeLimitMs`; empty lanes dropped. */
export function lanesExpand(
  lanes: readonly Sched[],
  timeLimitMs: number,
  prng: Prng,
  costOf?: (step: PlanStep) => number,
): SchedulePlan {
  const context: GenContext = { prng, process: 'nemesis', timeNs: 0 };
  const boxed = lanes.map((lane) =>
    laneTake(timeBox(timeLimitMs, lane, { pad: false, ...(costOf === undefined ? {} : { costOf }) }), context),
  );
  return Object.freeze({ lanes: Object.freeze(boxed.filter((lane) => lane.length > 0)) });
}

function scheduleStream(spec: ScheduleSpec, input: ScheduleExpandInput): Prng {
  return spec.kind === 'random' && spec.dense === true ? input.prng.fork(`schedule-${input.workload}`) : input.prng;
}

function scheduleLanes(spec: ScheduleSpec, input: ScheduleExpandInput): Sched[] {
  switch (spec.kind) {
    case 'fixed':
      return fixedLanes(input.faults, input.intervalMs);
    case 'random':
      return spec.dense === true
        ? denseLanes(input.faults, input.intervalMs, input.geometry)
        : randomLanes(input.faults, input.intervalMs);
    case 'script':
      return spec.lanes.map((lane) => (spec.repeat ? cycle(planLimits.stepsMax, genList(lane)) : genList(lane)));
    default:
      return assertNever(spec, 'schedule');
  }
}

function laneTake(lane: Sched, context: GenContext): PlanLane {
  const steps: PlanStep[] = [];
  let current: Sched = lane;
  while (steps.length < planLimits.stepsMax) {
    const step = current.op(context);
    if (step.kind === 'done') break;
    steps.push(step.op);
    current = step.next;
  }
  return Object.freeze(steps);
}

/** The plan's lanes as the nemesis loop runs them. */
export function planGenerators(plan: SchedulePlan): Generator<LaneStep>[] {
  return plan.lanes.map((lane) => laneGenerator(lane));
}

/** The horizon of the one-sequence view below: longer than any run's main phase. */
const sequenceHorizonMs = 24 * 3_600_000;

/**
 * The schedule as one sequence of nemesis steps, lane after lane and without
 * bursts and solos, drawn from the context's Prng when first asked: the view of a
 * package that runs a single sequence. The runner runs a plan's lanes
 * concurrently instead (scheduleExpand, planGenerators).
 */
export function scheduleGenerator(
  spec: ScheduleSpec,
  faults: readonly string[],
  intervalMs: number,
  geometry: Geometry = clusterConfigDefault.geometry,
): Generator<NemesisStep> {
  return {
    op: (context) => {
      const input = { faults, intervalMs, timeLimitMs: sequenceHorizonMs, prng: context.prng, workload: '', geometry };
      const lanes = planGenerators(scheduleExpand(spec, input)).map(nemesisOnly);
      return lanes.reduceRight<Generator<NemesisStep>>((rest, lane) => genConcat(lane, rest), genEmpty()).op(context);
    },
  };
}

function nemesisOnly(lane: Generator<LaneStep>): Generator<NemesisStep> {
  return {
    op: (context) => {
      for (let current = lane; ;) {
        const step = current.op(context);
        if (step.kind === 'done') return step;
        if (step.op.kind !== 'burst' && step.op.kind !== 'solo')
          return { kind: 'op', op: step.op, next: nemesisOnly(step.next) };
        current = step.next;
      }
    },
  };
}

export function stopStep(fault: string): NemesisStep {
  return { kind: 'op', op: { f: `stop-${fault}`, value: null } };
}
