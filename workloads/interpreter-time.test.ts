// The interpreter's schedules on simulated time: every wait goes through the
// clock, so with a virtual clock and a client of fixed latency the invocation
// times, the counts and the moment a run ends are exact.

import { describe, expect, test } from 'vitest';
import { clockVirtualCreate, type VirtualClock } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';
import { prngCreate } from '../core/prng.js';
import { HistoryRecorder } from '../results/history-recorder.js';
import type { WorkloadClientOpen } from './client.js';
import { genList, genUnfold, type Generator } from './generator.js';
import { workloadCreate } from './index.js';
import { Interpreter } from './interpreter.js';
import { memoryClientOpen } from './memory-client.js';
import type { ClientOp } from './op.js';
import type { PhaseLimits } from './phase.js';
import { slowClientOpen } from './slow-client.js';

/** Far more simulated time than any run here needs: a run that does not end fails the test. */
const simulatedMsMax = 60_000;

interface TimedRun {
  readonly concurrency: number;
  readonly limits: PhaseLimits;
  readonly latencyMs: number;
  readonly generator?: Generator<ClientOp>;
  readonly opDeadlineMs?: number;
  /** Replaces the memory store's client, for clients that never answer. */
  readonly clientOpen?: WorkloadClientOpen;
}

async function runSimulated(
  clock: VirtualClock,
  run: TimedRun,
): Promise<{ events: readonly HistoryEvent[]; interpreter: Interpreter }> {
  const workload = workloadCreate('register', { keyCount: 3 });
  const recorder = new HistoryRecorder(null);
  const interpreter = new Interpreter({
    concurrency: run.concurrency,
    clientOpen: run.clientOpen ?? slowClientOpen(memoryClientOpen(workload), clock, run.latencyMs),
    recorder,
    clock,
    prng: prngCreate(5).fork('generator'),
    opDeadlineMs: run.opDeadlineMs ?? 5000,
  });
  await clock.runUntil(interpreter.run(run.generator ?? workload.generator, run.limits), simulatedMsMax);
  interpreter.close();
  return { events: recorder.events, interpreter };
}

/** The times of the invocations, in milliseconds of simulated time. */
const invokeTimesMs = (events: readonly HistoryEvent[]): number[] =>
  events.filter((e) => e.type === 'invoke').map((e) => e.time / 1e6);

/** The most operations open at once, over the whole history. */
function outstandingMax(events: readonly HistoryEvent[]): number {
  let open = 0;
  let max = 0;
  for (const event of events) {
    open += event.type === 'invoke' ? 1 : -1;
    max = Math.max(max, open);
  }
  return max;
}

const every = (fromMs: number, toMs: number, stepMs: number): number[] =>
  Array.from({ length: Math.floor((toMs - fromMs) / stepMs) + 1 }, (_, i) => fromMs + i * stepMs);

describe('the closed loop on simulated time', () => {
  test('invokes back to back until the time limit, and the run ends when the last operation completes', async () => {
    const clock = clockVirtualCreate();
    const limits = { timeLimitMs: 100, opsLimit: null, rate: null };
    const { events } = await runSimulated(clock, { concurrency: 2, limits, latencyMs: 10 });
    // Each worker invokes at 0, 10, ..., 90: the limit is checked before each invocation, and 100 is past it.
    const perWorker = every(0, 90, 10);
    expect(invokeTimesMs(events)).toEqual(perWorker.flatMap((t) => [t, t]));
    expect(events).toHaveLength(4 * perWorker.length);
    expect(clock.nowMs()).toBe(100);
  });

  test('a generator that reads the time ends the phase at the time it chose', async () => {
    const clock = clockVirtualCreate();
    const generator = genUnfold<number, ClientOp>(0, (n, context) =>
      context.timeNs >= 50e6 ? null : { op: { f: 'write', key: 'k1', value: n }, state: n + 1 },
    );
    const limits = { timeLimitMs: null, opsLimit: null, rate: null };
    const { events } = await runSimulated(clock, { concurrency: 1, limits, latencyMs: 10, generator });
    expect(invokeTimesMs(events)).toEqual([0, 10, 20, 30, 40]);
    expect(events.filter((e) => e.type === 'invoke').map((e) => e.value)).toEqual([0, 1, 2, 3, 4]);
    expect(clock.nowMs()).toBe(50);
  });

  test('an abort stops new invocations at its simulated time; operations in flight complete', async () => {
    const clock = clockVirtualCreate();
    const abort = new AbortController();
    void clock.sleep(45).then(() => abort.abort());
    const limits = { timeLimitMs: null, opsLimit: null, rate: null, signal: abort.signal };
    const { events } = await runSimulated(clock, { concurrency: 2, limits, latencyMs: 10 });
    expect(invokeTimesMs(events)).toEqual([0, 0, 10, 10, 20, 20, 30, 30, 40, 40]);
    expect(events.filter((e) => e.type !== 'invoke')).toHaveLength(10);
    expect(clock.nowMs()).toBe(50);
  });
});

