// A schedule file names nodes by id; whether they exist depends on the run
// (its geometry and its standby writers), which the file parser does not know.
// Checked once the run's options are, so a step aimed at a node the cluster
// does not have is refused before the run instead of never taking effect.

import type { NodeId } from '../../cluster/topology.js';
import type { ScheduleSpec } from './schedule.js';

type ScriptSpec = Extract<ScheduleSpec, { kind: 'script' }>;

export type ScheduleTargetsCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

/** `nodes` are every node id of the run; `nodesText` says them briefly for the message ("s00..s52, w0..w1"). */
export function scheduleTargetsCheck(
  spec: ScriptSpec,
  nodes: ReadonlySet<NodeId>,
  nodesText: string,
): ScheduleTargetsCheck {
  for (const [l, lane] of spec.lanes.entries()) {
    for (const [i, step] of lane.entries()) {
      if (step.kind !== 'start' || !Array.isArray(step.targets)) continue;
      const targets = step.targets as readonly NodeId[];
      const missing = targets.find((id) => !nodes.has(id));
      if (missing === undefined) continue;
      const where = spec.lanes.length === 1 ? `steps[${i}]` : `lanes[${l}][${i}]`;
      return {
        ok: false,
        error: `${spec.source}.${where}.targets: ${missing} is not a node of this run (${nodesText})`,
      };
    }
  }
  return { ok: true };
}
