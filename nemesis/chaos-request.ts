// What a chaos operation's value asks for, read from the value the schedule
// recorded in the invoke: a start's targets ({targets: [...]} or {aim, count}),
// an await's bound ({timeoutMs}). Schedule files are validated where they are
// parsed; this reads the same shapes back and refuses an aim it does not know.

import type { NodeId } from '../cluster/topology.js';
import type { JsonValue } from '../core/history.js';
import type { TargetsRequest } from './faults/fault.js';
import { aimNames, type AimName } from './observe/aims.js';
import { awaitTimeoutMsMax } from './observe/await-event.js';

/** An await whose step gives no bound waits this long. */
export const awaitTimeoutMsDefault = 5000;

export type TargetsRead =
  { readonly ok: true; readonly requested: TargetsRequest } | { readonly ok: false; readonly error: string };

/** `{targets: [ids]}`, `{aim, count?}`, or anything else: the fault's seeded choice. */
export function targetsRequestOf(value: JsonValue): TargetsRead {
  const fields = recordOf(value);
  if (fields === null) return { ok: true, requested: null };
  const { targets, aim, count } = fields;
  if (Array.isArray(targets) && targets.every((t) => typeof t === 'string'))
    return { ok: true, requested: targets as NodeId[] };
  if (aim === undefined) return { ok: true, requested: null };
  if (typeof aim !== 'string' || !(aimNames as readonly string[]).includes(aim))
    return { ok: false, error: `aim ${JSON.stringify(aim)} is not one of ${aimNames.join(', ')}` };
  if (count === undefined) return { ok: true, requested: { aim: aim as AimName } };
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1)
    return { ok: false, error: `aim count must be a whole number of at least 1, got ${JSON.stringify(count)}` };
  return { ok: true, requested: { aim: aim as AimName, count } };
}

/** `{timeoutMs}`, capped at the longest await; the default without one. */
export function awaitTimeoutOf(value: JsonValue): number {
  const timeoutMs = recordOf(value)?.['timeoutMs'];
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) return awaitTimeoutMsDefault;
  return Math.min(timeoutMs, awaitTimeoutMsMax);
}

function recordOf(value: JsonValue): Readonly<Record<string, JsonValue>> | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Readonly<Record<string, JsonValue>>)
    : null;
}
