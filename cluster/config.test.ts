import { describe, expect, it, test } from 'vitest';
import { bugNames, clusterConfigDefault, clusterConfigParse, clusterConfigRanges } from './config.js';

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
    [{ geometry: { azCount: 0 } }, 'config.geometry.azCount: must be an integer from 1 to 16', 'got 0'],
    [{ geometry: { pgCount: 1.5 } }, 'config.geometry.pgCount: must be an integer from 1 to 1024', 'got 1.5'],
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

  test.each([
    [{ geometry: { pgCount: 1e300 } }, 'config.geometry.pgCount: must be an integer from 1 to 1024, got 1e+300'],
    [{ geometry: { pgCount: 1025 } }, 'config.geometry.pgCount: must be an integer from 1 to 1024, got 1025'],
    [{ geometry: { azCount: 17 } }, 'config.geometry.azCount: must be an integer from 1 to 16, got 17'],
    [{ geometry: { nodesPerAz: 0 } }, 'config.geometry.nodesPerAz: must be an integer from 1 to 16, got 0'],
    [
      { geometry: { azCount: 10, nodesPerAz: 10, writeQuorum: 51, readQuorum: 50 } },
      'config.geometry.nodesPerAz: azCount x nodesPerAz must be at most 64 storage nodes, got 10 x 10 = 100',
    ],
    [{ geometry: { azCount: 10, nodesPerAz: 100 } }, 'config.geometry.nodesPerAz: must be an integer from 1 to 16'],
    [{ geometry: { writeQuorum: -1 } }, 'config.geometry.writeQuorum: must be an integer from 1 to 64, got -1'],
    [{ storage: { gossipIntervalMs: 0 } }, 'config.storage.gossipIntervalMs: must be an integer from 10 to 3600000'],
    [{ storage: { scrubIntervalMs: 0 } }, 'config.storage.scrubIntervalMs: must be an integer from 10 to 3600000'],
    [{ storage: { coalesceIntervalMs: 0 } }, 'config.storage.coalesceIntervalMs: must be an integer from 10 to'],
    [{ storage: { gossipIntervalMs: 1e12 } }, 'config.storage.gossipIntervalMs: must be an integer from 10 to 3600000'],
    [{ storage: { blockBytes: 1073741824 } }, 'config.storage.blockBytes: must be an integer from 512 to 65536'],
    [{ storage: { blockBytes: 0 } }, 'config.storage.blockBytes: must be an integer from 512 to 65536, got 0'],
    [{ writer: { quorumTimeoutMs: -5 } }, 'config.writer.quorumTimeoutMs: must be an integer from 1 to 600000, got -5'],
    [{ writer: { backpressureTimeoutMs: 0 } }, 'config.writer.backpressureTimeoutMs: must be an integer from 1 to'],
    [{ writer: { hedgeAfterMs: 0 } }, 'config.writer.hedgeAfterMs: must be an integer from 1 to 60000, got 0'],
    [{ writer: { hedgeAfterMs: Number.NaN } }, 'config.writer.hedgeAfterMs: must be an integer from 1 to 60000'],
    [{ writer: { allocationLimit: 1e10 } }, 'config.writer.allocationLimit: must be an integer from 1 to 100000000'],
    [{ writer: { batchRecordsMax: 200_000 } }, 'config.writer.batchRecordsMax: must be an integer from 1 to 100000'],
  ])('rejects %j at parse time, naming the field and its range', (raw, message) => {
    const parsed = clusterConfigParse(raw);
    expect(parsed).toEqual({ ok: false, error: expect.stringContaining(message) as unknown });
  });

  it('gives every numeric field of the config a range', () => {
    for (const [section, fields] of Object.entries(clusterConfigRanges)) {
      const defaults = clusterConfigDefault[section as keyof typeof clusterConfigRanges] as unknown as Record<
        string,
        unknown
      >;
      const numeric = Object.keys(defaults).filter((key) => typeof defaults[key] === 'number');
      expect(Object.keys(fields).sort()).toEqual(numeric.sort());
    }
  });

  it('accepts every bound of every range', () => {
    for (const [section, fields] of Object.entries(clusterConfigRanges)) {
      for (const [field, range] of Object.entries(fields as Record<string, { min: number; max: number }>)) {
        if (section === 'geometry') continue;
        for (const value of [range.min, range.max]) {
          const parsed = clusterConfigParse({ [section]: { [field]: value } });
          expect(parsed.ok ? 'ok' : parsed.error).toBe('ok');
        }
      }
    }
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
