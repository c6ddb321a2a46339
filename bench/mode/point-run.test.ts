// The load loops on simulated time, against a client of known latency: the
// open loop measures from the intended start (coordinated omission corrected),
// so one stall shows in every operation it held back; measured from the send,
// the same run shows one slow operation.

import { describe, expect, test } from 'vitest';
import { clockVirtualCreate, type VirtualClock } from '../../core/clock.js';
import { prngCreate } from '../../core/prng.js';
import type { WorkloadClientOpen } from '../../workloads/client.js';
import { benchOpSource } from './bench-workload.js';
import { keyChooserCreate } from './key-chooser.js';
import { benchMixes } from './mix.js';
import { pointFigures } from './point-figures.js';
import { pointRun, type PointCounts, type PointLoad } from './point-run.js';

const simulatedMsMax = 60_000;
const serviceMs = 5;
const stallMs = 505;
const stalledOp = 20;

/** Answers every operation after serviceMs, except operation number stalledOp, which takes stallMs. */
function stallingClient(clock: VirtualClock): WorkloadClientOpen {
  let invoked = 0;
  return () => ({
    invoke: async (op) => {
      const latency = ++invoked === stalledOp ? stallMs : serviceMs;
      await clock.sleep(latency);
      return { type: 'ok', value: op.f === 'read' ? null : op.value };
    },
    close: () => undefined,
  });
}

async function simulated(load: PointLoad, durationMs: number) {
  const clock = clockVirtualCreate();
  const chooser = keyChooserCreate('uniform', 10, 0.99);
  const open = stallingClient(clock);
  const env = {
    clients: Array.from({ length: 8 }, (_, worker) => open(worker)),
    clock,
    prng: prngCreate(1),
    source: benchOpSource(benchMixes['A']!, chooser, 16),
    opTimeoutMs: 5000,
    signal: new AbortController().signal,
  };
  const counts: PointCounts = { invoked: 0, ok: 0, fail: 0, info: 0, late: 0 };
  const run = await clock.runUntil(pointRun(load, durationMs, env, counts), simulatedMsMax);
  return { run, counts };
}

const latenciesMs = (starts: readonly number[], ends: readonly number[]): number[] =>
  ends.map((end, i) => (end - starts[i]!) / 1e6);

describe('load points on simulated time', () => {
  test('the open loop measures from the intended start: one stall delays every operation behind it', async () => {
    const { run, counts } = await simulated({ kind: 'open', rate: 100, slots: 1 }, 2000);
    const { log } = run;
    expect(log.size).toBeGreaterThan(150);
    const fromSend = latenciesMs(log.sentNs, log.completeNs);
    const fromIntended = latenciesMs(log.intendedNs, log.completeNs);
    // Measured from the send, only the stalled operation is slow.
    expect(fromSend.filter((ms) => ms > 100)).toEqual([stallMs]);
    // From the intended start, the ~50 operations scheduled during the stall and the catch-up after it are slow too.
    expect(fromIntended.filter((ms) => ms > 100).length).toBeGreaterThan(60);
    expect(Math.max(...fromIntended)).toBeGreaterThan(stallMs - 20);
    expect(counts.late).toBeGreaterThan(40);
    const figures = pointFigures(run, null, false);
    expect(figures.latency!.p99Us).toBeGreaterThan(400_000);
    expect(figures.p99UncorrectedUs!).toBeLessThan(20_000);
    expect(figures.late).toBe(counts.late);
  });

  test('the intended starts are one interval apart (the log is in completion order)', async () => {
    const { run } = await simulated({ kind: 'open', rate: 50, slots: 8 }, 1000);
    const starts = [...run.log.intendedNs].sort((a, b) => a - b);
    const gaps = starts.slice(1).map((ns, i) => ns - starts[i]!);
    for (const gap of gaps) expect(gap).toBeCloseTo(20e6, -3);
  });

  test('the closed loop keeps each client busy: 4 clients at 5 ms for 1 s, one stalled 505 ms, do 3 x 200 + 99', async () => {
    const { run, counts } = await simulated({ kind: 'closed', clients: 4 }, 1000);
    expect(run.log.size).toBeGreaterThanOrEqual(695);
    expect(run.log.size).toBeLessThanOrEqual(704);
    expect(counts.ok).toBe(run.log.size);
    expect(run.log.intendedNs).toEqual(run.log.sentNs);
    const figures = pointFigures(run, null, false);
    expect(figures.goodputPerSec).toBeGreaterThan(650);
    expect(Object.keys(figures.perOp).sort()).toEqual(['read', 'write']);
    expect(figures.timeline.okPerSec.length).toBe(1);
  });

  test('fault windows split goodput and latency into inside and outside', async () => {
    const { run } = await simulated({ kind: 'open', rate: 100, slots: 1 }, 2000);
    const window = { fault: 'kill-node', targets: ['s00'], startNs: run.startNs + 150e6, endNs: run.startNs + 700e6 };
    const faults = pointFigures(run, [window], false).faults!;
    expect(faults.windows).toEqual([{ fault: 'kill-node', startS: 0.15, endS: 0.7 }]);
    expect(faults.inside.seconds).toBeCloseTo(0.55);
    expect(faults.inside.p99Us!).toBeGreaterThan(faults.outside.p50Us!);
  });
});
