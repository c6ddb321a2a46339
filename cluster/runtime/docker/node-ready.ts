// Waiting, with a bound, until a node in a container answers health the way we
// need. The wait ends early when the container exits, and its error carries the
// tail of the node's log, freshly collected from the engine.

import { logTail } from '../local/log-tail.js';
import type { Probe } from '../local/node-health.js';
import { readyWait } from '../local/ready-wait.js';
import type { NodeContainer } from './node-container.js';

/** Interval of readiness polls. */
export const readyPollMs = 100;

export interface ReadyContext {
  readonly container: NodeContainer;
  readonly logPath: string;
  readonly logsCollect: () => Promise<void>;
  readonly signal: AbortSignal | undefined;
}

export async function nodeReadyWait<T>(
  context: ReadyContext,
  what: string,
  probe: (timeoutMs: number) => Promise<Probe<T>>,
  ready: (health: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  // The probe learns whether the container still runs; the wait reads it between probes.
  let exited: string | null = null;
  const probeAndWatch = async (probeTimeoutMs: number): Promise<Probe<T>> => {
    const result = await probe(probeTimeoutMs);
    if (!result.ok) {
      const status = await context.container.status();
      if (status === null) exited = 'the container is gone';
      else if (!status.running) exited = status.exit;
    }
    return result;
  };
  try {
    return await readyWait({
      what,
      probe: probeAndWatch,
      ready,
      timeoutMs,
      pollMs: readyPollMs,
      logPath: context.logPath,
      exited: () => exited,
      signal: context.signal,
    });
  } catch (error) {
    if (context.signal?.aborted === true) throw error;
    await context.logsCollect();
    const message = (error as Error).message.split('\n--- last lines')[0];
    throw new Error(
      `${message} (container ${context.container.name})\n--- last lines of ${context.logPath} ---\n${logTail(context.logPath)}`,
    );
  }
}
