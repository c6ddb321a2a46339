import { describe, expect, it } from 'vitest';
import { clientProcessOf, type HistoryEvent, type JsonValue } from '../core/history.js';
import { faultEffects, faultEffectsText } from './fault-effects.js';

let index = 0;
function info(f: string, value: JsonValue, error?: string): HistoryEvent {
  index++;
  return {
    index,
    type: 'info',
    f,
    value,
    process: 'nemesis',
    time: index * 1000,
    ...(error === undefined ? {} : { error }),
  };
}

const dropped = (bytes: number, count: number): JsonValue => ({
  targets: ['s00'],
  links: 12,
  dropped: { backend: 'iptables', unit: 'packet', bytes, count, linksDropping: 3, perLink: {} },
});

describe('fault effects read back from a history', () => {
  const history: HistoryEvent[] = [
    info('start-partition-node', { targets: ['s00'] }),
    info('stop-partition-node', dropped(1000, 10)),
    info('start-partition-node', { targets: ['s11'] }),
    info('stop-partition-node', dropped(500, 4)),
    info('start-kill-node', { targets: ['s10'] }),
    info('stop-kill-node', { targets: ['s10'] }),
    info('start-slow-links', { targets: [] }, 'unavailable: not available on this kernel: tc netem missing'),
    info('phase', 'heal'),
    { index: 99, type: 'invoke', f: 'start-kill-node', value: null, process: 'nemesis', time: 99_000 },
    { index: 100, type: 'ok', f: 'write', value: 1, process: clientProcessOf(3), time: 100_000 },
  ];

  it('counts the starts that took effect and the heals, and sums what the partitions dropped', () => {
    expect(faultEffects(history)).toEqual([
      {
        fault: 'partition-node',
        started: 2,
        startErrors: 0,
        errors: [],
        healed: 2,
        dropped: { backend: 'iptables', unit: 'packet', bytes: 1500, count: 14 },
      },
      { fault: 'kill-node', started: 1, startErrors: 0, errors: [], healed: 1, dropped: null },
      {
        fault: 'slow-links',
        started: 0,
        startErrors: 1,
        errors: ['unavailable: not available on this kernel: tc netem missing'],
        healed: 0,
        dropped: null,
      },
    ]);
  });

  it('says it in one line for the summary', () => {
    expect(faultEffectsText(faultEffects(history))).toBe(
      'partition-node 2x (dropped 14 packets, 1.5 KB), kill-node 1x, slow-links never took effect (unavailable: not available on this kernel: tc netem missing)',
    );
  });

  it('reads a failure recorded as a code with the message in the value as it read the free text before codes', () => {
    const coded = history.map((event) =>
      event.error === undefined
        ? event
        : {
            ...event,
            error: 'unavailable',
            value: { targets: [], message: 'not available on this kernel: tc netem missing' },
          },
    );
    expect(faultEffects(coded)).toEqual(faultEffects(history));
  });
});
