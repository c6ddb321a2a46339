// Running a host tool (iptables, tc) inside one container's network namespace
// with nsenter, bounded in time, with the outcome as a value. The images carry
// no tools: faults are applied from the host, which needs root (CAP_NET_ADMIN
// and CAP_SYS_ADMIN) and the iptables and tc binaries.

import { execa } from 'execa';

/** Bound on one tool run inside a namespace. */
export const netnsExecTimeoutMs = 10_000;

export type NetnsExecResult =
  { readonly ok: true; readonly stdout: string } | { readonly ok: false; readonly error: string };

export async function netnsExec(pid: number, command: readonly string[]): Promise<NetnsExecResult> {
  const result = await execa('nsenter', ['-t', String(pid), '-n', ...command], {
    reject: false,
    timeout: netnsExecTimeoutMs,
    stdin: 'ignore',
  });
  if (result.exitCode === 0) return { ok: true, stdout: result.stdout };
  const why = result.timedOut
    ? `timed out after ${netnsExecTimeoutMs} ms`
    : result.failed && result.exitCode === undefined
      ? result.shortMessage
      : `exit ${result.exitCode}`;
  const hint = /Operation not permitted|Permission denied/.test(result.stderr)
    ? ' (network faults on the docker runtime need root)'
    : '';
  return {
    ok: false,
    error: `nsenter -t ${pid} -n ${command.join(' ')}: ${why}: ${result.stderr.trim() || result.stdout.trim()}${hint}`,
  };
}
