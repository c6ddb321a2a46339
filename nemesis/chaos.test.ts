import { describe, expect, it } from 'vitest';
import { clockCreate } from '../core/clock.js';
import { prngCreate } from '../core/prng.js';
import { awaitTimeoutMsDefault, awaitTimeoutOf, targetsRequestOf } from './chaos-request.js';
import { chaosNemesisCreate } from './chaos.js';
import { nemesisErrors, type NemesisErrorCode } from './errors.js';
import type { NemesisPackage } from './nemesis.js';

/** A chaos nemesis with no cluster behind it: these operations must fail before touching one. */
function detached(faults: readonly string[], unavailable: ReadonlyMap<string, string> = new Map()): NemesisPackage {
  return chaosNemesisCreate({ faults, schedule: { kind: 'fixed' }, unavailable })({
    runtime: null as never,
    prng: prngCreate(1),
    clock: clockCreate(),
    intervalMs: 1000,
  });
}

describe('the chaos nemesis fails with a registered code', () => {
  it.each<{ name: string; faults: string[]; f: string; code: NemesisErrorCode; message: RegExp }>([
    {
      name: 'an operation on a fault the run did not choose',
      faults: ['kill-node'],
      f: 'start-partition-node',
      code: 'unknown-fault',
      message: /start-partition-node is not a fault of this run \(kill-node\)/,
    },
    {
      name: 'a link fault where the runtime has no link backend',
      faults: ['partition-halves'],
      f: 'start-partition-halves',
      code: 'no-link-backend',
      message: /no way to act on links/,
    },
    {
      name: 'power loss with the volatile write cache off',
      faults: ['power-loss'],
      f: 'start-power-loss',
      code: 'volatile-write-cache-off',
      message: /volatileWriteCache/,
    },
    {
      name: 'a fault the runtime cannot inject',
      faults: ['slow-links'],
      f: 'start-slow-links',
      code: 'unavailable',
      message: /^tc netem missing$/,
    },
  ])('$name: $code', async ({ faults, f, code, message }) => {
    const chaos = detached(faults, new Map([['slow-links', 'tc netem missing']]));
    const outcome = await chaos.nemesis.invoke({ f, value: null });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error.code).toBe(code);
    expect(outcome.error.message).toMatch(message);
    expect(nemesisErrors[code].definite).toBe(true);
  });
});

describe('requests the chaos nemesis reads from an operation value', () => {
  it.each([
    [null, null],
    [{ targets: ['s00', 'w0'] }, ['s00', 'w0']],
    [{ aim: 'newest' }, { aim: 'newest' }],
    [
      { aim: 'quorum-rest', count: 2 },
      { aim: 'quorum-rest', count: 2 },
    ],
    [{ something: 'else' }, null],
  ])('%j asks for %j', (value, requested) => {
    expect(targetsRequestOf(value)).toEqual({ ok: true, requested });
  });

  it.each([
    [{ aim: 'oldest' }, /aim "oldest" is not one of newest, laggard/],
    [{ aim: 'newest', count: 0 }, /count must be a whole number of at least 1, got 0/],
    [{ aim: 'newest', count: 1.5 }, /got 1.5/],
  ])('%j is refused', (value, error) => {
    const read = targetsRequestOf(value);
    expect(read.ok).toBe(false);
    if (!read.ok) expect(read.error).toMatch(error);
  });

  it.each([
    [{ timeoutMs: 800 }, 800],
    [{ timeoutMs: 90_000 }, 30_000],
    [{ timeoutMs: -1 }, awaitTimeoutMsDefault],
    [null, awaitTimeoutMsDefault],
  ])('await value %j waits at most %d ms', (value, timeoutMs) => {
    expect(awaitTimeoutOf(value)).toBe(timeoutMs);
  });

  it('refuses an unknown aim and an unknown await before touching the cluster, with nothing left active', async () => {
    const chaos = detached(['kill-node']);
    const aimed = await chaos.nemesis.invoke({ f: 'start-kill-node', value: { aim: 'oldest' } });
    expect(aimed.ok ? null : aimed.error.code).toBe('unknown-target');
    const awaited = await chaos.nemesis.invoke({ f: 'await-sunrise', value: { timeoutMs: 10 } });
    expect(awaited.ok ? null : awaited.error.code).toBe('unknown-fault');
    expect(chaos.faultsActive()).toEqual([]);
  });
});
