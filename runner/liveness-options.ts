// The liveness phase's flags, validated once: the bound of each of its waits
// (--liveness-timeout) and, for the workbench's own tests, a storage node to
// keep stopped after the heal (--liveness-keep-stopped). Messages name the flag.

import type { Geometry } from '../cluster/config.js';
import { storageNodeId, type NodeId } from '../cluster/topology.js';
import { durationParse } from '../core/duration.js';

export const livenessTimeoutDefault = '20s';
/** Bound on --liveness-timeout: the phase has three waits of it, and a run should end within the hour. */
export const livenessTimeoutMsMax = 10 * 60_000;

export type LivenessOptionsParse =
  | { readonly ok: true; readonly timeoutMs: number; readonly keepStopped: NodeId | null }
  | { readonly ok: false; readonly error: string };

export function livenessOptionsParse(
  timeoutText: string,
  keepStoppedText: string | undefined,
  where: { readonly runtime: string; readonly geometry: Geometry },
): LivenessOptionsParse {
  const timeout = durationParse(timeoutText, livenessTimeoutMsMax);
  if (!timeout.ok) return { ok: false, error: `--liveness-timeout: ${timeout.error}` };
  if (timeout.ms <= 0) return { ok: false, error: `--liveness-timeout: must be longer than 0, got "${timeoutText}"` };
  if (keepStoppedText === undefined) return { ok: true, timeoutMs: timeout.ms, keepStopped: null };
  if (where.runtime === 'memory')
    return { ok: false, error: '--liveness-keep-stopped: the memory runtime has no storage nodes to stop' };
  const ids: string[] = [];
  for (let az = 0; az < where.geometry.azCount; az++)
    for (let n = 0; n < where.geometry.nodesPerAz; n++) ids.push(storageNodeId(az, n));
  if (!ids.includes(keepStoppedText))
    return {
      ok: false,
      error: `--liveness-keep-stopped: expected a storage node (${ids.join(', ')}), got "${keepStoppedText}"`,
    };
  return { ok: true, timeoutMs: timeout.ms, keepStopped: keepStoppedText as NodeId };
}
