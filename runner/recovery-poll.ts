// The recovery wait after the heal, the same on every runtime: the primary
// writer reports ready and acknowledges one write outside the workload's keys,
// polled within a bound, through whatever address the runtime gives clients.

import { StoreClient } from '../cluster/client.js';
import { writerHealthProbe, writerPrimaryReady } from '../cluster/runtime/local/node-health.js';
import type { Runtime } from '../cluster/runtime/runtime.js';
import { type Clock, pollUntil, PollTimeoutError } from '../core/clock.js';

/** Interval and per-probe bound of the recovery wait. */
const recoveryPollMs = 100;
const recoveryProbeTimeoutMs = 1000;
/** Bound on the recovery wait's write: a quorum write may wait for a slow replica. */
const recoveryWriteTimeoutMs = 3000;
/** The key the recovery wait writes; no workload uses it, and it is not in the history. */
export const recoveryKey = 'quorumlab-recovery';

export type RecoveryWait =
  | { readonly ready: true; readonly waitedMs: number }
  | { readonly ready: false; readonly waitedMs: number; readonly last: string };

/** Recovered means the primary reports ready and acknowledges a write: a quorum of storage is back too. */
export async function recoveryPoll(
  runtime: Runtime,
  clock: Clock,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<RecoveryWait> {
  const startMs = clock.nowMs();
  let last = 'not probed';
  let attempt = 0;
  const recovered = async (): Promise<true | null> => {
    // An interrupted run does not probe at all: the poll sees the abort and ends.
    if (signal.aborted) return null;
    attempt++;
    const probe = await writerHealthProbe(runtime.writerAddress(), recoveryProbeTimeoutMs);
    if (probe.ok && writerPrimaryReady(probe.health)) {
      const write = await recoveryWrite(runtime, attempt);
      if (write === null) return true;
      last = `writer ready, but its write failed: ${write}`;
    } else {
      last = probe.ok ? `writer is ${probe.health.role}, ready ${probe.health.ready}` : probe.error;
    }
    return null;
  };
  try {
    const what = 'the primary writer to be ready and acknowledge a write';
    await pollUntil(clock, { what, timeoutMs, intervalMs: recoveryPollMs, signal, probe: recovered });
    return { ready: true, waitedMs: clock.nowMs() - startMs };
  } catch (error) {
    if (!(error instanceof PollTimeoutError)) throw error;
    return { ready: false, waitedMs: clock.nowMs() - startMs, last: error.reason === 'aborted' ? 'aborted' : last };
  }
}

/** One write outside the workload's keys; null once acknowledged, else why not. */
async function recoveryWrite(runtime: Runtime, attempt: number): Promise<string | null> {
  let client: StoreClient;
  try {
    client = await StoreClient.connect(runtime.writerAddress(), recoveryProbeTimeoutMs);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  try {
    const result = await client.request({ t: 'write', key: recoveryKey, value: attempt }, recoveryWriteTimeoutMs);
    return result.ok ? null : `${result.code}: ${result.message}`;
  } finally {
    client.close();
  }
}
