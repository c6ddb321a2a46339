// Waiting, with a bound, until a node answers health the way we need. The wait
// ends early when the process dies, and its error carries the tail of the
// node's log, which is where the reason is.

import { setTimeout as sleep } from 'node:timers/promises';
import { logTail } from './log-tail.js';
import type { Probe } from './node-health.js';

export interface ReadyWait<T> {
  /** What is waited for, for messages: "storage node s00 ready". */
  readonly what: string;
  readonly probe: (timeoutMs: number) => Promise<Probe<T>>;
  readonly ready: (health: T) => boolean;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly logPath: string;
  /** Non-null (how it ended) once the node's process has exited. */
  readonly exited: () => string | null;
  readonly signal?: AbortSignal | undefined;
}

/** Bound on one probe inside a wait. */
export const probeTimeoutMs = 1000;

export class NodeStartError extends Error {
  override readonly name = 'NodeStartError';
  constructor(
    message: string,
    /** The node could not bind its port: another process took it after we chose it. */
    readonly portInUse: boolean,
  ) {
    super(message);
  }
}

export async function readyWait<T>(wait: ReadyWait<T>): Promise<T> {
  const deadline = performance.now() + wait.timeoutMs;
  let last = 'no answer yet';
  while (performance.now() < deadline) {
    wait.signal?.throwIfAborted();
    const exit = wait.exited();
    if (exit !== null) throw startError(`${wait.what}: the process exited (${exit})`, wait.logPath);
    const probe = await wait.probe(Math.min(probeTimeoutMs, Math.max(1, deadline - performance.now())));
    if (probe.ok && wait.ready(probe.health)) return probe.health;
    last = probe.ok ? `health ${JSON.stringify(probe.health)}` : probe.error;
    await sleep(wait.pollMs, undefined, wait.signal ? { signal: wait.signal } : {});
  }
  const exit = wait.exited();
  const why = exit !== null ? `the process exited (${exit})` : `not within ${wait.timeoutMs} ms; last: ${last}`;
  throw startError(`${wait.what}: ${why}`, wait.logPath);
}

function startError(message: string, logPath: string): NodeStartError {
  const tail = logTail(logPath);
  return new NodeStartError(`${message}\n--- last lines of ${logPath} ---\n${tail}`, /EADDRINUSE/.test(tail));
}
