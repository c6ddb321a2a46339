import { describe, expect, it } from 'vitest';
import { clockCreate } from '../core/clock.js';
import { prngCreate } from '../core/prng.js';
import type { Nemesis, NemesisOp, NemesisStep } from '../nemesis/nemesis.js';
import { noneNemesisCreate } from '../nemesis/none.js';
import { HistoryRecorder } from '../results/history-recorder.js';
import { genList } from '../workloads/generator.js';
import { nemesisLoopRun } from './nemesis-loop.js';

/** A nemesis that keeps a list of what it was asked to do; `stop-bad` fails as an operating error. */
function listNemesis(): Nemesis & { readonly done: NemesisOp[] } {
  const done: NemesisOp[] = [];
  return {
    name: 'list',
    done,
    setup: () => Promise.resolve(),
    invoke: (op) => {
      done.push(op);
      if (op.f === 'stop-bad') return Promise.resolve({ ok: false, value: op.value, error: 'node-gone' });
      return Promise.resolve({ ok: true, value: { targets: ['s00'] } });
    },
    teardown: () => Promise.resolve(),
  };
}

const op = (f: string): NemesisStep => ({ kind: 'op', op: { f, value: null } });

describe('nemesis loop', () => {
  it('records each fault as an invoke and an info on process nemesis, with the targets it reached', async () => {
    const recorder = new HistoryRecorder(null);
    const nemesis = listNemesis();
    await nemesisLoopRun(
      { nemesis, recorder, clock: clockCreate(), prng: prngCreate(1) },
      genList([op('start-kill'), { kind: 'sleep', ms: 5 }, op('stop-bad')]),
      null,
    );
    expect(nemesis.done.map((o) => o.f)).toEqual(['start-kill', 'stop-bad']);
    expect(recorder.events.map(({ time: _t, ...rest }) => rest)).toEqual([
      { index: 0, type: 'invoke', f: 'start-kill', value: null, process: 'nemesis' },
      { index: 1, type: 'info', f: 'start-kill', value: { targets: ['s00'] }, process: 'nemesis' },
      { index: 2, type: 'invoke', f: 'stop-bad', value: null, process: 'nemesis' },
      { index: 3, type: 'info', f: 'stop-bad', value: null, process: 'nemesis', error: 'node-gone' },
    ]);
  });

  it('stops between operations when the main phase ends, cutting a pause short', async () => {
    const recorder = new HistoryRecorder(null);
    const nemesis = listNemesis();
    const over = new AbortController();
    const clock = clockCreate();
    const running = nemesisLoopRun(
      { nemesis, recorder, clock, prng: prngCreate(1) },
      genList([op('start-a'), { kind: 'sleep', ms: 60_000 }, op('start-b')]),
      over.signal,
    );
    setTimeout(() => over.abort(), 20);
    await running;
    expect(nemesis.done.map((o) => o.f)).toEqual(['start-a']);
    expect(clock.nowMs()).toBeLessThan(30_000);
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
