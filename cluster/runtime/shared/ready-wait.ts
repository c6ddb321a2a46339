// Waiting, with a bound, until a node answers health the way we need. The wait
// ends early when the node's process or container has ended, and its error
// (a NodeStartError) carries the tail of the node's log, which is where the
// reason is.

import { PollTimeoutError, pollUntil } from '../../../core/clock.js';
import type { Clock } from '../../../core/clock.js';
import type { NodeId } from '../../topology.js';
import { logTail } from './log-tail.js';
import type { Probe } from './node-health.js';
import { NodeStartError } from './node-start-error.js';

export interface ReadyWait<T> {
  readonly nodeId: NodeId;
  /** What is waited for, for messages: "storage node s00 ready". */
  readonly what: string;
  readonly probe: (timeoutMs: number) => Promise<Probe<T>>;
  readonly ready: (health: T) => boolean;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly logPath: string;
  /** Where the node runs, for the error ("container ql-run-s00"), or null. */
  readonly where: string | null;
  /** How the node ended, or null while it runs; asked before the first probe and after each failed one. */
  readonly exited: () => Promise<string | null>;
  /** Brings the log file up to date before its tail is read (a container's output is copied out). */
  readonly logRefresh: () => Promise<void>;
  readonly signal?: AbortSignal | undefined;
}

/** Bound on one probe inside a wait. */
export const probeTimeoutMs = 1000;

type Seen<T> = { readonly ready: T } | { readonly exited: string };

export async function readyWait<T>(clock: Clock, wait: ReadyWait<T>): Promise<T> {
  const deadlineMs = clock.nowMs() + wait.timeoutMs;
  let last = 'no answer yet';
  let exitFirst: string | null = await wait.exited();
  const probe = async (): Promise<Seen<T> | null> => {
    wait.signal?.throwIfAborted();
    if (exitFirst !== null) return { exited: exitFirst };
    const result = await wait.probe(Math.min(probeTimeoutMs, Math.max(1, deadlineMs - clock.nowMs())));
    if (result.ok && wait.ready(result.health)) return { ready: result.health };
    last = result.ok ? `health ${JSON.stringify(result.health)}` : result.error;
    if (!result.ok) exitFirst = await wait.exited();
    return null;
  };
  let seen: Seen<T>;
  try {
    const poll = {
      what: wait.what,
      timeoutMs: wait.timeoutMs,
      intervalMs: wait.pollMs,
      signal: wait.signal ?? null,
      probe,
    };
    seen = await pollUntil(clock, poll);
  } catch (error) {
    // An abort is the caller's own doing: its reason, not a start error.
    wait.signal?.throwIfAborted();
    if (!(error instanceof PollTimeoutError)) throw error;
    const exit = await wait.exited();
    if (exit !== null) throw await startError(wait, 'node-exited', `the process exited (${exit})`);
    throw await startError(wait, 'ready-timeout', `not within ${wait.timeoutMs} ms; last: ${last}`);
  }
  if ('ready' in seen) return seen.ready;
  throw await startError(wait, 'node-exited', `the process exited (${seen.exited})`);
}

async function startError<T>(
  wait: ReadyWait<T>,
  code: 'node-exited' | 'ready-timeout',
  why: string,
): Promise<NodeStartError> {
  await wait.logRefresh();
  return new NodeStartError({
    code,
    nodeId: wait.nodeId,
    what: wait.what,
    why,
    where: wait.where,
    log: { path: wait.logPath, tail: logTail(wait.logPath) },
  });
}
