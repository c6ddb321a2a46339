// A scripted nemesis schedule from a JSON file, parsed once into a frozen
// ScheduleSpec; every error names the file and the field. The format:
//   {"repeat": false, "steps": [{"sleep": "5s"}, {"start": "kill-az"},
//    {"start": "kill-node", "targets": ["s00"]}, {"stop": "kill-az"}]}

import type { NodeId } from '../../cluster/topology.js';
import { durationParse } from '../../core/duration.js';
import { faultSpecOf, faultSpecs } from '../faults/fault-catalog.js';
import type { ScheduleSpec, ScriptStep } from './schedule.js';

/** Bound on the steps of one script. */
export const scriptStepsMax = 10_000;

export type ScheduleFileParse =
  | { readonly ok: true; readonly spec: Extract<ScheduleSpec, { kind: 'script' }>; readonly faults: readonly string[] }
  | { readonly ok: false; readonly error: string };

class ScriptError extends Error {}

export function scheduleFileParse(path: string, text: string): ScheduleFileParse {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `${path}: not JSON: ${(error as Error).message}` };
  }
  try {
    if (!isObject(raw)) throw new ScriptError(`${path}: expected an object with "steps" (and optionally "repeat")`);
    const unknown = Object.keys(raw).find((key) => key !== 'steps' && key !== 'repeat');
    if (unknown !== undefined) throw new ScriptError(`${path}.${unknown}: unknown field; expected steps, repeat`);
    const repeat = raw['repeat'] ?? false;
    if (typeof repeat !== 'boolean')
      throw new ScriptError(`${path}.repeat: expected true or false, got ${JSON.stringify(repeat)}`);
    const steps = raw['steps'];
    if (!Array.isArray(steps) || steps.length === 0)
      throw new ScriptError(`${path}.steps: expected a non-empty list of steps`);
    if (steps.length > scriptStepsMax)
      throw new ScriptError(`${path}.steps: at most ${scriptStepsMax} steps, got ${steps.length}`);
    const parsed = steps.map((step: unknown, i) => stepParse(step, `${path}.steps[${i}]`));
    const faults = [...new Set(parsed.flatMap((step) => (step.kind === 'sleep' ? [] : [step.fault])))];
    if (!parsed.some((step) => step.kind === 'start')) throw new ScriptError(`${path}.steps: no step starts a fault`);
    return {
      ok: true,
      spec: Object.freeze({ kind: 'script', source: path, steps: Object.freeze(parsed), repeat }),
      faults: Object.freeze(faults),
    };
  } catch (error) {
    if (error instanceof ScriptError) return { ok: false, error: error.message };
    throw error;
  }
}

function stepParse(raw: unknown, where: string): ScriptStep {
  if (!isObject(raw))
    throw new ScriptError(
      `${where}: expected {"sleep": "5s"}, {"start": FAULT} or {"stop": FAULT}, got ${JSON.stringify(raw)}`,
    );
  const keys = Object.keys(raw);
  if (keys.length === 1 && typeof raw['sleep'] === 'string') {
    const parsed = durationParse(raw['sleep']);
    if (!parsed.ok) throw new ScriptError(`${where}.sleep: ${parsed.error}`);
    return Object.freeze({ kind: 'sleep', ms: parsed.ms });
  }
  if (keys.length === 1 && raw['stop'] !== undefined)
    return Object.freeze({ kind: 'stop', fault: faultParse(raw['stop'], `${where}.stop`) });
  if (raw['start'] !== undefined && keys.every((key) => key === 'start' || key === 'targets')) {
    return Object.freeze({
      kind: 'start',
      fault: faultParse(raw['start'], `${where}.start`),
      targets: targetsParse(raw['targets'], `${where}.targets`),
    });
  }
  throw new ScriptError(
    `${where}: expected {"sleep": "5s"}, {"start": FAULT, "targets"?: [NODE...]} or {"stop": FAULT}, got ${JSON.stringify(raw)}`,
  );
}

function faultParse(raw: unknown, where: string): string {
  if (typeof raw !== 'string' || faultSpecOf(raw) === undefined) {
    throw new ScriptError(
      `${where}: unknown fault ${JSON.stringify(raw)}; known: ${faultSpecs.map((fault) => fault.name).join(', ')}`,
    );
  }
  return raw;
}

function targetsParse(raw: unknown, where: string): readonly NodeId[] | null {
  if (raw === undefined) return null;
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

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
