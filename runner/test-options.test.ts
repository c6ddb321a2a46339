import { describe, expect, it } from 'vitest';
import { testOptionsParse, type TestFlags, type TestOptions } from './test-options.js';

function parse(flags: TestFlags, config: object | null = null): TestOptions {
  const result = testOptionsParse(flags, { seedDefault: 1234, configFile: config === null ? null : { path: 'c.json', text: JSON.stringify(config) } });
  if (!result.ok) throw new Error(result.error);
  return result.options;
}

describe('test options', () => {
  it('fills defaults: register, closed loop, the seed from the clock, the workload key count, a name from workload and nemesis', () => {
    const options = parse({});
    expect(options).toMatchObject({ workload: 'register', rate: null, seed: 1234, keyCount: 5, name: 'register-none', timeLimitMs: 30_000, concurrency: 8, runtime: 'local' });
    expect(parse({ workload: 'set' }).keyCount).toBe(1);
  });

  it('puts flags over the config file and adds --bug to the bugs the file names', () => {
    const options = parse({ pgs: '3', cache: 'off', bug: ['skip-crc'] }, { geometry: { pgCount: 2, nodesPerAz: 3, writeQuorum: 5, readQuorum: 5 }, bugs: ['no-truncation'] });
    expect(options.cluster.geometry).toMatchObject({ pgCount: 3, nodesPerAz: 3, writeQuorum: 5 });
    expect(options.cluster.writer.cacheEnabled).toBe(false);
    expect(options.cluster.bugs).toEqual(['no-truncation', 'skip-crc']);
  });

  it('names the field of a config file of the wrong shape', () => {
    const result = testOptionsParse({ pgs: '2' }, { seedDefault: 1, configFile: { path: 'c.json', text: '{"geometry": 3}' } });
    expect(result).toEqual({ ok: false, error: 'c.json.geometry: expected an object, got 3' });
  });

  it('reads --seed, --rate and durations', () => {
    expect(parse({ seed: '4294967295', rate: '250.5', timeLimit: '1500ms', opTimeout: '2s' })).toMatchObject({ seed: 4294967295, rate: 250.5, timeLimitMs: 1500, opTimeoutMs: 2000 });
  });
});
