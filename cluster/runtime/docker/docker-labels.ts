// How the Docker runtime names and labels what it creates, so that every
// container and network of a run can be found again by its run id (by the run
// itself, by the signal handlers, and by `cleanup` after a crash).

import { procStartTicks, procState } from '../local/process-marker.js';
import type { NodeId, NodeRole } from '../../topology.js';

export const labelRun = 'quorumlab.run';
export const labelRole = 'quorumlab.role';
export const labelAz = 'quorumlab.az';
export const labelNode = 'quorumlab.node';
/** "<pid>:<start ticks>" of the process that owns the run; cleanup spares runs whose owner still lives. */
export const labelOwner = 'quorumlab.owner';

/** Run ids become parts of Docker object names, which allow [a-zA-Z0-9_.-]. */
const runIdPattern = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;

export function runIdCheck(runId: string): string | null {
  return runIdPattern.test(runId)
    ? null
    : `run id ${JSON.stringify(runId)} must match ${runIdPattern.source} to name containers and networks`;
}

export function containerName(runId: string, id: NodeId): string {
  return `ql-${runId}-${id}`;
}

export function networkName(runId: string): string {
  return `ql-${runId}`;
}

export function ownerLabelValue(pid: number = process.pid): string {
  return `${pid}:${procStartTicks(pid) ?? 0}`;
}

/** True when the process named by an owner label still runs (same pid, same start time); owners are on this machine. */
export function ownerAlive(value: string | undefined): boolean {
  if (value === undefined) return false;
  const [pidText, ticksText] = value.split(':');
  const pid = Number(pidText);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  const ticks = procStartTicks(pid);
  // A killed owner nobody has reaped yet is a zombie: it runs no code and will never clean up.
  const state = procState(pid);
  return ticks !== null && String(ticks) === ticksText && state !== 'Z' && state !== 'X';
}

export function runLabels(runId: string): Record<string, string> {
  return { [labelRun]: runId, [labelOwner]: ownerLabelValue() };
}

export function nodeLabels(runId: string, id: NodeId, role: NodeRole, az: number): Record<string, string> {
  return { ...runLabels(runId), [labelRole]: role, [labelAz]: String(az), [labelNode]: id };
}

/** The engine's label filter: one run, or every run when runId is undefined. */
export function runFilter(runId: string | undefined): string {
  return JSON.stringify({ label: [runId === undefined ? labelRun : `${labelRun}=${runId}`] });
}
