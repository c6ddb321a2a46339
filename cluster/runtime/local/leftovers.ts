// Leftovers of local runs that died without stopping their cluster: node
// processes whose owner is gone (found by their marker through /proc), and
// cluster state files whose `cluster up` process no longer runs. `cleanup`
// removes them and says what it removed.

import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { clusterStateFileName, clusterStateOwner, clusterStateRead, clusterStateRemove } from './cluster-state-file.js';
import { markedProcessesFind, procStartTicks } from './process-marker.js';
import type { MarkedProcess } from './process-marker.js';

export type Leftover =
  | {
      readonly kind: 'process';
      readonly pid: number;
      readonly runId: string;
      readonly nodeId: string;
      readonly removed: boolean;
      readonly note: string;
    }
  | { readonly kind: 'state-file'; readonly path: string; readonly removed: boolean; readonly note: string };

export interface LeftoverOptions {
  /** Directories that may hold a cluster state file (each one checked directly and one level down). */
  readonly stateDirs: readonly string[];
  /** Also kill marked processes whose owner still runs (a hung run). */
  readonly includeOwned: boolean;
}

/** Bound on waiting for killed processes to disappear. */
export const leftoverKillWaitMs = 3000;
const leftoverPollMs = 50;
/** Bound on directories looked at for state files under one store directory. */
const stateDirEntriesMax = 1000;

export async function localLeftoversRemove(options: LeftoverOptions): Promise<Leftover[]> {
  const processes = markedProcessesFind().filter((p) => p.orphaned || options.includeOwned);
  const removed: Leftover[] = await processesKill(processes);
  for (const file of stateFilesFind(options.stateDirs)) {
    const dir = path.dirname(file);
    const read = clusterStateRead(dir);
    // A state file whose process cannot be verified is left alone, as one of a running cluster is.
    if (read.ok && clusterStateOwner(read.state).t !== 'gone') continue;
    clusterStateRemove(dir);
    const note = read.ok ? `cluster process ${read.state.pid} is gone` : read.error;
    removed.push({ kind: 'state-file', path: file, removed: true, note });
  }
  return removed;
}

async function processesKill(processes: readonly MarkedProcess[]): Promise<Leftover[]> {
  const started = processes.map((p) => ({ p, ticks: p.startTicks }));
  // Checked again right before the signal: a pid reused since the scan belongs to someone else.
  for (const { p, ticks } of started) if (procStartTicks(p.pid) === ticks) signalGroup(p.pid);
  const deadline = performance.now() + leftoverKillWaitMs;
  const alive = (pid: number, ticks: number | null): boolean => ticks !== null && procStartTicks(pid) === ticks;
  while (started.some(({ p, ticks }) => alive(p.pid, ticks)) && performance.now() < deadline)
    await sleep(leftoverPollMs);
  return started.map(({ p, ticks }) => {
    const gone = !alive(p.pid, ticks);
    const owner = p.orphaned ? `owner ${p.ownerPid} gone` : `owner ${p.ownerPid} still running`;
    return {
      kind: 'process',
      pid: p.pid,
      runId: p.runId,
      nodeId: p.nodeId,
      removed: gone,
      note: gone ? `killed (${owner})` : `still alive after SIGKILL (${owner})`,
    };
  });
}

/** Each node leads its own process group; the group kill also takes anything it spawned. */
function signalGroup(pid: number): void {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGKILL');
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ESRCH' && code !== 'EPERM') throw error;
    }
  }
}

function stateFilesFind(dirs: readonly string[]): string[] {
  const files = new Set<string>();
  for (const dir of dirs) {
    const direct = path.join(dir, clusterStateFileName);
    if (existsSync(direct)) files.add(direct);
    if (!existsSync(dir)) continue;
    const entries = readdirSync(dir, { withFileTypes: true }).slice(0, stateDirEntriesMax);
    for (const entry of entries) {
      const nested = path.join(dir, entry.name, clusterStateFileName);
      if (entry.isDirectory() && existsSync(nested)) files.add(nested);
    }
  }
  return [...files].sort();
}
