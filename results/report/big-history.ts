// A synthetic history of any size for the report's benchmark: closed-loop
// clients doing reads, writes and cas on a few keys, a fault every minute that
// slows operations and makes some fail or time out. Seeded, so every run of the
// benchmark measures the same page.

import { clientProcessOf, type HistoryEvent } from '../../core/history.js';
import { prngCreate } from '../../core/prng.js';

export interface BigHistoryOptions {
  readonly ops: number;
  readonly processes: number;
  readonly seed: number;
  /** A fault window starts every this many seconds and lasts a quarter of it. */
  readonly faultEveryS: number;
}

export function bigHistory(options: BigHistoryOptions): HistoryEvent[] {
  const prng = prngCreate(options.seed);
  const events: HistoryEvent[] = [];
  const processNext = Array.from({ length: options.processes }, (_, i) => ({ id: i, timeNs: i * 10_000 }));
  const faultNs = options.faultEveryS * 1e9;
  let faultsOpened = 0;
  const push = (event: Omit<HistoryEvent, 'index'>): void => {
    events.push({ ...event, index: events.length });
  };
  for (let n = 0; n < options.ops; n++) {
    const slot = processNext[n % options.processes]!;
    const inFault = slot.timeNs % faultNs > faultNs * 0.75;
    while (faultsOpened * faultNs + faultNs * 0.75 < slot.timeNs && n % options.processes === 0) {
      const startNs = faultsOpened * faultNs + faultNs * 0.75;
      push({
        type: 'info',
        f: 'start-partition',
        value: { targets: ['s00', 's10'] },
        process: 'nemesis',
        time: startNs,
      });
      push({ type: 'info', f: 'stop-partition', value: null, process: 'nemesis', time: startNs + faultNs * 0.25 });
      faultsOpened++;
    }
    const f = prng.pick(['read', 'read', 'write', 'cas'] as const);
    const latencyNs = Math.round(200_000 * Math.exp(prng.next() * 2.5) * (inFault ? 8 : 1));
    const roll = prng.next();
    const type = inFault && roll < 0.1 ? 'fail' : roll > 0.998 ? 'info' : 'ok';
    const key = `r${prng.int(8)}`;
    push({
      type: 'invoke',
      f,
      key,
      value: f === 'read' ? null : n,
      process: clientProcessOf(slot.id),
      time: slot.timeNs,
    });
    push({
      type,
      f,
      key,
      value: f === 'read' ? n - 1 : n,
      process: clientProcessOf(slot.id),
      time: slot.timeNs + latencyNs,
      ...(type === 'ok' ? {} : { error: type === 'fail' ? 'unavailable' : 'timeout' }),
    });
    slot.timeNs += latencyNs + 1000;
    if (type === 'info') slot.id += options.processes;
  }
  // The nemesis events were pushed out of time order; a history is in time order.
  events.sort((a, b) => a.time - b.time);
  return events.map((event, index) => ({ ...event, index }));
}
