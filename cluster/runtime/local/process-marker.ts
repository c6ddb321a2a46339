// Marks every node process with the run that started it and the process that
// owns it, in its environment, and finds marked processes again through /proc.
// A marked process whose owner is no longer its parent is a leftover of a run
// that died without stopping its cluster.

import { readdirSync, readFileSync } from 'node:fs';

export const markerEnvRunId = 'QUORUMLAB_RUN_ID';
export const markerEnvNodeId = 'QUORUMLAB_NODE_ID';
export const markerEnvOwnerPid = 'QUORUMLAB_OWNER_PID';

export function processMarkerEnv(runId: string, nodeId: string): Record<string, string> {
  return { [markerEnvRunId]: runId, [markerEnvNodeId]: nodeId, [markerEnvOwnerPid]: String(process.pid) };
}

export interface MarkedProcess {
  readonly pid: number;
  readonly runId: string;
  readonly nodeId: string;
  readonly ownerPid: number;
  readonly parentPid: number;
  /** Start time of the process the marker was read from: a signal goes to the pid only while it still matches. */
  readonly startTicks: number;
  /** The owner is gone (the process was re-parented): nothing will stop it. */
  readonly orphaned: boolean;
}

/** Every process of this user that carries the marker (Linux /proc; empty elsewhere). */
export function markedProcessesFind(): MarkedProcess[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const found: MarkedProcess[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const marked = markedProcessRead(Number(entry));
    if (marked !== null) found.push(marked);
  }
  return found;
}

function markedProcessRead(pid: number): MarkedProcess | null {
  const startTicks = procStartTicks(pid);
  const environ = procRead(pid, 'environ');
  if (startTicks === null || environ === null || !environ.includes(`${markerEnvRunId}=`)) return null;
  // The pid may have been reused between the two reads: then the marker is not this process's.
  if (procStartTicks(pid) !== startTicks) return null;
  const env = new Map<string, string>();
  for (const pair of environ.split('\0')) {
    const eq = pair.indexOf('=');
    if (eq > 0) env.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  const parentPid = procParentPid(pid);
  const runId = env.get(markerEnvRunId);
  if (parentPid === null || runId === undefined) return null;
  const ownerPid = Number(env.get(markerEnvOwnerPid) ?? '0');
  return {
    pid,
    runId,
    nodeId: env.get(markerEnvNodeId) ?? '?',
    ownerPid,
    parentPid,
    startTicks,
    orphaned: parentPid !== ownerPid,
  };
}

/** The parent pid from /proc/<pid>/stat (the field after the parenthesised command name). */
export function procParentPid(pid: number): number | null {
  const stat = procRead(pid, 'stat');
  if (stat === null) return null;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  return Number.isInteger(ppid) ? ppid : null;
}

/** When the process started, in clock ticks since boot: with the pid, it names one process even after pid reuse. */
export function procStartTicks(pid: number): number | null {
  const stat = procRead(pid, 'stat');
  if (stat === null) return null;
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  return Number.isFinite(ticks) ? ticks : null;
}

/** The command line from /proc/<pid>/cmdline, arguments joined by spaces, or null when the process is gone. */
export function procCommandLine(pid: number): string | null {
  const cmdline = procRead(pid, 'cmdline');
  if (cmdline === null) return null;
  return cmdline.replace(/\0$/, '').split('\0').join(' ');
}

/** The one-letter state from /proc/<pid>/stat (R, S, T for stopped, Z, ...), or null when the process is gone. */
export function procState(pid: number): string | null {
  const stat = procRead(pid, 'stat');
  if (stat === null) return null;
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? null;
}

/** A process that exited between listing and reading, or one of another user, is simply skipped. */
function procRead(pid: number, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'latin1');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ESRCH' || code === 'EPERM') return null;
    throw error;
  }
}
