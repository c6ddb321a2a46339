import { describe, expect, it } from 'vitest';
import { clockCreate } from '../core/clock.js';
import type { HistoryEvent } from '../core/history.js';
import { prngCreate } from '../core/prng.js';
import { HistoryRecorder } from '../results/history-recorder.js';
import { workloadCreate } from './index.js';
import { Interpreter } from './interpreter.js';
import { memoryClientOpen, type MemoryStoreOptions } from './memory-client.js';
import type { PhaseLimits } from './phase.js';
import { slowClientOpen } from './slow-client.js';
import type { Workload } from './workload.js';

interface RunSetup {
  readonly seed: number;
  readonly concurrency: number;
  readonly limits: PhaseLimits;
  readonly memory?: MemoryStoreOptions;
  /** Delay of every answer, to keep operations outstanding. */
  readonly answerDelayMs?: number;
}

async function interpret(
  setup: RunSetup,
): Promise<{ events: readonly HistoryEvent[]; interpreter: Interpreter; workload: Workload }> {
  const workload = workloadCreate('register', { keyCount: 3 });
  const recorder = new HistoryRecorder(null);
  const clock = clockCreate();
  const memory = memoryClientOpen(workload, setup.memory);
  const interpreter = new Interpreter({
    concurrency: setup.concurrency,
    clientOpen: setup.answerDelayMs === undefined ? memory : slowClientOpen(memory, clock, setup.answerDelayMs),
    recorder,
    clock,
    prng: prngCreate(setup.seed).fork('generator'),
    opDeadlineMs: 5000,
  });
  await interpreter.run(workload.generator, setup.limits);
  interpreter.close();
  return { events: recorder.events, interpreter, workload };
}

const withoutTime = (events: readonly HistoryEvent[]) => events.map(({ time: _time, ...rest }) => rest);

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

const closedLoop = (opsLimit: number): PhaseLimits => ({ timeLimitMs: 10_000, opsLimit, rate: null });

describe('interpreter', () => {
  it('replays the same history (but for times) from the same seed', async () => {
    const a = await interpret({ seed: 42, concurrency: 4, limits: closedLoop(500) });
    const b = await interpret({ seed: 42, concurrency: 4, limits: closedLoop(500) });
    const c = await interpret({ seed: 43, concurrency: 4, limits: closedLoop(500) });
    expect(withoutTime(b.events)).toEqual(withoutTime(a.events));
    expect(withoutTime(c.events)).not.toEqual(withoutTime(a.events));
  });

  it('invokes exactly the operation limit, completes every operation, and keeps one open per process', async () => {
    const { events } = await interpret({ seed: 1, concurrency: 5, limits: closedLoop(333) });
    expect(events.filter((e) => e.type === 'invoke')).toHaveLength(333);
    expect(events).toHaveLength(666);
    expect(events.map((e) => e.index)).toEqual(events.map((_, i) => i));
    const open = new Set<unknown>();
    for (const event of events) {
      if (event.type === 'invoke') {
        expect(open.has(event.process)).toBe(false);
        open.add(event.process);
      } else {
        expect(open.delete(event.process)).toBe(true);
      }
    }
    expect(outstandingMax(events)).toBeLessThanOrEqual(5);
  });

  it('retires a process after an info: its worker goes on as process + concurrency', async () => {
    const concurrency = 3;
    const { events } = await interpret({
      seed: 9,
      concurrency,
      limits: closedLoop(600),
      memory: { indefiniteProbability: 0.1, prng: prngCreate(9).fork('store') },
    });
    const infos = events.filter((e) => e.type === 'info');
    expect(infos.length).toBeGreaterThan(5);
    for (const info of infos) {
      const later = events.slice(info.index + 1);
      expect(later.some((e) => e.process === info.process)).toBe(false);
    }
    const processes = new Set(events.map((e) => e.process as number));
    expect(processes.size).toBe(concurrency + infos.length);
    for (let worker = 0; worker < concurrency; worker++) {
      const ids = [...processes].filter((p) => p % concurrency === worker).sort((a, b) => a - b);
      expect(ids).toEqual(ids.map((_, k) => worker + k * concurrency));
    }
    // Reads never end in info: a read changes nothing, so its uncertain outcome is a fail.
    expect(infos.every((e) => e.f !== 'read')).toBe(true);
    expect(events.some((e) => e.type === 'fail' && e.f === 'read' && e.error === 'timeout')).toBe(true);
  });

  it('runs an open loop at its rate on the real clock and never exceeds the outstanding bound', async () => {
    const rate = 200;
    const { events, interpreter } = await interpret({
      seed: 3,
      concurrency: 2,
      limits: { timeLimitMs: 1000, opsLimit: null, rate },
      answerDelayMs: 1,
    });
    const invokes = events.filter((e) => e.type === 'invoke').length;
    expect(invokes).toBeLessThanOrEqual(rate + 2);
    expect(invokes).toBeGreaterThan(rate / 2);
    expect(outstandingMax(events)).toBeLessThanOrEqual(2);
    expect(interpreter.counts.invoked).toBe(invokes);
  });
});
