// A netfilter sidecar: a container of the netfilter image joined to one node
// container's network namespace (`NetworkMode: container:<node>`) with
// NET_ADMIN, idle until the workbench runs iptables in it through the engine
// API (exec). It is how partitions reach a container on an engine the
// workbench has no shell on: nothing but the engine's API is needed, and the
// rules and their counters are the same as the host's nsenter gives. A node
// that restarts has a new namespace, so its sidecar is made again; a paused
// node's sidecar still answers (it is its own container).

import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { errorText, withTimeout } from './docker-engine.js';
import { labelRole, runLabels } from './docker-labels.js';
import { imageNodePath } from './image-inputs.js';
import type { NetnsExecResult } from './netns-exec.js';
import type { ToolRun } from './packet-filter.js';
import { netfilterIptablesPath } from './swarm-netfilter-image.js';

/** Bound on one engine call about a sidecar, and on one iptables run in it. */
export const sidecarCallTimeoutMs = 15_000;
/** The sidecar's idle process: a timer that never fires (the longest a Node timer waits). */
const idleScript = 'setInterval(() => {}, 2 ** 31 - 1)';
/** Characters of a failed tool's output kept in the error. */
const outputCharsMax = 500;

export function sidecarName(container: string): string {
  return `${container}-nf`;
}

export class NetfilterSidecar {
  private constructor(
    private readonly container: Docker.Container,
    readonly name: string,
  ) {}

  /** Creates and starts the sidecar in `target`'s network namespace, labelled with the run. */
  static async attach(docker: Docker, image: string, runId: string, target: string): Promise<NetfilterSidecar> {
    const name = sidecarName(target);
    const container = await withTimeout(
      docker.createContainer({
        name,
        Image: image,
        Entrypoint: [imageNodePath],
        Cmd: ['-e', idleScript],
        Labels: { ...runLabels(runId), [labelRole]: 'netfilter' },
        HostConfig: { NetworkMode: `container:${target}`, CapAdd: ['NET_ADMIN'] },
      }),
      sidecarCallTimeoutMs,
    );
    await withTimeout(container.start(), sidecarCallTimeoutMs);
    return new NetfilterSidecar(container, name);
  }

  /** The rules' tool runner (packet-filter.ts): "iptables ..." run in the sidecar. */
  toolRun(): ToolRun {
    return (command) => this.exec(command);
  }

  async exec(command: readonly string[]): Promise<NetnsExecResult> {
    const [tool, ...args] = command;
    if (tool !== 'iptables') return { ok: false, error: `the netfilter sidecar runs iptables only, not ${tool}` };
    try {
      return await withTimeout(this.execRun([netfilterIptablesPath, ...args]), sidecarCallTimeoutMs, this.name);
    } catch (error) {
      return { ok: false, error: `${this.name}: iptables ${args.join(' ')}: ${errorText(error)}` };
    }
  }

  async remove(): Promise<void> {
    await withTimeout(this.container.remove({ force: true }), sidecarCallTimeoutMs);
  }

  private async execRun(cmd: readonly string[]): Promise<NetnsExecResult> {
    const { code, stdout, stderr } = await containerExec(this.container, cmd);
    if (code === 0) return { ok: true, stdout };
    const why = stderr.trim() || stdout.trim();
    return { ok: false, error: `${this.name}: ${cmd.join(' ')}: exit ${code ?? '?'}: ${why.slice(0, outputCharsMax)}` };
  }
}

/** The engine's demultiplexer of an exec's output (dockerode leaves its modem untyped). */
interface Demux {
  demuxStream(stream: NodeJS.ReadableStream, stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): void;
}

/** Runs a command in a running container through the engine API (unbounded: callers bound it). */
export async function containerExec(
  container: Docker.Container,
  cmd: readonly string[],
): Promise<{ readonly code: number | null; readonly stdout: string; readonly stderr: string }> {
  const exec = await container.exec({ Cmd: [...cmd], AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] };
  out.on('data', (chunk: Buffer) => chunks.out.push(chunk));
  err.on('data', (chunk: Buffer) => chunks.err.push(chunk));
  (container.modem as Demux).demuxStream(stream, out, err);
  await new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const { ExitCode: code } = await exec.inspect();
  return {
    code: code ?? null,
    stdout: Buffer.concat(chunks.out).toString('utf8'),
    stderr: Buffer.concat(chunks.err).toString('utf8'),
  };
}
