// Fault episodes of a schedule file, the units a shrink removes: a start and
// its matching stop in one lane, with the awaits and bursts that lead up to the
// start. Sleeps belong to no episode and stay, so the rest keeps its timing;
// marks (notes) stay while their scenario keeps a start.
// Works on the file's JSON (the same text `--nemesis-schedule` reads) and
// writes the same format back.

import { durationParse } from '../../core/duration.js';

/** One step as the file spells it, e.g. {"start": "kill-node", "targets": ["s00"]}. */
export type StepJson = Readonly<Record<string, unknown>>;

export type StepKind = 'sleep' | 'start' | 'stop' | 'await' | 'burst' | 'mark';

/** A schedule file read for shrinking: its lanes of steps, and whether it repeats. */
export interface ScheduleJson {
  readonly lanes: readonly (readonly StepJson[])[];
  readonly repeat: boolean;
  /** The input said "steps" (one lane): a result of one lane is written back the same way. */
  readonly oneLane: boolean;
}

export interface Episode {
  /** Position in the list of every episode, lane by lane, in order of start. */
  readonly index: number;
  readonly lane: number;
  readonly fault: string;
  /** Indices into the lane of the steps that go with the episode (its start, stop, awaits and bursts). */
  readonly steps: readonly number[];
  /** When the start comes at the earliest: the sleeps before it in its lane. */
  readonly startAtMs: number;
}

export type ScheduleJsonRead =
  { readonly ok: true; readonly schedule: ScheduleJson } | { readonly ok: false; readonly error: string };

/** Reads the shape of a schedule file; the nemesis's own parser judges the fault names and fields. */
export function scheduleJsonRead(raw: unknown, where: string): ScheduleJsonRead {
  if (!isObject(raw)) return { ok: false, error: `${where}: expected an object with "steps" or "lanes"` };
  const repeat = raw['repeat'] ?? false;
  if (typeof repeat !== 'boolean') return { ok: false, error: `${where}.repeat: expected true or false` };
  const oneLane = raw['lanes'] === undefined;
  const lanesRaw: unknown = oneLane ? [raw['steps']] : raw['lanes'];
  if (!Array.isArray(lanesRaw) || lanesRaw.length === 0)
    return { ok: false, error: `${where}.lanes: expected a non-empty list of lanes` };
  const lanes: StepJson[][] = [];
  for (const [i, lane] of lanesRaw.entries()) {
    const at = oneLane ? `${where}.steps` : `${where}.lanes[${i}]`;
    if (!Array.isArray(lane) || lane.length === 0) return { ok: false, error: `${at}: expected a non-empty list` };
    for (const [j, step] of lane.entries()) {
      if (!isObject(step) || stepKindOf(step) === null)
        return { ok: false, error: `${at}[${j}]: expected a sleep, start, stop, await, burst or mark step` };
    }
    lanes.push(lane as StepJson[]);
  }
  return { ok: true, schedule: Object.freeze({ lanes: Object.freeze(lanes), repeat, oneLane }) };
}

export function stepKindOf(step: StepJson): StepKind | null {
  for (const kind of ['sleep', 'stop', 'start', 'await', 'burst', 'mark'] as const)
    if (step[kind] !== undefined) return kind;
  return null;
}

/** Every episode of the schedule, lane by lane. */
export function episodesOf(schedule: ScheduleJson): readonly Episode[] {
  const episodes: Episode[] = [];
  schedule.lanes.forEach((lane, laneIndex) => {
    for (const episode of laneEpisodes(lane, laneIndex)) episodes.push({ ...episode, index: episodes.length });
  });
  return Object.freeze(episodes);
}

/**
 * A start opens an episode of its fault and the next stop of that fault
 * closes it (a second start while it is open joins it). An await or burst
 * goes with the next start in the lane, the strike it times or loads; one
 * after the last start goes with the last episode.
 */
function laneEpisodes(lane: readonly StepJson[], laneIndex: number): Omit<Episode, 'index'>[] {
  const episodes: { lane: number; fault: string; steps: number[]; startAtMs: number }[] = [];
  const open = new Map<string, number>();
  let leading: number[] = [];
  let atMs = 0;
  lane.forEach((step, i) => {
    const kind = stepKindOf(step);
    if (kind === 'sleep') atMs += durationMsOf(step['sleep']);
    else if (kind === 'await' || kind === 'burst') leading.push(i);
    else if (kind === 'start') {
      const fault = String(step['start']);
      const openAt = open.get(fault);
      if (openAt !== undefined) episodes[openAt]!.steps.push(...leading, i);
      else {
        open.set(fault, episodes.length);
        episodes.push({ lane: laneIndex, fault, steps: [...leading, i], startAtMs: atMs });
      }
      leading = [];
    } else if (kind === 'stop') {
      const openAt = open.get(String(step['stop']));
      if (openAt !== undefined) episodes[openAt]!.steps.push(i);
      open.delete(String(step['stop']));
    }
  });
  if (leading.length > 0 && episodes.length > 0) episodes[episodes.length - 1]!.steps.push(...leading);
  return episodes.map((episode) => ({ ...episode, steps: Object.freeze(episode.steps.sort((a, b) => a - b)) }));
}

