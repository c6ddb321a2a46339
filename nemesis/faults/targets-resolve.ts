// A start's requested targets made concrete: node ids a script names are
// checked against the cluster; an aim is resolved from an observation taken
// now (nemesis/observe/aims.ts), so the fault strikes what the replicas hold
// at this moment; null leaves the seeded choice to the fault. What an aim saw
// goes into the outcome, so the history says why those nodes were hit.

import type { NodeId } from '../../cluster/topology.js';
import type { JsonValue } from '../../core/history.js';
import { aimResolve, type AimRequest, type AimShape } from '../observe/aims.js';
import { snapshotSummary } from '../observe/snapshot.js';
import type { NemesisOutcome } from '../nemesis.js';
import { outcomeError } from '../outcome.js';
import { targetsUnknown, type FaultEnv, type TargetsRequest } from './fault.js';

export type TargetsResolved =
  | {
      readonly ok: true;
      /** null: the fault chooses with the seed, as it does without a request. */
      readonly targets: readonly NodeId[] | null;
      /** For the outcome: the aim and what the observation saw (empty without an aim). */
      readonly details: Readonly<Record<string, JsonValue>>;
    }
  | { readonly ok: false; readonly outcome: NemesisOutcome };

export function isAimRequest(requested: TargetsRequest): requested is AimRequest {
  return requested !== null && !Array.isArray(requested);
}

export async function targetsResolve(
  env: FaultEnv,
  requested: TargetsRequest,
  shape: AimShape,
): Promise<TargetsResolved> {
  if (requested === null) return { ok: true, targets: null, details: {} };
  if (!isAimRequest(requested)) {
    const unknown = targetsUnknown(env.runtime, requested);
    if (unknown !== null) return { ok: false, outcome: outcomeError('unknown-target', unknown, requested) };
    return { ok: true, targets: requested, details: {} };
  }
  const snapshot = await env.observer.observe();
  const aim: JsonValue = { aim: requested.aim, ...(requested.count === undefined ? {} : { count: requested.count }) };
  const observed = snapshotSummary(snapshot);
  const resolved = aimResolve(requested, shape, snapshot, env.prng, env.struck());
  if (!resolved.ok) return { ok: false, outcome: outcomeError('aim-empty', resolved.error, [], { aim, observed }) };
  return { ok: true, targets: resolved.targets, details: { aim, observed } };
}

/** Resolved targets of one role only: a storage fault asked to strike a writer refuses it. */
export function targetsOfRole(
  env: FaultEnv,
  targets: readonly NodeId[],
  role: 'storage' | 'writer',
): { readonly ok: true } | { readonly ok: false; readonly outcome: NemesisOutcome } {
  const roles = new Map(env.runtime.nodes().map((node) => [node.id, node.role]));
  const wrong = targets.find((id) => roles.get(id) !== role);
  if (wrong === undefined) return { ok: true };
  return { ok: false, outcome: outcomeError('unknown-target', `${wrong} is not a ${role} node`, targets) };
}
