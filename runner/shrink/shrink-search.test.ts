import { describe, expect, test } from 'vitest';
import { clockVirtualCreate } from '../../core/clock.js';
import { episodesOf, scheduleJsonRead, stepAllowanceMs, type ScheduleJson } from './episodes.js';
import { shrinkSearch, timeTailMs, type AttemptPlan, type AttemptResult, type ShrinkLimits } from './shrink-search.js';

const faults = ['partition-node', 'pause-node', 'kill-node', 'slow-links'];

/** Eight episodes in two lanes, 2 s each with 1 s between: lane 0 holds episodes 0-3, lane 1 episodes 4-7. */
function scheduleEight(): ScheduleJson {
  const lane = (offset: number): unknown[] =>
    [0, 1, 2, 3].flatMap((i) => [
      { sleep: '1s' },
      { start: faults[(i + offset) % faults.length], targets: [`s${i}${offset}`] },
      { sleep: '2s' },
      { stop: faults[(i + offset) % faults.length] },
    ]);
  const parsed = scheduleJsonRead({ lanes: [lane(0), lane(1)] }, 'schedule.json');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.schedule;
}

const limits: ShrinkLimits = { attemptsMax: 24, budgetMs: 3_600_000, anyChecker: false };
const start = { schedule: scheduleEight(), concurrency: 8, timeLimitMs: 60_000, checkersFailed: ['linearizable'] };

/** A run that fails (by `checker`) iff the episodes `needed` are kept and at least `clientsMin` clients run. */
function runFailingWhen(
  needed: readonly number[],
  clientsMin: number,
  checker = 'linearizable',
): { run: (plan: AttemptPlan) => Promise<AttemptResult>; plans: AttemptPlan[] } {
  const plans: AttemptPlan[] = [];
  const run = (plan: AttemptPlan): Promise<AttemptResult> => {
    plans.push(plan);
    const fails = needed.every((episode) => plan.episodes.includes(episode)) && plan.concurrency >= clientsMin;
    return Promise.resolve({
      verdict: fails ? 'invalid' : 'valid',
      checkersInvalid: fails ? [checker] : [],
      runDir: `runs/attempt-${plan.number}`,
      durationMs: 1000,
      message: '',
    });
  };
  return { run, plans };
}

describe('shrinkSearch', () => {
  test('keeps the two episodes that matter, halves the clients while it fails, then cuts the time', async () => {
    const { run, plans } = runFailingWhen([2, 5], 2);
    const outcome = await shrinkSearch(start, limits, run, clockVirtualCreate());
    expect(outcome.kept).toEqual([2, 5]);
    expect(outcome.concurrency).toBe(2);
    expect(outcome.attempts.length).toBeLessThanOrEqual(limits.attemptsMax);
    expect(outcome.end).toBe('done');
    // Episode 2 ends 9 s into lane 0 (plus an allowance for its start and its stop), later than episode 5 in lane 1.
    expect(outcome.timeLimitMs).toBe(Math.ceil((9000 + 2 * stepAllowanceMs + timeTailMs) / 1000) * 1000);
    expect(outcome.reproducedBy?.phase).toBe('time');
    expect(plans.filter((plan) => plan.phase === 'concurrency').map((plan) => plan.concurrency)).toEqual([4, 2, 1]);
    expect(outcome.schedule.lanes.map((lane) => lane.filter((step) => step['start'] !== undefined))).toEqual([
      [{ start: 'kill-node', targets: ['s20'] }],
      [{ start: 'kill-node', targets: ['s11'] }],
    ]);
    expect(episodesOf(outcome.schedule)).toHaveLength(2);
  });

  test('an attempt invalid by another checker does not reproduce the failure, unless any checker will do', async () => {
    const other = runFailingWhen([2, 5], 1, 'durability');
    const strict = await shrinkSearch(start, limits, other.run, clockVirtualCreate());
    expect(strict.kept).toHaveLength(8);
    expect(strict.reproducedBy).toBeNull();
    expect(strict.attempts.every((attempt) => !attempt.reproduces)).toBe(true);
    const loose = await shrinkSearch(start, { ...limits, anyChecker: true }, other.run, clockVirtualCreate());
    expect(loose.kept).toEqual([2, 5]);
    expect(loose.concurrency).toBe(1);
  });

  test('stops at the attempt bound with the best candidate so far', async () => {
    const { run, plans } = runFailingWhen([2, 5], 1);
    const outcome = await shrinkSearch(start, { ...limits, attemptsMax: 4 }, run, clockVirtualCreate());
    expect(plans).toHaveLength(4);
    expect(outcome.end).toBe('attempts');
    expect(outcome.kept).toEqual(expect.arrayContaining([2, 5]));
  });

  test('stops when the time budget is spent, checked before each attempt', async () => {
    const clock = clockVirtualCreate();
    const { run: inner, plans } = runFailingWhen([2, 5], 1);
    const run = async (plan: AttemptPlan): Promise<AttemptResult> => {
      await clock.advance(40_000);
      return inner(plan);
    };
    const outcome = await shrinkSearch(start, { ...limits, budgetMs: 100_000 }, run, clock);
    expect(plans).toHaveLength(3);
    expect(outcome.end).toBe('budget');
  });

  test('a schedule of one episode goes straight to the clients and the time', async () => {
    const one = scheduleJsonRead(
      { steps: [{ sleep: '2s' }, { start: 'kill-node' }, { sleep: '1s' }, { stop: 'kill-node' }] },
      'schedule.json',
    );
    if (!one.ok) throw new Error(one.error);
    const { run, plans } = runFailingWhen([0], 1);
    const outcome = await shrinkSearch(
      { ...start, schedule: one.schedule, concurrency: 2 },
      limits,
      run,
      clockVirtualCreate(),
    );
    expect(plans.map((plan) => plan.phase)).toEqual(['concurrency', 'time']);
    expect(outcome).toMatchObject({ kept: [0], concurrency: 1, timeLimitMs: 7000 });
  });
});
