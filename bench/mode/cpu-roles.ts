// CPU time per role (the writer, the storage nodes together, the bench process
// itself), read from /proc as bench/store.ts does: container processes are host
// processes too. A runtime that cannot name its nodes' processes gives null.

import { readFileSync } from 'node:fs';
import type { Runtime } from '../../cluster/runtime/runtime.js';
import type { NodeId } from '../../cluster/topology.js';
import type { CpuPerOp } from './bench-file.js';

/** Linux reports process CPU time in clock ticks of 1/100 s (USER_HZ). */
const clockTicksPerSecond = 100;
const usPerSecond = 1_000_000;

export type CpuSample = CpuPerOp;

/** The runtimes that know their nodes' pids (local: sync, docker: async); others have no nodePid. */
type PidSource = { nodePid?: (id: NodeId) => number | null | Promise<number | null> };

export async function cpuSample(runtime: Runtime | null): Promise<CpuSample | null> {
  if (runtime === null) return null;
  const pidOf = (runtime as Runtime & PidSource).nodePid?.bind(runtime);
  if (pidOf === undefined) return null;
  let writer = 0;
  let storage = 0;
  for (const node of runtime.nodes()) {
    const pid = await pidOf(node.id);
    const us = pid === null ? null : procCpuUs(pid);
    // A node killed by the nemesis has no process: its CPU time since the last sample is lost, so say nothing.
    if (us === null) return null;
    if (node.role === 'writer') writer += us;
    else storage += us;
  }
  const own = process.cpuUsage();
  return { writer, storage, bench: own.user + own.system };
}

/** Per ok operation, between two samples; null when either is missing or nothing completed. */
export function cpuPerOp(before: CpuSample | null, after: CpuSample | null, ok: number): CpuPerOp | null {
  if (before === null || after === null || ok === 0) return null;
  return {
    writer: (after.writer - before.writer) / ok,
    storage: (after.storage - before.storage) / ok,
    bench: (after.bench - before.bench) / ok,
  };
}

/** utime + stime of a process from /proc/<pid>/stat, in microseconds; null where unreadable. */
export function procCpuUs(pid: number): number | null {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the parenthesised command name.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * usPerSecond) / clockTicksPerSecond;
}
