import { describe, expect, test } from 'vitest';
import { benchOptionsParse, type BenchFlags } from './bench-options.js';

const sources = { seedDefault: 7, configFile: null };

function parsed(flags: BenchFlags) {
  const result = benchOptionsParse(flags, sources);
  if (!result.ok) throw new Error(result.error);
  return result.options;
}

describe('bench options', () => {
  test('the defaults are mix A, zipfian 0.99, 1000 records, one closed-loop level of 16 clients, quorumlab', () => {
    const options = parsed({});
    expect(options.mix.name).toBe('A');
    expect(options.distribution).toBe('zipfian');
    expect(options.zipfConstant).toBe(0.99);
    expect(options.recordCount).toBe(1000);
    expect(options.keyCount).toBe(1000);
    expect(options.load).toEqual({ kind: 'closed', clients: [16] });
    expect(options.targets.map((target) => target.name)).toEqual(['quorumlab']);
    expect(options.targets[0]!.options.seed).toBe(7);
    expect(options.targets[0]!.options.name).toBe('bench-A');
  });

  test('a client list is one closed-loop point per level; the test options get the largest as concurrency', () => {
    const options = parsed({ clients: '1,16,64' });
    expect(options.load).toEqual({ kind: 'closed', clients: [1, 16, 64] });
    expect(options.targets[0]!.options.concurrency).toBe(64);
  });

  test('D reads the latest keys; --distribution overrides the mix', () => {
    expect(parsed({ mix: 'D' }).distribution).toBe('latest');
    expect(parsed({ mix: 'D', distribution: 'uniform' }).distribution).toBe('uniform');
  });

  test('a custom mix keeps its weights', () => {
    expect(parsed({ mix: 'read=50,write=30,cas=10,append=10' }).mix.weights).toEqual({
      read: 50,
      write: 30,
      cas: 10,
      append: 10,
    });
  });

  test('--rate is an open loop; --sweep carries its rule with the p99 bound in microseconds', () => {
    expect(parsed({ rate: '500', slots: '32' }).load).toEqual({ kind: 'open', rate: 500, slots: 32 });
    const sweep = parsed({ sweep: true, p99Max: '50ms', sweepFrom: '100' }).load;
    expect(sweep).toMatchObject({ kind: 'sweep', rule: { rateStart: 100, p99MaxUs: 50_000, rateFactor: 1.5 } });
  });

  test('--regression takes a percentage', () => {
    expect(parsed({ regression: '10%' }).regression).toBeCloseTo(0.1);
    expect(parsed({ regression: '2.5' }).regression).toBeCloseTo(0.025);
  });

  test.each<[BenchFlags, RegExp]>([
    [{ mix: 'E' }, /^--mix: YCSB E needs range scans/],
    [{ mix: 'Q' }, /^--mix: expected one of A, B, C, D, F, W/],
    [{ mix: 'read=50,txn=50' }, /^--mix: txn is not available/],
    [{ mix: 'read=50,scan=50' }, /^--mix: unknown operation "scan"/],
    [{ mix: 'read=0' }, /^--mix: at least one weight/],
    [{ mix: 'read=x' }, /^--mix: read needs a non-negative number/],
    [{ distribution: 'gaussian' }, /^--distribution: expected one of uniform, zipfian, latest/],
    [{ zipfConstant: '1' }, /^--zipf-constant: expected a number above 0 and below 1/],
    [{ recordCount: '-1' }, /^--record-count: expected an integer/],
    [{ valueSize: '0' }, /^--value-size: expected an integer from 1/],
    [{ clients: '8,0' }, /^--clients: expected an integer from 1 to 1024, got "0"/],
    [{ rate: '100', clients: '8' }, /^--clients: a closed-loop flag/],
    [{ sweep: true, rate: '100' }, /^--sweep: the sweep sets the rate itself/],
    [{ p99Max: '10ms' }, /^--p99-max: only a --sweep takes it/],
    [{ sweep: true, sweepFactor: '1' }, /^--sweep-factor: must be above 1/],
    [{ repeat: '0' }, /^--repeat: expected an integer from 1 to 20/],
    [{ regression: 'ten' }, /^--regression: expected a percentage/],
    [{ target: 'quorumlab,quorumlab' }, /^--target: a target is named twice/],
    [{ target: 'quorumlab,cassandra' }, /^--target: unknown target "cassandra"/],
    [{ target: 'Bad Name' }, /^--target: expected a comma-separated list/],
    [{ check: true }, /^--check: checking a bench run is not built yet/],
    [{ nemesis: 'earthquake' }, /^--nemesis: unknown nemesis "earthquake"/],
    [{ runtime: 'vm' }, /^--runtime: expected one of/],
  ])('%j is refused: %s', (flags, message) => {
    const result = benchOptionsParse(flags, sources);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});
