import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { scheduleFileParse } from '../../nemesis/schedule/schedule-file.js';
import {
  episodesOf,
  scheduleJsonRead,
  scheduleJsonText,
  scheduleKeep,
  scheduleSpanMs,
  scheduleStarts,
  stepAllowanceMs,
  type ScheduleJson,
} from './episodes.js';

function read(raw: unknown): ScheduleJson {
  const parsed = scheduleJsonRead(raw, 'schedule.json');
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.schedule;
}

const fileOf = (name: string): unknown => JSON.parse(readFileSync(`nemesis/schedules/${name}.json`, 'utf8'));

describe('episodes', () => {
  test('interleaved starts and stops of one lane pair up by fault, in order of start', () => {
    const schedule = read(fileOf('stalled-writer-killed'));
    const episodes = episodesOf(schedule);
    expect(episodes.map((episode) => episode.fault)).toEqual([
      'partition-writer-storage',
      'kill-writer',
      'partition-writer-storage',
      'kill-writer',
      'partition-writer-storage',
      'kill-writer',
    ]);
    expect(episodes[0]).toMatchObject({ index: 0, lane: 0, steps: [1, 4], startAtMs: 3000 });
    expect(episodes[1]).toMatchObject({ index: 1, lane: 0, steps: [3, 5], startAtMs: 3600 });
    expect(episodes[2]).toMatchObject({ steps: [7, 10], startAtMs: 6100 });
  });

  test('an await or burst goes with the next start; one after the last start with the last episode', () => {
    const schedule = read({
      lanes: [
        [
          { start: 'kill-writer' },
          { stop: 'kill-writer' },
          { await: 'writer-recovering', timeout: '5s' },
          { burst: 16, for: '1500ms' },
          { sleep: '1s' },
          { start: 'kill-node', aim: 'newest', count: 2 },
          { stop: 'kill-node' },
          { await: 'caught-up', timeout: '3s' },
        ],
        [{ sleep: '2s' }, { start: 'slow-links' }, { sleep: '1s' }, { stop: 'slow-links' }],
      ],
    });
    expect(episodesOf(schedule).map(({ lane, fault, steps }) => ({ lane, fault, steps }))).toEqual([
      { lane: 0, fault: 'kill-writer', steps: [0, 1] },
      { lane: 0, fault: 'kill-node', steps: [2, 3, 5, 6, 7] },
      { lane: 1, fault: 'slow-links', steps: [1, 3] },
    ]);
  });

  test('keeping episodes keeps every sleep before their steps, drops lanes with no start and trailing sleeps', () => {
    const schedule = read({
      lanes: [
        [{ sleep: '1s' }, { start: 'kill-node', targets: ['s00'] }, { sleep: '2s' }, { stop: 'kill-node' }],
        [{ sleep: '500ms' }, { start: 'pause-node' }, { sleep: '1s' }, { stop: 'pause-node' }, { sleep: '9s' }],
        [{ start: 'slow-links' }, { sleep: '3s' }, { stop: 'slow-links' }, { sleep: '4s' }],
      ],
    });
    const kept = scheduleKeep(schedule, episodesOf(schedule), [1, 2]);
    expect(kept.lanes).toEqual([
      [{ sleep: '500ms' }, { start: 'pause-node' }, { sleep: '1s' }, { stop: 'pause-node' }],
      [{ start: 'slow-links' }, { sleep: '3s' }, { stop: 'slow-links' }],
    ]);
    expect(scheduleStarts(kept)).toBe(2);
    expect(read(JSON.parse(scheduleJsonText(kept)))).toEqual(kept);
  });

  test('a mark stays while its scenario keeps a start, and goes with the last of them', () => {
    const schedule = read({
      steps: [
        { mark: 'quorum-shift' },
        { start: 'partition-node', aim: 'quorum-rest' },
        { sleep: '1s' },
        { stop: 'partition-node' },
        { mark: 'writer-cut-then-killed' },
        { start: 'kill-writer' },
        { stop: 'kill-writer' },
      ],
    });
    expect(episodesOf(schedule)).toHaveLength(2);
    expect(scheduleKeep(schedule, episodesOf(schedule), [1]).lanes[0]).toEqual([
      { sleep: '1s' },
      { mark: 'writer-cut-then-killed' },
      { start: 'kill-writer' },
      { stop: 'kill-writer' },
    ]);
  });

  test('a kept one-lane file is written with "steps" and the nemesis parser accepts it', () => {
    const schedule = read(fileOf('quorum-loss'));
    const episodes = episodesOf(schedule);
    expect(episodes).toHaveLength(5);
    const kept = scheduleKeep(schedule, episodes, [1]);
    const text = scheduleJsonText(kept);
    expect(JSON.parse(text)).toEqual({
      steps: [{ sleep: '2s' }, { sleep: '3s' }, { start: 'kill-writer' }, { stop: 'kill-writer' }],
    });
    const parsed = scheduleFileParse('shrunk-schedule.json', text);
    expect(parsed.ok).toBe(true);
  });

  test('the span counts sleeps, await timeouts and an allowance per start and stop, lane by lane', () => {
    const schedule = read({
      lanes: [
        [{ sleep: '1s' }, { start: 'kill-writer' }, { await: 'writer-ready', timeout: '4s' }, { stop: 'kill-writer' }],
        [{ sleep: '2s' }, { start: 'slow-links', untilOk: 3 }],
      ],
    });
    expect(scheduleSpanMs(schedule)).toBe(1000 + 4000 + 2 * stepAllowanceMs);
    expect(scheduleSpanMs({ ...schedule, repeat: true })).toBeNull();
  });

  test.each([
    { raw: [], error: 'schedule.json: expected an object with "steps" or "lanes"' },
    { raw: { steps: [] }, error: 'schedule.json.steps: expected a non-empty list' },
    { raw: { lanes: [[{ jump: 1 }]] }, error: 'schedule.json.lanes[0][0]: expected a sleep, start, stop, await' },
    { raw: { steps: [{ sleep: '1s' }], repeat: 'no' }, error: 'schedule.json.repeat: expected true or false' },
  ])('a malformed file is an error naming the field: $error', ({ raw, error }) => {
    const parsed = scheduleJsonRead(raw, 'schedule.json');
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toContain(error);
  });
});
