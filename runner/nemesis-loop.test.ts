import { describe, expect, it } from 'vitest';
import { clockCreate, clockVirtualCreate, type Clock } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';
import { prngCreate } from '../core/prng.js';
import { nemesisError } from '../nemesis/errors.js';
import type { Nemesis, NemesisOp, NemesisStep } from '../nemesis/nemesis.js';
import { noneNemesisCreate } from '../nemesis/none.js';
import { HistoryRecorder } from '../results/history-recorder.js';
import { genList } from '../workloads/generator.js';
import { laneGenerator } from '../nemesis/schedule/lane.js';
import { burstStep, sleepStep, soloStep, startPlanStep, stopPlanStep } from '../nemesis/schedule/plan.js';
import { nemesisLanesRun, nemesisLoopRun, nemesisOpDeadlineMs, soloSettleMsMax } from './nemesis-loop.js';

/**
 * A nemesis that keeps a list of what it was asked to do. `stop-bad` fails as
 * an operating error; `start-slow` takes 1500 ms of the clock; `start-stuck`
 * takes twice the nemesis deadline.
 */
function listNemesis(clock: Clock): Nemesis & { readonly done: NemesisOp[] } {
  const done: NemesisOp[] = [];
  return {
    name: 'list',
    done,
    setup: () => Promise.resolve(),
    invoke: async (op) => {
      done.push(op);
      if (op.f === 'stop-bad')
        return { ok: false, value: op.value, error: nemesisError('restart-failed', 's00: port taken') };
      if (op.f === 'start-slow') await clock.sleep(1500);
      if (op.f === 'start-stuck') await clock.sleep(2 * nemesisOpDeadlineMs);
      if (op.f === 'start-standby' && done.filter((o) => o.f === 'start-standby').length < 3)
        return { ok: false, value: op.value, error: nemesisError('plan-impossible', 'no standby yet') };
      return { ok: true, value: { targets: ['s00'] } };
    },
    teardown: () => Promise.resolve(),
  };
}

const op = (f: string): NemesisStep => ({ kind: 'op', op: { f, value: null } });
const sleep = (ms: number): NemesisStep => ({ kind: 'sleep', ms });
const msOf = (event: HistoryEvent): number => event.time / 1e6;

