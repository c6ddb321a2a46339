// Aims resolved from hand-made snapshots: the SCL orders and their ties,
// count cuts, the writer aims, the AZ shapes of AZ faults, and the aims that
// name nothing.

import { describe, expect, it } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import { snapshotMake } from '../test-support/snapshot-fixtures.js';
import { aimOrder, aimResolve, type AimRequest, type AimShape } from './aims.js';

/** PG 0 is the newest (s10 at 40); PG 1 has the widest gap (30 against 0). */
const twoPgs = snapshotMake({
  pgCount: 2,
  storage: { s00: [35, 30], s01: [35, 25], s10: [40, 10], s11: [37, 0], s20: [38, 30], s21: 'unreachable' },
  writers: { w0: { role: 'writer', epoch: 3 }, w1: { role: 'standby', ready: false } },
});

function resolved(request: AimRequest, shape: AimShape = 'nodes', snapshot = twoPgs, seed = 1): unknown {
  const resolution = aimResolve(request, shape, snapshot, prngCreate(seed));
  return resolution.ok ? resolution.targets : resolution.error;
}

describe('aims', () => {
  it.each([
    ['newest', ['s10', 's20', 's11']],
    ['newest-quorum', ['s10', 's20', 's11']],
    ['gap-pg', ['s11', 's10', 's01']],
    ['primary', ['w0']],
    ['standby', ['w1']],
    ['all-storage', ['s00', 's01', 's10', 's11', 's20', 's21']],
  ] as const)('%s orders the nodes it names', (aim, start) => {
    expect((resolved({ aim }) as string[]).slice(0, start.length)).toEqual(start);
  });

  it('newest leaves out a replica that did not answer; quorum-rest and all-storage keep it', () => {
    expect(resolved({ aim: 'newest' })).not.toContain('s21');
    expect(resolved({ aim: 'quorum-rest' })).toContain('s21');
    expect(resolved({ aim: 'all-storage' })).toContain('s21');
  });

  it('puts nodes other faults hold last, so a second fault strikes what the first left alone', () => {
    const newest = resolved({ aim: 'newest' }) as string[];
    const struck = new Set(newest.slice(0, 2)) as ReadonlySet<string> as ReadonlySet<never>;
    const again = aimResolve({ aim: 'newest', count: 2 }, 'nodes', twoPgs, prngCreate(1), struck);
    expect(again).toEqual({ ok: true, targets: newest.slice(2, 4) });
    const all = aimResolve({ aim: 'all-storage' }, 'nodes', twoPgs, prngCreate(1), struck);
    expect(all.ok && all.targets).toHaveLength(6);
  });

  it('newest-quorum is the first write quorum of newest and quorum-rest everything else', () => {
    const quorum = resolved({ aim: 'newest-quorum' }) as string[];
    const rest = resolved({ aim: 'quorum-rest' }) as string[];
    expect(quorum).toHaveLength(4);
    expect(quorum).toEqual((resolved({ aim: 'newest' }) as string[]).slice(0, 4));
    expect([...quorum, ...rest].sort()).toEqual(['s00', 's01', 's10', 's11', 's20', 's21']);
  });

  it('replicas of equal SCL come in an order drawn from the Prng, the same for the same seed', () => {
    const tied = snapshotMake({ storage: { s00: [9], s01: [9], s10: [9], s11: [9], s20: [9], s21: [9] } });
    const orders = new Set(
      [1, 2, 3, 4, 5, 6].map((seed) => JSON.stringify(resolved({ aim: 'newest' }, 'nodes', tied, seed))),
    );
    expect(orders.size).toBeGreaterThan(1);
    expect(resolved({ aim: 'newest' }, 'nodes', tied, 5)).toEqual(resolved({ aim: 'newest' }, 'nodes', tied, 5));
  });

  it('laggard is newest reversed for the same Prng state', () => {
    expect((resolved({ aim: 'laggard' }) as string[]).slice(2)).toEqual(['s11', 's20', 's10']);
    const newest = aimOrder('newest', twoPgs, prngCreate(9));
    expect(aimOrder('laggard', twoPgs, prngCreate(9))).toEqual([...newest].reverse());
  });

  it('gap-pg falls back to laggard when every replica holds the same', () => {
    const even = snapshotMake({ storage: { s00: [4], s01: [4], s10: [4] } });
    expect(aimOrder('gap-pg', even, prngCreate(3))).toEqual(aimOrder('laggard', even, prngCreate(3)));
  });

  it('count cuts the ordered list', () => {
    expect(resolved({ aim: 'newest', count: 2 })).toEqual(['s10', 's20']);
    expect(resolved({ aim: 'all-storage', count: 1 })).toEqual(['s00']);
    expect(resolved({ aim: 'laggard', count: 10 })).toHaveLength(5);
  });

  it('primary is the ready writer of the highest epoch, not a deposed one that still believes it leads', () => {
    const deposed = snapshotMake({
      storage: { s00: [1] },
      writers: { w0: { role: 'writer', epoch: 2 }, w1: { role: 'writer', epoch: 3 } },
    });
    expect(resolved({ aim: 'primary' }, 'nodes', deposed)).toEqual(['w1']);
    const silent = snapshotMake({ storage: { s00: [1] }, writers: { w0: 'unreachable' }, primaryDeclared: 'w1' });
    expect(resolved({ aim: 'primary' }, 'nodes', silent)).toEqual(['w1']);
  });

  it.each([
    ['az', { aim: 'newest' }, ['s10', 's11', 'w1']],
    ['az-storage', { aim: 'newest' }, ['s10', 's11']],
    ['az-plus-one', { aim: 'newest' }, ['s10', 's11', 's20', 'w1']],
    ['az', { aim: 'primary' }, ['s00', 's01', 'w0']],
    ['az', { aim: 'all-storage' }, ['s00', 's01', 's10', 's11', 's20', 's21']],
    ['az-storage', { aim: 'newest', count: 1 }, ['s10', 's11']],
  ] as const)('shape %s of %j takes the AZ of its first node', (shape, request, targets) => {
    expect(resolved(request, shape)).toEqual(targets);
  });

  it('az-plus-one without a storage node of the aim outside the AZ is the AZ alone', () => {
    expect(resolved({ aim: 'newest', count: 1 }, 'az-plus-one')).toEqual(['s10', 's11', 'w1']);
    expect(resolved({ aim: 'primary' }, 'az-plus-one')).toEqual(['s00', 's01', 'w0']);
  });

  it('random leaves the choice to the fault; an aim naming nothing is an error', () => {
    expect(resolved({ aim: 'random', count: 2 })).toBeNull();
    const alone = snapshotMake({ storage: { s00: [1] }, writers: { w0: {} } });
    expect(resolved({ aim: 'standby' }, 'nodes', alone)).toMatch(/standby/);
    expect(resolved({ aim: 'newest' }, 'nodes', snapshotMake({ storage: { s00: 'unreachable' } }))).toMatch(
      /names no node/,
    );
  });
});
