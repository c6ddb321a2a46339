// Bursts on simulated time: extra closed-loop workers join the running phase
// for a while, on fresh processes, and leave when their time or the phase ends.

import { describe, expect, test } from 'vitest';
import { clockVirtualCreate } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';
import { prngCreate } from '../core/prng.js';
import { HistoryRecorder } from '../results/history-recorder.js';
import { workloadCreate } from './index.js';
import { burstForMsMax, burstProcessBase, Interpreter } from './interpreter.js';
import { memoryClientOpen } from './memory-client.js';
import { slowClientOpen } from './slow-client.js';

function setup(concurrency: number) {
  const clock = clockVirtualCreate();
  const workload = workloadCreate('register', { keyCount: 3 });
  const recorder = new HistoryRecorder(null);
  const interpreter = new Interpreter({
    concurrency,
    clientOpen: slowClientOpen(memoryClientOpen(workload), clock, 10),
    recorder,
    clock,
    prng: prngCreate(5).fork('generator'),
    opDeadlineMs: 5000,
  });
  return { clock, workload, recorder, interpreter };
}

const invokes = (events: readonly HistoryEvent[]) => events.filter((e) => e.type === 'invoke');
const isBurst = (event: HistoryEvent): boolean =>
  typeof event.process === 'number' && event.process >= burstProcessBase;

describe('bursts of extra clients', () => {
  test('run for their time beside the regular workers, each on its own process, then leave', async () => {
    const { clock, workload, recorder, interpreter } = setup(2);
    void clock.sleep(200).then(() => interpreter.burst(4, 300));
    const limits = { timeLimitMs: 1000, opsLimit: null, rate: null };
    await clock.runUntil(interpreter.run(workload.generator, limits), 60_000);
    interpreter.close();
    const burst = invokes(recorder.events).filter(isBurst);
    // Each burst worker invokes at 200, 210, ..., 490: at 500 its time is up.
    expect(burst).toHaveLength(4 * 30);
    expect(new Set(burst.map((e) => e.process))).toEqual(
      new Set([burstProcessBase, burstProcessBase + 1, burstProcessBase + 2, burstProcessBase + 3]),
    );
    expect(Math.min(...burst.map((e) => e.time / 1e6))).toBe(200);
    expect(Math.max(...burst.map((e) => e.time / 1e6))).toBe(490);
    expect(invokes(recorder.events).filter((e) => !isBurst(e))).toHaveLength(2 * 100);
    expect(interpreter.counts.invoked).toBe(320);
  });

  test('end with the phase, are capped in time, and do nothing outside a phase', async () => {
    const { clock, workload, recorder, interpreter } = setup(1);
    interpreter.burst(8, 1000);
    void clock.sleep(100).then(() => interpreter.burst(2, 10 * burstForMsMax));
    const limits = { timeLimitMs: 300, opsLimit: null, rate: null };
    await clock.runUntil(interpreter.run(workload.generator, limits), 60_000);
    const burst = invokes(recorder.events).filter(isBurst);
    expect(burst).toHaveLength(2 * 20);
    expect(Math.max(...burst.map((e) => e.time / 1e6))).toBe(290);
    expect(clock.nowMs()).toBe(300);
    interpreter.close();
  });

  test('take at most 64 workers at once, and the slots come back for the next burst', async () => {
    const { clock, workload, recorder, interpreter } = setup(1);
    void clock.sleep(10).then(() => interpreter.burst(100, 50));
    void clock.sleep(100).then(() => interpreter.burst(64, 20));
    const limits = { timeLimitMs: 200, opsLimit: null, rate: null };
    await clock.runUntil(interpreter.run(workload.generator, limits), 60_000);
    interpreter.close();
    const burst = invokes(recorder.events).filter(isBurst);
    expect(burst.filter((e) => e.time / 1e6 < 100)).toHaveLength(64 * 5);
    expect(burst.filter((e) => e.time / 1e6 >= 100)).toHaveLength(64 * 2);
    expect(new Set(burst.map((e) => e.process)).size).toBe(128);
  });
});
