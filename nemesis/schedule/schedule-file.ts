// A scripted nemesis schedule from a JSON file, parsed once into a frozen
// ScheduleSpec; every error names the file, the step and the field. The same
// format is what a run writes out as schedule.json (planFileJson), so a run's
// nemesis replays from it:
//   {"repeat": false, "steps": [{"sleep": "5s"}, {"start": "kill-az"},
//    {"start": "kill-node", "targets": ["s00"]}, {"stop": "kill-az"}]}
// or {"lanes": [[...steps...], [...steps...]]}, lanes run concurrently. Steps:
//   {"sleep": "2s"}   {"stop": FAULT}   {"burst": 16, "for": "1500ms"}
//   {"start": FAULT, "targets"?: [NODE...] | "aim"?: AIM, "count"?: N, "untilOk"?: ATTEMPTS}
//   {"await": EVENT, "timeout": "5s"}   {"mark": LABEL} (a note for readers, e.g. the scenario that follows)
//   {"solo": "begin"} ... {"solo": "end"} (the lane plays alone in between: plan.ts)

import type { NodeId } from '../../cluster/topology.js';
import { durationParse } from '../../core/duration.js';
import type { JsonValue } from '../../core/history.js';
import { faultSpecOf, faultSpecs } from '../faults/fault-catalog.js';
import {
  aimOf,
  awaitEvents,
  awaitStep,
  burstStep,
  laneFaultsShared,
  markStep,
  planAimNames,
  planFaults,
  planLimits,
  sleepStep,
  soloStep,
  startPlanStep,
  stopPlanStep,
  type AwaitEvent,
  type PlanAimName,
  type PlanLane,
  type PlanStep,
  type PlanTargets,
  type SchedulePlan,
} from './plan.js';
import type { ScheduleSpec, ScriptStep } from './schedule.js';

/** The format in a few lines, for --help. */
export const scheduleFileHelp = [
  '{"steps": [STEP...]} (one lane) or {"lanes": [[STEP...], [STEP...]]} (run concurrently), "repeat": true|false',
  'STEP: {"sleep": "2s"}  {"stop": FAULT}  {"await": EVENT, "timeout": "5s"}  {"burst": CLIENTS, "for": "1500ms"}',
  '      {"solo": "begin"} ... {"solo": "end"}: the other lanes start no fault in between',
  '      {"start": FAULT, "targets": [NODE...]} or {"start": FAULT, "aim": AIM, "count": N}, "untilOk": ATTEMPTS',
  `AIM: ${planAimNames.join(', ')}`,
  `EVENT: ${awaitEvents.join(', ')}`,
].join('\n');

/** Bound on the steps of one lane of a script. */
export const scriptStepsMax = planLimits.stepsMax;

export type ScheduleFileParse =
  | { readonly ok: true; readonly spec: Extract<ScheduleSpec, { kind: 'script' }>; readonly faults: readonly string[] }
  | { readonly ok: false; readonly error: string };

class ScriptError extends Error {}

type Raw = Record<string, unknown>;