describe('the open loop on simulated time', () => {
  test('issues at its intended schedule while the client is slow but slots are free', async () => {
    const clock = clockVirtualCreate();
    const limits = { timeLimitMs: 1000, opsLimit: null, rate: 100 };
    const { events, interpreter } = await runSimulated(clock, { concurrency: 8, limits, latencyMs: 30 });
    expect(invokeTimesMs(events)).toEqual(every(0, 990, 10));
    expect(interpreter.counts.late).toBe(0);
    // 30 ms answers at one invocation per 10 ms: three outstanding, whatever the bound.
    expect(outstandingMax(events)).toBe(3);
    expect(clock.nowMs()).toBe(1020);
  });

  test('with every slot busy it waits for a slot, and counts as late what left over an interval behind', async () => {
    const clock = clockVirtualCreate();
    const limits = { timeLimitMs: 200, opsLimit: null, rate: 100 };
    const { events, interpreter } = await runSimulated(clock, { concurrency: 2, limits, latencyMs: 30 });
    // Two slots free up every 30 ms; the schedule (0, 10, 20, ...) falls further behind with each pair.
    expect(invokeTimesMs(events)).toEqual([0, 10, 30, 40, 60, 70, 90, 100, 120, 130, 150, 160, 180, 190]);
    // The third and fourth leave exactly one interval late, which is within the tolerance; the rest later.
    expect(interpreter.counts.late).toBe(10);
    expect(outstandingMax(events)).toBe(2);
    // The slot that frees at 210 is past the limit; the run waits for the last operation only.
    expect(clock.nowMs()).toBe(220);
  });

  test('an abort ends its sleep at once and no invocation follows', async () => {
    const clock = clockVirtualCreate();
    const abort = new AbortController();
    void clock.sleep(45).then(() => abort.abort());
    let sleepersAfterAbort = -1;
    void clock.sleep(46).then(() => (sleepersAfterAbort = clock.sleepers));
    const limits = { timeLimitMs: null, opsLimit: null, rate: 100, signal: abort.signal };
    const { events } = await runSimulated(clock, { concurrency: 8, limits, latencyMs: 30 });
    expect(invokeTimesMs(events)).toEqual([0, 10, 20, 30, 40]);
    // Still asleep after the abort: the operations invoked at 20, 30 and 40, and the watchdog; not the schedule.
    expect(sleepersAfterAbort).toBe(4);
    expect(clock.nowMs()).toBe(70);
  });
});

describe('the watchdog on simulated time', () => {
  test('settles an operation its client never answers at the first look past its deadline', async () => {
    const clock = clockVirtualCreate();
    const hung: WorkloadClientOpen = () => ({ invoke: () => new Promise(() => undefined), close: () => undefined });
    const generator = genList<ClientOp>([
      { f: 'write', key: 'k0', value: 1 },
      { f: 'read', key: 'k0', value: null },
    ]);
    const limits = { timeLimitMs: null, opsLimit: null, rate: null };
    const { events } = await runSimulated(clock, {
      concurrency: 1,
      limits,
      latencyMs: 0,
      generator,
      opDeadlineMs: 250,
      clientOpen: hung,
    });
    // The watchdog looks every 100 ms: the write (deadline 250) ends at 300, the read (deadline 550) at 600.
    expect(events.map((e) => [e.type, e.f, e.process, e.time / 1e6, e.error])).toEqual([
      ['invoke', 'write', 0, 0, undefined],
      ['info', 'write', 0, 300, 'client-hung'],
      ['invoke', 'read', 1, 300, undefined],
      ['fail', 'read', 1, 600, 'client-hung'],
    ]);
    expect(clock.nowMs()).toBe(600);
  });
});
