import { describe, expect, it } from 'vitest';
import { clockCreate } from '../core/clock.js';
import { prngCreate } from '../core/prng.js';
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
