import { describe, expect, test } from 'vitest';
import { clockCreate, clockVirtualCreate, pollUntil, PollTimeoutError } from './clock.js';

describe('the real clock', () => {
  test('sleep waits at least the time asked and ends early on abort', async () => {
    const clock = clockCreate();
    const start = clock.nowMs();
    await clock.sleep(20);
    expect(clock.nowMs() - start).toBeGreaterThanOrEqual(19);
    const controller = new AbortController();
    const sleeping = clock.sleep(60_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(clock.nowMs() - start).toBeLessThan(10_000);
  });
});

describe('pollUntil', () => {
  test('returns the first value the probe gives', async () => {
    const clock = clockVirtualCreate();
    let probes = 0;
    const value = clock.runUntil(
      pollUntil(clock, {
        what: 'the third probe',
        timeoutMs: 1000,
        intervalMs: 100,
        probe: () => (++probes === 3 ? 'ready' : null),
      }),
      10_000,
    );
    await expect(value).resolves.toBe('ready');
    expect(clock.nowMs()).toBe(200);
  });

  test('fails naming what it waited for, with the detail, when the bound runs out', async () => {
    const clock = clockVirtualCreate();
    const poll = pollUntil(clock, {
      what: 'node s1 to listen',
      timeoutMs: 500,
      intervalMs: 100,
      probe: () => null,
      detail: () => 'last status: down',
    });
    const error = await clock.runUntil(poll, 10_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PollTimeoutError);
    expect((error as Error).message).toBe('timed out after 500 ms waiting for node s1 to listen (last status: down)');
    expect(clock.nowMs()).toBe(500);
  });

  test('stops when the signal aborts', async () => {
    const clock = clockCreate();
    const controller = new AbortController();
    const poll = pollUntil(clock, {
      what: 'never',
      timeoutMs: 60_000,
      intervalMs: 10,
      probe: () => null,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 30);
    await expect(poll).rejects.toThrow('stopped waiting for never: aborted');
  });
});

describe('the virtual clock', () => {
  test('wakes sleepers in deadline order as time advances', async () => {
    const clock = clockVirtualCreate();
    const woke: string[] = [];
    void clock.sleep(300).then(() => woke.push('c'));
    void clock.sleep(100).then(() => woke.push('a'));
    void clock.sleep(200).then(() => woke.push('b'));
    await clock.advance(150);
    expect(woke).toEqual(['a']);
    await clock.advance(1000);
    expect(woke).toEqual(['a', 'b', 'c']);
    expect(clock.sleepers).toBe(0);
    expect(clock.wallIso()).toBe('2026-01-01T00:00:01.150Z');
  });

  test('runUntil refuses to run past its bound of simulated time', async () => {
    const clock = clockVirtualCreate();
    const forever = (async () => {
      for (;;) await clock.sleep(1000);
    })();
    await expect(clock.runUntil(forever, 5000)).rejects.toThrow('still waiting after 5000 ms');
  });
});
