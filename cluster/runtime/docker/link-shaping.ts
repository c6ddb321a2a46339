// Slow and lossy links with tc netem inside a container's network namespace.
// netem shapes what leaves an interface, so the directed link from A to B is
// shaped on A's eth0 for packets to B's address: a prio qdisc whose default
// band is untouched, one band per shaped destination with a netem child, and a
// u32 filter steering that destination into its band. Kernels without netem
// (or prio) exist; support is detected once and said plainly.

import { execa } from 'execa';
import { assert } from '../../../core/assert.js';
import { netnsExec, netnsExecTimeoutMs } from './netns-exec.js';

export interface LinkShape {
  readonly delayMs: number;
  /** Uniform jitter added to delayMs. */
  readonly jitterMs: number;
  /** Packets lost, in percent (TCP retransmits them: the stream slows, it does not corrupt). */
  readonly lossPercent: number;
}

export type NetemSupport = { readonly supported: true } | { readonly supported: false; readonly reason: string };

/** How a run says that slow and lossy links cannot be had here (tc's own words follow after a colon). */
export const netemMissingReason = 'not available on this kernel: tc netem missing';

/** prio allows 16 bands; band 0 carries unshaped traffic. */
export const shapedDestinationsMax = 15;
const device = 'eth0';

let support: Promise<NetemSupport> | null = null;

/** Tries netem and prio once per process on a namespace's loopback (then removes them). */
export function netemSupport(pid: number): Promise<NetemSupport> {
  support ??= (async (): Promise<NetemSupport> => {
    for (const kind of [['netem', 'delay', '1ms'], ['prio']]) {
      const added = await netnsExec(pid, ['tc', 'qdisc', 'add', 'dev', 'lo', 'root', ...kind]);
      if (!added.ok)
        return {
          supported: false,
          reason: `${netemMissingReason}: tc ${kind[0]} says "${added.error.replace(/^Error: /, '')}"; the local runtime's proxy can slow links instead`,
        };
      const removed = await netnsExec(pid, ['tc', 'qdisc', 'del', 'dev', 'lo', 'root']);
      if (!removed.ok) return { supported: false, reason: removed.error };
    }
    return { supported: true };
  })();
  return support;
}

/**
 * Shapes packets to `address` leaving the namespace; `band` (1..15) is the
 * destination's slot on this node, chosen by the caller, and `fresh` says the
 * node has no shaping yet (after start or a heal).
 */
export async function linkShapeSet(
  pid: number,
  band: number,
  address: string,
  shape: LinkShape,
  fresh: boolean,
): Promise<string | null> {
  assert(
    Number.isInteger(band) && band >= 1 && band <= shapedDestinationsMax,
    `band must be in 1..${shapedDestinationsMax}, got ${band}`,
  );
  // tc reads class minors and handles as hexadecimal.
  const classId = `1:${(band + 1).toString(16)}`;
  const netem = [
    'netem',
    'delay',
    `${shape.delayMs}ms`,
    ...(shape.jitterMs > 0 ? [`${shape.jitterMs}ms`] : []),
    'loss',
    `${shape.lossPercent}%`,
  ];
  const steps: string[][] = [];
  if (fresh)
    steps.push([
      'tc',
      'qdisc',
      'replace',
      'dev',
      device,
      'root',
      'handle',
      '1:',
      'prio',
      'bands',
      '16',
      'priomap',
      ...new Array<string>(16).fill('0'),
    ]);
  steps.push([
    'tc',
    'qdisc',
    'replace',
    'dev',
    device,
    'parent',
    classId,
    'handle',
    `${(band + 0x10).toString(16)}:`,
    ...netem,
  ]);
  if (fresh || !(await filterPresent(pid, classId))) {
    steps.push([
      'tc',
      'filter',
      'add',
      'dev',
      device,
      'parent',
      '1:',
      'protocol',
      'ip',
      'prio',
      '1',
      'u32',
      'match',
      'ip',
      'dst',
      `${address}/32`,
      'flowid',
      classId,
    ]);
  }
  for (const step of steps) {
    const result = await netnsExec(pid, step);
    if (!result.ok) return result.error;
  }
  return null;
}

/** Removes every shaping of the namespace. */
export async function linkShapesClear(pid: number): Promise<string | null> {
  const result = await netnsExec(pid, ['tc', 'qdisc', 'del', 'dev', device, 'root']);
  // "No such file or directory" / "Cannot delete qdisc with handle of zero": there was nothing to clear.
  if (!result.ok && !/No such file|handle of zero|Invalid handle/i.test(result.error)) return result.error;
  return null;
}

async function filterPresent(pid: number, classId: string): Promise<boolean> {
  const listed = await netnsExec(pid, ['tc', 'filter', 'show', 'dev', device, 'parent', '1:']);
  return listed.ok && new RegExp(`flowid ${classId}\\b`).test(listed.stdout);
}

let hostSupport: Promise<NetemSupport> | null = null;

/**
 * The same question asked before any container runs (a run must refuse slow
 * links before it starts them): netem is tried on the loopback of a fresh,
 * throwaway network namespace, which shares the kernel with the containers.
 */
export function netemSupportHost(): Promise<NetemSupport> {
  hostSupport ??= (async (): Promise<NetemSupport> => {
    const result = await execa(
      'unshare',
      ['--net', 'tc', 'qdisc', 'add', 'dev', 'lo', 'root', 'netem', 'delay', '1ms'],
      { reject: false, timeout: netnsExecTimeoutMs, stdin: 'ignore' },
    );
    if (result.exitCode === 0) return { supported: true };
    const detail = result.stderr.trim() || (result.shortMessage ?? `exit ${String(result.exitCode)}`);
    return { supported: false, reason: `${netemMissingReason}: tc says "${detail.replace(/^Error: /, '')}"` };
  })();
  return hostSupport;
}
