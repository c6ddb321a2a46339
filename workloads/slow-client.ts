// A client that answers after a set time on the run's clock. It keeps
// operations outstanding, so the interpreter's schedules can be tested on
// simulated time (`clockVirtualCreate`) with exact invocation times.

import type { Clock } from '../core/clock.js';
import type { WorkloadClientOpen } from './client.js';

/** Wraps `open` so that every operation is applied, and answered, `latencyMs` after it was invoked. */
export function slowClientOpen(open: WorkloadClientOpen, clock: Clock, latencyMs: number): WorkloadClientOpen {
  return (worker) => {
    const client = open(worker);
    return {
      invoke: async (op) => {
        await clock.sleep(latencyMs);
        return client.invoke(op);
      },
      close: () => client.close(),
    };
  };
}
