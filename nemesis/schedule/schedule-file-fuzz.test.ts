import { describe, expect, it } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { fuzzCases, fuzzFirstFailure, fuzzInputs } from '../../core/test-support/fuzz.js';
import { scheduleFileParse } from './schedule-file.js';

// The schedule file parser, fed mutations of valid files: a spec or one error
// naming the file, never a throw or a hang.

const valid = [
  JSON.stringify({
    repeat: false,
    steps: [{ sleep: '2s' }, { start: 'kill-node', targets: ['s00'] }, { stop: 'kill-node' }],
  }),
  JSON.stringify({
    lanes: [
      [
        { start: 'partition-node', aim: 'newest', count: 1, untilOk: 3 },
        { await: 'writer-ready', timeout: '5s' },
      ],
      [{ solo: 'begin' }, { burst: 8, for: '1500ms' }, { solo: 'end' }, { start: 'pause-node' }, { mark: 'x' }],
    ],
  }),
];

describe('schedule files under fuzzing', () => {
  it(`${fuzzCases} mutated files each give a spec or an error naming the file`, () => {
    const clock = clockCreate();
    for (const sample of valid) expect(scheduleFileParse('s.json', sample).ok, sample).toBe(true);
    const failure = fuzzFirstFailure(
      fuzzInputs(valid),
      (text) => {
        const parsed = scheduleFileParse('s.json', text);
        if (!parsed.ok && !parsed.error.startsWith('s.json'))
          throw new Error(`error not naming the file: ${parsed.error}`);
        return parsed;
      },
      () => clock.nowMs(),
    );
    expect(failure, failure?.input.slice(0, 300)).toBeNull();
  }, 30_000);
});
