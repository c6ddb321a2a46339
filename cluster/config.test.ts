import { describe, expect, it, test } from 'vitest';
import { bugNames, clusterConfigDefault, clusterConfigParse } from './config.js';

describe('cluster configuration', () => {
  it('defaults to the Aurora geometry: 3 AZs x 2 nodes, write quorum 4, read quorum 3, one PG', () => {
    const parsed = clusterConfigParse(undefined);
    expect(parsed).toEqual({ ok: true, config: clusterConfigDefault });
    expect(clusterConfigDefault.geometry).toEqual({
      azCount: 3,
      nodesPerAz: 2,
      writeQuorum: 4,
      readQuorum: 3,
      pgCount: 1,
    });
  });

  it('fills missing fields from the defaults and keeps the ones given', () => {
    const parsed = clusterConfigParse({ geometry: { pgCount: 3 }, writer: { cacheEnabled: false } });
    expect(parsed.ok && parsed.config.geometry).toEqual({ ...clusterConfigDefault.geometry, pgCount: 3 });
    expect(parsed.ok && parsed.config.writer.cacheEnabled).toBe(false);
    expect(parsed.ok && Object.isFrozen(parsed.config.geometry)).toBe(true);
  });

  test.each([
    [{ geometry: { readQuorum: 2 } }, 'config.geometry.readQuorum: Vr + Vw must exceed V', '2 + 4 <= 6'],
    [
      { geometry: { writeQuorum: 3, readQuorum: 4 } },
      'config.geometry.writeQuorum: Vw must exceed V/2',
      '3 with V = 6',
    ],
    [{ geometry: { writeQuorum: 7 } }, 'config.geometry.writeQuorum: 7 exceeds the 6 replicas', ''],
    [{ geometry: { azCount: 0 } }, 'config.geometry.azCount: must be a positive integer', 'got 0'],
    [{ geometry: { pgCount: 1.5 } }, 'config.geometry.pgCount: must be a positive integer', 'got 1.5'],
    [{ geometry: { nodes: 6 } }, 'config.geometry.nodes: unknown field', ''],
    [{ geometry: { azCount: '3' } }, 'config.geometry.azCount: expected a number', 'got "3"'],
    [{ storage: { blockBytes: 1000 } }, 'config.storage.blockBytes: must be a multiple of 512', 'got 1000'],
    [{ quorum: 4 }, 'config.quorum: unknown field', ''],
    [{ bugs: 'skip-crc' }, 'config.bugs: expected a list of bug names', ''],
  ])('rejects %j, naming the field', (raw, message, detail) => {
    const parsed = clusterConfigParse(raw);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error).toContain(message);
    expect(parsed.error).toContain(detail);
  });

  it('accepts other valid geometries, such as 5 AZs x 1 node with quorums 3/3', () => {
    const parsed = clusterConfigParse({ geometry: { azCount: 5, nodesPerAz: 1, writeQuorum: 3, readQuorum: 3 } });
    expect(parsed.ok).toBe(true);
  });

  it('switches bugs on by name and rejects an unknown name with the list of known ones', () => {
    const on = clusterConfigParse({ bugs: ['skip-crc', 'no-truncation', 'skip-crc'] });
    expect(on.ok && on.config.bugs).toEqual(['skip-crc', 'no-truncation']);
    const unknown = clusterConfigParse({ bugs: ['skip-crc', 'lose-everything'] });
    expect(unknown.ok).toBe(false);
    if (unknown.ok) return;
    expect(unknown.error).toContain('config.bugs[1]: unknown bug "lose-everything"');
    for (const name of bugNames) expect(unknown.error).toContain(name);
  });
});
