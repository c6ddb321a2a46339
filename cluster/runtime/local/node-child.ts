// One node as a child process: started with execa in its own process group
// (so a signal hits only that node), stdout and stderr appended to its log
// file, and marked with the run id in its environment so `cleanup` can find it
// if the runtime that started it dies without stopping it.

import { closeSync, openSync } from 'node:fs';
import { execa } from 'execa';
import type { NodeState } from '../runtime.js';
import type { NodeId } from '../../topology.js';
import { processMarkerEnv } from './process-marker.js';

export interface NodeLaunch {
  readonly id: NodeId;
  readonly runId: string;
  /** The built entry point, dist/cluster/<role>/main.js. */
  readonly script: string;
  readonly configPath: string;
  readonly logPath: string;
  /** Extra environment (QUORUMLAB_DETACHED for a cluster kept running by hand). */
  readonly env?: Readonly<Record<string, string>>;
}

type LogFd = 1;

export interface NodeExit {
  readonly code: number | null;
  readonly signal: string | null;
}

export class NodeChild {
  private pidCurrent: number | null = null;
  private paused = false;
  private exitInfo: NodeExit | null = null;
  private exitWaiters: (() => void)[] = [];

  constructor(readonly launch: NodeLaunch) {}

  get pid(): number | null {
    return this.pidCurrent;
  }

  get state(): NodeState {
    if (this.pidCurrent === null) return 'stopped';
    return this.paused ? 'paused' : 'running';
  }

  /** How the last process of this node ended, or null while one runs (or none ran). */
  get lastExit(): NodeExit | null {
    return this.exitInfo;
  }

  start(): void {
    if (this.pidCurrent !== null) throw new Error(`node ${this.launch.id} is already running (pid ${this.pidCurrent})`);
    // The log file is handed to the child as its own descriptor rather than piped
    // through this process, so a paused or dead parent never blocks or breaks
    // the node's output. execa passes a plain descriptor number straight to
    // spawn; its types only list the small standard numbers, hence the cast.
    const fd = openSync(this.launch.logPath, 'a') as LogFd;
    try {
      const subprocess = execa(process.execPath, [this.launch.script, this.launch.configPath], {
        stdin: 'ignore',
        stdout: fd,
        stderr: fd,
        detached: true,
        cleanup: false,
        reject: false,
        env: { ...processMarkerEnv(this.launch.runId, this.launch.id), ...this.launch.env },
      });
      if (subprocess.pid === undefined) throw new Error(`node ${this.launch.id}: spawn of ${process.execPath} failed`);
      const pid = subprocess.pid;
      this.pidCurrent = pid;
      this.paused = false;
      this.exitInfo = null;
      void subprocess.then((result) =>
        this.onExit(pid, { code: result.exitCode ?? null, signal: result.signal ?? null }),
      );
    } finally {
      closeSync(fd);
    }
  }

  /** Sends a signal to the node's process group; false when no process runs. */
  signal(signal: NodeJS.Signals): boolean {
    const pid = this.pidCurrent;
    if (pid === null) return false;
    try {
      process.kill(-pid, signal);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
      throw error;
    }
    if (signal === 'SIGSTOP') this.paused = true;
    if (signal === 'SIGCONT') this.paused = false;
    return true;
  }

  /** Resolves true once the process has exited, false if it still runs after timeoutMs. */
  waitExit(timeoutMs: number): Promise<boolean> {
    if (this.pidCurrent === null) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        this.exitWaiters = this.exitWaiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      this.exitWaiters.push(waiter);
    });
  }

  /** SIGKILL and wait for the exit. */
  async kill(exitWaitMs: number): Promise<void> {
    if (!this.signal('SIGKILL')) return;
    if (!(await this.waitExit(exitWaitMs)))
      throw new Error(`node ${this.launch.id} (pid ${this.pidCurrent}) still runs ${exitWaitMs} ms after SIGKILL`);
  }

  /** SIGTERM, then SIGKILL when it has not exited within graceMs. A paused node is resumed so it can see the SIGTERM. */
  async stop(graceMs: number, exitWaitMs: number): Promise<void> {
    if (!this.signal('SIGTERM')) return;
    if (this.paused) this.signal('SIGCONT');
    if (await this.waitExit(graceMs)) return;
    await this.kill(exitWaitMs);
  }

  private onExit(pid: number, exit: NodeExit): void {
    if (this.pidCurrent !== pid) return;
    this.pidCurrent = null;
    this.paused = false;
    this.exitInfo = exit;
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const waiter of waiters) waiter();
  }
}

/** How the node's last process ended ("exit code 1"), or null while one runs. */
export function exitDescribe(child: NodeChild): string | null {
  if (child.state !== 'stopped') return null;
  const exit = child.lastExit;
  if (exit === null) return 'not started';
  return exit.signal !== null ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}