describe('nemesis loop', () => {
  it('records each fault as an invoke and an info on process nemesis; a failure as its code, the message in the value', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const nemesis = listNemesis(clock);
    const running = nemesisLoopRun(
      { nemesis, recorder, clock, prng: prngCreate(1) },
      genList([op('start-kill'), sleep(5), op('stop-bad')]),
      null,
    );
    await clock.runUntil(running, 1000);
    expect(nemesis.done.map((o) => o.f)).toEqual(['start-kill', 'stop-bad']);
    expect(recorder.events.map(({ time: _t, ...rest }) => rest)).toEqual([
      { index: 0, type: 'invoke', f: 'start-kill', value: null, process: 'nemesis' },
      { index: 1, type: 'info', f: 'start-kill', value: { targets: ['s00'] }, process: 'nemesis' },
      { index: 2, type: 'invoke', f: 'stop-bad', value: null, process: 'nemesis' },
      {
        index: 3,
        type: 'info',
        f: 'stop-bad',
        value: { message: 's00: port taken' },
        process: 'nemesis',
        error: 'restart-failed',
      },
    ]);
  });

  it('runs the pauses of a schedule on the clock: operations are recorded at their simulated times', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const running = nemesisLoopRun(
      { nemesis: listNemesis(clock), recorder, clock, prng: prngCreate(1) },
      genList([op('start-a'), sleep(5000), op('stop-a'), sleep(2500), op('start-slow'), sleep(1000), op('stop-slow')]),
      null,
    );
    await clock.runUntil(running, 60_000);
    expect(recorder.events.map((event) => [event.type, event.f, msOf(event)])).toEqual([
      ['invoke', 'start-a', 0],
      ['info', 'start-a', 0],
      ['invoke', 'stop-a', 5000],
      ['info', 'stop-a', 5000],
      ['invoke', 'start-slow', 7500],
      ['info', 'start-slow', 9000],
      ['invoke', 'stop-slow', 10_000],
      ['info', 'stop-slow', 10_000],
    ]);
    expect(clock.sleepers).toBe(0);
  });

  it('records an operation that outlives the deadline as nemesis-timeout, at the deadline', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const running = nemesisLoopRun(
      { nemesis: listNemesis(clock), recorder, clock, prng: prngCreate(1) },
      genList([sleep(100), op('start-stuck')]),
      null,
    );
    await clock.runUntil(running, 10 * nemesisOpDeadlineMs);
    const info = recorder.events.find((event) => event.type === 'info');
    expect(info).toMatchObject({ f: 'start-stuck', error: 'nemesis-timeout' });
    expect(msOf(info!)).toBe(100 + nemesisOpDeadlineMs);
  });

  it('stops between operations when the main phase ends, cutting a pause short', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const nemesis = listNemesis(clock);
    const over = new AbortController();
    const running = nemesisLoopRun(
      { nemesis, recorder, clock, prng: prngCreate(1) },
      genList([op('start-a'), sleep(60_000), op('start-b')]),
      over.signal,
    );
    await clock.advance(1000);
    expect(clock.sleepers).toBe(1);
    over.abort();
    await running;
    expect(nemesis.done.map((o) => o.f)).toEqual(['start-a']);
    expect(clock.nowMs()).toBe(1000);
    expect(clock.sleepers).toBe(0);
  });

  it('runs lanes concurrently on the clock, each in order: faults of two lanes overlap', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const lanes = [
      [startPlanStep('kill-node'), sleepStep(3000), stopPlanStep('kill-node')],
      [sleepStep(1000), startPlanStep('slow'), stopPlanStep('partition-ring')],
    ].map((lane) => laneGenerator(lane));
    const running = nemesisLanesRun({ nemesis: listNemesis(clock), recorder, clock, prng: prngCreate(1) }, lanes, null);
    await clock.runUntil(running, 60_000);
    expect(recorder.events.map((event) => [event.type, event.f, msOf(event)])).toEqual(
      [
        ['invoke', 'start-kill-node', 0],
        ['info', 'start-kill-node', 0],
        ['invoke', 'start-slow', 1000],
        ['invoke', 'stop-kill-node', 3000],
        ['info', 'stop-kill-node', 3000],
        ['info', 'start-slow', 2500],
        ['invoke', 'stop-partition-ring', 2500],
        ['info', 'stop-partition-ring', 2500],
      ].sort((a, b) => (a[2] as number) - (b[2] as number)),
    );
  });

  it('lets a lane play solo: it waits for the other lanes to stop their faults, and they start none until it ends', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const lanes = [
      [
        sleepStep(500),
        soloStep(true),
        startPlanStep('kill-node'),
        sleepStep(2000),
        stopPlanStep('kill-node'),
        soloStep(false),
        sleepStep(100),
      ],
      [startPlanStep('pause-node'), sleepStep(1000), stopPlanStep('pause-node'), sleepStep(200), startPlanStep('b')],
    ].map((lane) => laneGenerator(lane));
    const running = nemesisLanesRun({ nemesis: listNemesis(clock), recorder, clock, prng: prngCreate(1) }, lanes, null);
    await clock.runUntil(running, 60_000);
    const at = (type: string, f: string): number => msOf(recorder.events.find((e) => e.type === type && e.f === f)!);
    // The solo began at 500 but its first start waited for lane 2's pause to be stopped at 1000.
    expect(at('invoke', 'start-kill-node')).toBeGreaterThanOrEqual(at('info', 'stop-pause-node'));
    expect(at('invoke', 'start-kill-node')).toBeLessThan(1100);
    // Lane 2's next start was due at 1200, inside the solo: it waited for the solo's end.
    expect(at('invoke', 'start-b')).toBeGreaterThanOrEqual(at('info', 'stop-kill-node'));
    expect(at('invoke', 'start-b')).toBeLessThan(at('info', 'stop-kill-node') + 100);
  });

  it("bounds a solo's wait for the other lanes: a fault never stopped delays it by the bound, not for ever", async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const lanes = [
      [sleepStep(100), soloStep(true), startPlanStep('kill-node'), stopPlanStep('kill-node'), soloStep(false)],
      [startPlanStep('pause-node'), sleepStep(10 * soloSettleMsMax), stopPlanStep('pause-node')],
    ].map((lane) => laneGenerator(lane));
    const running = nemesisLanesRun({ nemesis: listNemesis(clock), recorder, clock, prng: prngCreate(1) }, lanes, null);
    await clock.runUntil(running, 20 * soloSettleMsMax);
    const kill = recorder.events.find((e) => e.type === 'invoke' && e.f === 'start-kill-node')!;
    expect(msOf(kill)).toBeGreaterThanOrEqual(100 + soloSettleMsMax);
    expect(msOf(kill)).toBeLessThan(200 + soloSettleMsMax);
  });

  it('gives each lane the outcome of its last operation, so a start repeated until ok stops repeating', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const nemesis = listNemesis(clock);
    const lane = laneGenerator([startPlanStep('standby', null, 5), stopPlanStep('standby')]);
    await clock.runUntil(nemesisLanesRun({ nemesis, recorder, clock, prng: prngCreate(1) }, [lane], null), 60_000);
    expect(nemesis.done.map((o) => o.f)).toEqual(['start-standby', 'start-standby', 'start-standby', 'stop-standby']);
    expect(recorder.events.filter((e) => e.type === 'invoke').map(msOf)).toEqual([0, 1000, 2000, 2000]);
  });

  it('hands a burst to the callback at once and goes on without waiting for it', async () => {
    const recorder = new HistoryRecorder(null);
    const clock = clockVirtualCreate();
    const bursts: [number, number, number][] = [];
    const burst = (clients: number, forMs: number): void => void bursts.push([clients, forMs, clock.nowMs()]);
    const lane = laneGenerator([sleepStep(500), burstStep(16, 1500), startPlanStep('kill-node')]);
    const context = { nemesis: listNemesis(clock), recorder, clock, prng: prngCreate(1), burst };
    await clock.runUntil(nemesisLanesRun(context, [lane], null), 60_000);
    expect(bursts).toEqual([[16, 1500, 500]]);
    expect(recorder.events.map((event) => [event.f, msOf(event)])).toEqual([
      ['start-kill-node', 500],
      ['start-kill-node', 500],
    ]);
  });

  it('records nothing for the none nemesis', async () => {
    const recorder = new HistoryRecorder(null);
    const none = noneNemesisCreate({
      runtime: null as never,
      prng: prngCreate(1),
      clock: clockCreate(),
      intervalMs: 1000,
    });
    const context = { nemesis: none.nemesis, recorder, clock: clockCreate(), prng: prngCreate(1) };
    await nemesisLoopRun(context, none.generator, null);
    await nemesisLoopRun(context, none.finalGenerator, null);
    expect(recorder.events).toEqual([]);
  });
});