export function scheduleFileParse(path: string, text: string): ScheduleFileParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${path}: not JSON: ${(error as Error).message.replace(/\s+/g, ' ')}` };
  }
  try {
    if (!isObject(raw))
      throw new ScriptError(`${path}: expected an object with "steps" or "lanes" (and optionally "repeat")`);
    const unknown = Object.keys(raw).find((key) => !['steps', 'lanes', 'repeat'].includes(key));
    if (unknown !== undefined)
      throw new ScriptError(`${path}.${unknown}: unknown field; expected steps, lanes, repeat`);
    const repeat = raw['repeat'] ?? false;
    if (typeof repeat !== 'boolean')
      throw new ScriptError(`${path}.repeat: expected true or false, got ${JSON.stringify(repeat)}`);
    const lanes = lanesParse(raw, path);
    const shared = laneFaultsShared(lanes);
    if (shared.length > 0)
      throw new ScriptError(`${path}.lanes: ${shared.join(', ')} used by two lanes; a fault is one instance`);
    if (!lanes.some((lane) => lane.some((step) => step.kind === 'start')))
      throw new ScriptError(`${path}.steps: no step starts a fault`);
    const steps = lanes.flatMap((lane) => lane.filter(isScriptStep));
    const spec = {
      kind: 'script' as const,
      source: path,
      lanes: Object.freeze(lanes),
      steps: Object.freeze(steps),
      repeat,
    };
    return { ok: true, spec: Object.freeze(spec), faults: planFaults({ lanes }) };
  } catch (error) {
    if (error instanceof ScriptError) return { ok: false, error: error.message };
    throw error;
  }
}

/** A plan in the file format, durations in milliseconds ("1500ms"); scheduleFileParse reads it back. */
/** One step as a schedule file writes it. */
type StepJson = { readonly [key: string]: JsonValue };

export function planFileJson(plan: SchedulePlan): { readonly lanes: readonly (readonly StepJson[])[] } {
  return { lanes: plan.lanes.map((lane) => lane.map(stepJson)) };
}

function stepJson(step: PlanStep): StepJson {
  switch (step.kind) {
    case 'sleep':
      return { sleep: `${step.ms}ms` };
    case 'stop':
      return { stop: step.fault };
    case 'await':
      return { await: step.event, timeout: `${step.timeoutMs}ms` };
    case 'burst':
      return { burst: step.clients, for: `${step.forMs}ms` };
    case 'mark':
      return { mark: step.label };
    case 'solo':
      return { solo: step.begin ? 'begin' : 'end' };
    case 'start': {
      const targets = step.targets;
      const aimed: StepJson =
        targets === null
          ? {}
          : isNodeList(targets)
            ? { targets: [...targets] }
            : { aim: targets.aim, ...(targets.count === undefined ? {} : { count: targets.count }) };
      return { start: step.fault, ...aimed, ...(step.attempts > 1 ? { untilOk: step.attempts } : {}) };
    }
  }
}

function isNodeList(targets: PlanTargets): targets is readonly NodeId[] {
  return Array.isArray(targets);
}

function lanesParse(raw: Raw, path: string): PlanLane[] {
  if (raw['steps'] !== undefined && raw['lanes'] !== undefined)
    throw new ScriptError(`${path}: expected "steps" (one lane) or "lanes", not both`);
  if (raw['lanes'] === undefined) return [laneParse(raw['steps'], `${path}.steps`)];
  const lanes = raw['lanes'];
  if (!Array.isArray(lanes) || lanes.length === 0 || lanes.length > planLimits.lanesMax)
    throw new ScriptError(`${path}.lanes: expected 1 to ${planLimits.lanesMax} lists of steps`);
  return lanes.map((lane: unknown, i) => laneParse(lane, `${path}.lanes[${i}]`));
}

function laneParse(raw: unknown, where: string): PlanLane {
  if (!Array.isArray(raw) || raw.length === 0) throw new ScriptError(`${where}: expected a non-empty list of steps`);
  if (raw.length > scriptStepsMax)
    throw new ScriptError(`${where}: at most ${scriptStepsMax} steps, got ${raw.length}`);
  const steps = raw.map((step: unknown, i) => stepParse(step, `${where}[${i}]`));
  let solo = false;
  steps.forEach((step, i) => {
    if (step.kind !== 'solo') return;
    if (step.begin === solo)
      throw new ScriptError(
        `${where}[${i}].solo: "${step.begin ? 'begin' : 'end'}" ${solo ? 'inside' : 'outside'} a solo`,
      );
    solo = step.begin;
  });
  return Object.freeze(steps);
}

const stepForms =
  '{"sleep": "5s"}, {"start": FAULT, "targets"?: [NODE...], "aim"?: AIM, "count"?: N, "untilOk"?: N}, {"stop": FAULT}, {"await": EVENT, "timeout": "5s"}, {"burst": CLIENTS, "for": "1500ms"} or {"solo": "begin" | "end"}';

function stepParse(raw: unknown, where: string): PlanStep {
  if (!isObject(raw)) throw new ScriptError(`${where}: expected ${stepForms}, got ${JSON.stringify(raw)}`);
  const only = (...keys: string[]): void => {
    const extra = Object.keys(raw).find((key) => !keys.includes(key));
    if (extra !== undefined) throw new ScriptError(`${where}.${extra}: unknown field; expected ${keys.join(', ')}`);
  };
  if (raw['sleep'] !== undefined) {
    only('sleep');
    return sleepStep(durationField(raw['sleep'], `${where}.sleep`, Number.MAX_SAFE_INTEGER));
  }
  if (raw['stop'] !== undefined) {
    only('stop');
    return stopPlanStep(faultParse(raw['stop'], `${where}.stop`));
  }
  if (raw['start'] !== undefined) {
    only('start', 'targets', 'aim', 'count', 'untilOk');
    const attempts =
      raw['untilOk'] === undefined ? 1 : integerField(raw['untilOk'], `${where}.untilOk`, 1, planLimits.attemptsMax);
    return startPlanStep(faultParse(raw['start'], `${where}.start`), targetsParse(raw, where), attempts);
  }
  if (raw['await'] !== undefined) {
    only('await', 'timeout');
    const event = raw['await'];
    if (typeof event !== 'string' || !(awaitEvents as readonly string[]).includes(event))
      throw new ScriptError(`${where}.await: unknown event ${JSON.stringify(event)}; known: ${awaitEvents.join(', ')}`);
    const timeoutMs = durationField(raw['timeout'], `${where}.timeout`, planLimits.awaitTimeoutMsMax);
    return awaitStep(event as AwaitEvent, timeoutMs);
  }
  if (raw['mark'] !== undefined) {
    only('mark');
    const label = raw['mark'];
    if (typeof label !== 'string' || label.length === 0 || label.length > planLimits.markLengthMax)
      throw new ScriptError(`${where}.mark: expected a label of 1 to ${planLimits.markLengthMax} characters`);
    return markStep(label);
  }
  if (raw['solo'] !== undefined) {
    only('solo');
    const edge = raw['solo'];
    if (edge !== 'begin' && edge !== 'end')
      throw new ScriptError(`${where}.solo: expected "begin" or "end", got ${JSON.stringify(edge)}`);
    return soloStep(edge === 'begin');
  }
  if (raw['burst'] !== undefined) {
    only('burst', 'for');
    const clients = integerField(raw['burst'], `${where}.burst`, 1, planLimits.burstClientsMax);
    return burstStep(clients, durationField(raw['for'], `${where}.for`, planLimits.burstForMsMax));
  }
  throw new ScriptError(`${where}: expected ${stepForms}, got ${JSON.stringify(raw)}`);
}

function faultParse(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || faultSpecOf(raw) === undefined) {
    throw new ScriptError(
      `${where}: unknown fault ${JSON.stringify(raw)}; known: ${faultSpecs.map((fault) => fault.name).join(', ')}`,
    );
  }
  return raw;
}

function targetsParse(raw: Raw, where: string): PlanTargets {
  const { targets, aim, count } = raw;
  if (targets !== undefined && (aim !== undefined || count !== undefined))
    throw new ScriptError(`${where}.targets: expected "targets" or "aim" (with "count"), not both`);
  if (targets !== undefined) return nodeIdsParse(targets, `${where}.targets`);
  if (aim === undefined) {
    if (count !== undefined) throw new ScriptError(`${where}.count: a count needs an "aim"`);
    return null;
  }
  if (typeof aim !== 'string' || !(planAimNames as readonly string[]).includes(aim))
    throw new ScriptError(`${where}.aim: unknown aim ${JSON.stringify(aim)}; known: ${planAimNames.join(', ')}`);
  const cut = count === undefined ? undefined : integerField(count, `${where}.count`, 1, planLimits.countMax);
  return aimOf(aim as PlanAimName, cut);
}

function nodeIdsParse(raw: unknown, where: string): readonly NodeId[] {
  if (
    !Array.isArray(raw) ||
    raw.length === 0 ||
    !raw.every((id) => typeof id === 'string' && /^(s\d+|w\d+)$/.test(id))
  ) {
    throw new ScriptError(
      `${where}: expected a non-empty list of node ids like "s00" or "w0", got ${JSON.stringify(raw)}`,
    );
  }
  return Object.freeze(raw as NodeId[]);
}

function durationField(raw: unknown, where: string, msMax: number): number {
  if (typeof raw !== 'string')
    throw new ScriptError(`${where}: expected a duration like "1500ms", got ${JSON.stringify(raw)}`);
  const parsed = durationParse(raw, msMax);
  if (!parsed.ok) throw new ScriptError(`${where}: ${parsed.error}`);
  return parsed.ms;
}

function integerField(raw: unknown, where: string, low: number, high: number): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < low || raw > high)
    throw new ScriptError(`${where}: expected an integer from ${low} to ${high}, got ${JSON.stringify(raw)}`);
  return raw;
}

function isScriptStep(step: PlanStep): step is ScriptStep {
  return step.kind === 'start' || step.kind === 'stop' || step.kind === 'sleep';
}

function isObject(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
