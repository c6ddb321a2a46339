import { describe, expect, it } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import { genTake } from '../../workloads/generator.js';
import {
  cycle,
  deferred,
  flipFlop,
  lanes,
  mix,
  pause,
  phases,
  seq,
  stagger,
  timeBox,
  type Sched,
} from './combinators.js';
import { lanesExpand } from './schedule.js';
import { awaitStep, sleepStep, startPlanStep, stopPlanStep, type PlanStep } from './plan.js';

const context = (seed: number) => ({ prng: prngCreate(seed), process: 'nemesis' as const, timeNs: 0 });

/** A step as a short word: "sleep 500", "start kill-node", "stop kill-node", "await caught-up". */
function words(steps: readonly PlanStep[]): string[] {
  return steps.map((step) => {
    switch (step.kind) {
      case 'sleep':
        return `sleep ${step.ms}`;
      case 'start':
      case 'stop':
        return `${step.kind} ${step.fault}`;
      case 'await':
        return `await ${step.event}`;
      case 'burst':
        return `burst ${step.clients}`;
      case 'mark':
        return `mark ${step.label}`;
      case 'solo':
        return `solo ${step.begin ? 'begin' : 'end'}`;
    }
  });
}

const take = (gen: Sched, seed = 1, count = 100): string[] => words(genTake(gen, count, context(seed)));
const fault = (name: string): Sched => seq(startPlanStep(name), stopPlanStep(name));

describe('the schedule generator language', () => {
  it('seq plays steps and generators in order', () => {
    expect(take(seq(sleepStep(5), fault('kill-node'), awaitStep('caught-up', 1000)))).toEqual([
      'sleep 5',
      'start kill-node',
      'stop kill-node',
      'await caught-up',
    ]);
  });

  it('pause draws one sleep within half to one and a half of its mean, the same for the same seed', () => {
    expect(take(pause(1000), 1)).toEqual(['sleep 1304']);
    expect(take(pause(1000), 1)).toEqual(take(pause(1000), 1));
    expect(take(pause(1000), 2)).not.toEqual(take(pause(1000), 1));
    for (let seed = 0; seed < 50; seed++) {
      const ms = genTake(pause(1000), 1, context(seed))[0]!;
      expect(ms.kind === 'sleep' && ms.ms >= 500 && ms.ms < 1500).toBe(true);
    }
  });

  it('stagger puts a random gap before every step', () => {
    expect(take(stagger(100, fault('pause-node')), 3)).toEqual([
      'sleep 57',
      'start pause-node',
      'sleep 112',
      'stop pause-node',
    ]);
  });

  it('mix plays one whole entry, drawn by weight', () => {
    const chosen = (seed: number): string =>
      take(
        mix([
          { weight: 1, gen: fault('a') },
          { weight: 3, gen: fault('b') },
        ]),
        seed,
      )[0]!;
    const draws = Array.from({ length: 400 }, (_, seed) => chosen(seed));
    expect(take(mix([{ weight: 1, gen: fault('a') }]))).toEqual(['start a', 'stop a']);
    const b = draws.filter((d) => d === 'start b').length;
    expect(b).toBeGreaterThan(250);
    expect(b).toBeLessThan(350);
    expect(take(mix([]))).toEqual([]);
  });

  it('cycle repeats a fragment a bounded number of times, drawing anew each round', () => {
    expect(take(cycle(3, fault('kill-node')))).toEqual([
      'start kill-node',
      'stop kill-node',
      'start kill-node',
      'stop kill-node',
      'start kill-node',
      'stop kill-node',
    ]);
    expect(take(cycle(3, pause(1000)), 1)).toEqual(['sleep 1304', 'sleep 982', 'sleep 1313']);
    expect(() => cycle(-1, fault('x'))).toThrow(/cycle times/);
    expect(genTake(cycle(10_000, seq()), 10, context(1))).toEqual([]);
  });

  it('flipFlop alternates the two until either ends', () => {
    const starts = seq(startPlanStep('a'), startPlanStep('b'), startPlanStep('c'));
    const stops = seq(stopPlanStep('a'), stopPlanStep('b'));
    expect(take(flipFlop(starts, stops))).toEqual(['start a', 'stop a', 'start b', 'stop b', 'start c']);
  });

  it('deferred builds its generator from the context when first asked', () => {
    const shuffled = deferred((c) => seq(...c.prng.shuffle(['a', 'b', 'c', 'd']).map((name) => startPlanStep(name))));
    expect(take(shuffled, 1)).toEqual(['start a', 'start c', 'start b', 'start d']);
    expect(take(shuffled, 1)).toEqual(take(shuffled, 1));
  });

  it('phases take exactly their time: padded when short, cut when over with every started fault stopped', () => {
    const long = seq(startPlanStep('kill-node'), sleepStep(5000), stopPlanStep('kill-node'));
    expect(
      take(phases({ ms: 1000, gen: sleepStep(300) }, { ms: 2000, gen: long }, { ms: 500, gen: fault('x') })),
    ).toEqual([
      'sleep 300',
      'sleep 700',
      'start kill-node',
      'sleep 1600',
      'stop kill-node',
      'start x',
      'stop x',
      'sleep 100',
    ]);
  });

  it('a time box without padding stops at the budget, dropping a start that does not fit', () => {
    const steps = seq(sleepStep(900), startPlanStep('a'), sleepStep(50), startPlanStep('b'), stopPlanStep('b'));
    expect(take(timeBox(1000, steps, { pad: false }))).toEqual(['sleep 900']);
    expect(take(timeBox(1000, steps, { pad: false, costOf: (s) => (s.kind === 'sleep' ? s.ms : 0) }))).toEqual([
      'sleep 900',
      'start a',
      'sleep 50',
      'start b',
      'stop b',
      'stop a',
    ]);
  });

  it('lanes expand side by side, one Prng for all in lane order, each fitted into the time limit', () => {
    const plan = lanesExpand(
      lanes(cycle(100, seq(fault('kill-node'), pause(1000))), stagger(500, fault('slow-links')), seq()),
      2500,
      prngCreate(1),
    );
    expect(plan.lanes.map(words)).toEqual([
      ['start kill-node', 'stop kill-node', 'sleep 1304', 'start kill-node', 'stop kill-node', 'sleep 396'],
      ['sleep 657', 'start slow-links', 'sleep 344', 'stop slow-links'],
    ]);
  });
});