/**
 * The schedule with only the kept episodes: their steps, every sleep, and the
 * steps of no episode (a stop of a fault never started). A lane left with no
 * start is dropped; sleeps after a lane's last kept step are cut.
 */
export function scheduleKeep(
  schedule: ScheduleJson,
  episodes: readonly Episode[],
  kept: readonly number[],
): ScheduleJson {
  const keptSet = new Set(kept);
  const owner = new Map<string, number>();
  for (const episode of episodes) for (const step of episode.steps) owner.set(`${episode.lane}/${step}`, episode.index);
  const lanes = schedule.lanes
    .map((lane, laneIndex) =>
      lane.filter((_, i) => {
        const episode = owner.get(`${laneIndex}/${i}`);
        return episode === undefined || keptSet.has(episode);
      }),
    )
    .map(marksDangling)
    .filter((lane) => lane.some((step) => stepKindOf(step) === 'start'))
    .map((lane) => lane.slice(0, lastIndex(lane, (step) => stepKindOf(step) !== 'sleep') + 1));
  return Object.freeze({ ...schedule, lanes: Object.freeze(lanes) });
}

/** Without the marks (notes naming the scenario that follows) whose scenario lost every start. */
function marksDangling(lane: readonly StepJson[]): StepJson[] {
  return lane.filter((step, i) => {
    if (stepKindOf(step) !== 'mark') return true;
    for (const next of lane.slice(i + 1)) {
      const kind = stepKindOf(next);
      if (kind === 'start') return true;
      if (kind === 'mark') return false;
    }
    return false;
  });
}

/** Time a start or stop is allowed in the span estimate (a kill, a restart, a promotion take a moment). */
export const stepAllowanceMs = 500;

/**
 * When the last step of the schedule has run at the latest: per lane, its
 * sleeps, its awaits' timeouts and an allowance per start and stop, up to its
 * last step. Null for a repeating schedule, which has no end.
 */
export function scheduleSpanMs(schedule: ScheduleJson): number | null {
  if (schedule.repeat) return null;
  let spanMs = 0;
  for (const lane of schedule.lanes) {
    let atMs = 0;
    for (const step of lane) atMs += stepMsMax(step);
    spanMs = Math.max(spanMs, atMs);
  }
  return spanMs;
}

function stepMsMax(step: StepJson): number {
  switch (stepKindOf(step)) {
    case 'sleep':
      return durationMsOf(step['sleep']);
    case 'await':
      return durationMsOf(step['timeout']);
    case 'start':
      return stepAllowanceMs * (typeof step['untilOk'] === 'number' ? step['untilOk'] : 1);
    case 'stop':
      return stepAllowanceMs;
    case 'burst':
    case 'mark':
    case null:
      return 0;
  }
}

/** The file's JSON, a step per line: {"steps": [...]} for one lane read from "steps", else {"lanes": [...]}. */
export function scheduleJsonText(schedule: ScheduleJson): string {
  const laneText = (lane: readonly StepJson[], indent: string): string =>
    `[\n${lane.map((step) => `${indent}  ${stepText(step)}`).join(',\n')}\n${indent}]`;
  const repeat = schedule.repeat ? ',\n  "repeat": true' : '';
  if (schedule.oneLane && schedule.lanes.length === 1)
    return `{\n  "steps": ${laneText(schedule.lanes[0]!, '  ')}${repeat}\n}\n`;
  const lanes = schedule.lanes.map((lane) => `    ${laneText(lane, '    ')}`).join(',\n');
  return `{\n  "lanes": [\n${lanes}\n  ]${repeat}\n}\n`;
}

/** `{ "start": "kill-node", "targets": ["s00"] }`, as the hand-written schedules spell a step. */
function stepText(step: StepJson): string {
  const fields = Object.entries(step).map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`);
  return `{ ${fields.join(', ')} }`;
}

export function scheduleStarts(schedule: ScheduleJson): number {
  return schedule.lanes.reduce((sum, lane) => sum + lane.filter((step) => stepKindOf(step) === 'start').length, 0);
}

function durationMsOf(raw: unknown): number {
  if (typeof raw !== 'string') return 0;
  const parsed = durationParse(raw);
  return parsed.ok ? parsed.ms : 0;
}

function lastIndex<T>(items: readonly T[], predicate: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (predicate(items[i]!)) return i;
  return -1;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
