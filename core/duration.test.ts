import { describe, expect, it } from 'vitest';
import { durationDayMsMax, durationParse, timerMsMax } from './duration.js';

describe('durationParse', () => {
  it.each([
    ['30s', 30_000],
    ['1500ms', 1500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['2.5', 2500],
  ])('reads %s as %i ms', (text, ms) => {
    expect(durationParse(text)).toEqual({ ok: true, ms });
  });

  it.each(['9999h', '9999999h', '99999999999999999999', '2147484s'])(
    'refuses %s, beyond what a Node timer keeps, naming the largest value allowed',
    (text) => {
      const parsed = durationParse(text);
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toBe(`at most 2147483647ms (about 596h), got "${text}"`);
    },
  );

  it('takes exactly the timer bound and refuses one millisecond more', () => {
    expect(durationParse(`${timerMsMax}ms`)).toEqual({ ok: true, ms: timerMsMax });
    expect(durationParse(`${timerMsMax + 1}ms`).ok).toBe(false);
  });

  it('a smaller bound is named in hours', () => {
    expect(durationParse('25h', durationDayMsMax)).toEqual({ ok: false, error: 'at most 24h, got "25h"' });
  });
});
