import { describe, expect, test } from 'vitest';
import { sweepNext, type SweepRule, type SweepStep } from './sweep.js';

const rule: SweepRule = {
  rateStart: 100,
  rateFactor: 2,
  rateMax: 10_000,
  stepsMax: 10,
  p99MaxUs: 50_000,
  growthMin: 0.05,
};

const step = (rate: number, goodputPerSec: number, p99Ms: number | null): SweepStep => ({
  rate,
  goodputPerSec,
  p99Us: p99Ms === null ? null : p99Ms * 1000,
});

describe('the sweep stop rule', () => {
  test('starts at the first rate and multiplies it while goodput grows within the p99 bound', () => {
    expect(sweepNext(rule, [])).toEqual({ stop: false, rate: 100 });
    expect(sweepNext(rule, [step(100, 100, 5), step(200, 199, 6)])).toEqual({ stop: false, rate: 400 });
  });

  test('stops when the p99 crosses the bound; saturation is the best step within it', () => {
    const next = sweepNext(rule, [step(100, 100, 5), step(200, 198, 8), step(400, 390, 80)]);
    expect(next).toMatchObject({ stop: true, saturation: 1 });
    if (next.stop) expect(next.reason).toMatch(/p99 80\.0 ms at 400\/s crossed 50\.0 ms/);
  });

  test('stops when goodput gains less than the minimum over the best before', () => {
    const next = sweepNext(rule, [step(100, 100, 5), step(200, 198, 8), step(400, 205, 20)]);
    expect(next).toMatchObject({ stop: true, saturation: 2 });
    if (next.stop) expect(next.reason).toMatch(/goodput stopped growing: 205\/s at 400\/s against 198\/s/);
  });

  test('a step with no ok operation has no p99 and stops the sweep', () => {
    expect(sweepNext(rule, [step(100, 100, 5), step(200, 0, null)])).toMatchObject({ stop: true, saturation: 0 });
  });

  test('stops at the rate bound and at the step bound', () => {
    expect(sweepNext({ ...rule, rateMax: 300 }, [step(100, 100, 1), step(200, 200, 1)])).toMatchObject({
      stop: true,
      reason: 'rate bound 300/s reached',
    });
    expect(sweepNext({ ...rule, stepsMax: 2 }, [step(100, 100, 1), step(200, 200, 1)])).toMatchObject({
      stop: true,
      reason: 'step bound 2 reached',
    });
  });

  test('no step within the bound has no saturation point', () => {
    expect(sweepNext(rule, [step(100, 90, 70)])).toMatchObject({ stop: true, saturation: null });
  });
});
