import { describe, expect, it } from 'vitest';
import { testOptionsParse, type TestFlags, type TestOptions } from './test-options.js';

function parse(flags: TestFlags, config: object | null = null): TestOptions {
  const result = testOptionsParse(flags, {
    seedDefault: 1234,
    configFile: config === null ? null : { path: 'c.json', text: JSON.stringify(config) },
  });
  if (!result.ok) throw new Error(result.error);
  return result.options;
}

describe('test options', () => {
  it('fills defaults: register, closed loop, the seed from the clock, the workload key count, a name from workload and nemesis', () => {
    const options = parse({});
    expect(options).toMatchObject({
      workload: 'register',
      rate: null,
      seed: 1234,
      keyCount: 5,
      name: 'register-none',
      timeLimitMs: 30_000,
      concurrency: 8,
      runtime: 'local',
    });
    expect(parse({ workload: 'set' }).keyCount).toBe(1);
  });

  it('puts flags over the config file and adds --bug to the bugs the file names', () => {
    const options = parse(
      { pgs: '3', cache: 'off', bug: ['skip-crc'] },
      { geometry: { pgCount: 2, nodesPerAz: 3, writeQuorum: 5, readQuorum: 5 }, bugs: ['no-truncation'] },
    );
    expect(options.cluster.geometry).toMatchObject({ pgCount: 3, nodesPerAz: 3, writeQuorum: 5 });
    expect(options.cluster.writer.cacheEnabled).toBe(false);
    expect(options.cluster.bugs).toEqual(['no-truncation', 'skip-crc']);
  });

  it('names the field of a config file of the wrong shape', () => {
    const result = testOptionsParse(
      { pgs: '2' },
      { seedDefault: 1, configFile: { path: 'c.json', text: '{"geometry": 3}' } },
    );
    expect(result).toEqual({ ok: false, error: 'c.json.geometry: expected an object, got 3' });
  });

  it('reads --seed, --rate and durations', () => {
    expect(parse({ seed: '4294967295', rate: '250.5', timeLimit: '1500ms', opTimeout: '2s' })).toMatchObject({
      seed: 4294967295,
      rate: 250.5,
      timeLimitMs: 1500,
      opTimeoutMs: 2000,
    });
  });

  it('reads --liveness-timeout (default 20s) and the test-only --liveness-keep-stopped', () => {
    expect(parse({})).toMatchObject({ livenessTimeoutMs: 20_000, livenessKeepStopped: null });
    expect(parse({ livenessTimeout: '3s', livenessKeepStopped: 's21' })).toMatchObject({
      livenessTimeoutMs: 3000,
      livenessKeepStopped: 's21',
    });
  });

  it.each([
    { flags: { livenessTimeout: 'soon' }, error: /^--liveness-timeout: / },
    { flags: { livenessTimeout: '0s' }, error: /^--liveness-timeout: must be longer than 0, got "0s"$/ },
    { flags: { livenessTimeout: '2h' }, error: /^--liveness-timeout: at most 10m, got "2h"$/ },
    {
      flags: { livenessKeepStopped: 's30' },
      error: /^--liveness-keep-stopped: expected a storage node \(s00, .*s21\), got "s30"$/,
    },
    { flags: { livenessKeepStopped: 's00', runtime: 'memory' }, error: /^--liveness-keep-stopped: the memory runtime/ },
  ])('refuses $flags, naming the flag', ({ flags, error }) => {
    const result = testOptionsParse(flags, { seedDefault: 1, configFile: null });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error).toMatch(error);
  });

  it('expands --nemesis families and all, and switches the volatile write cache on for power loss, saying so', () => {
    const options = parse({ nemesis: 'partition,kill-az' });
    expect(options.nemesis).toContain('partition-ring');
    expect(options.nemesis).toContain('kill-az');
    expect(options.name).toBe('register-partition+kill-az');
    expect(options.cluster.storage.volatileWriteCache).toBe(false);
    const all = parse({ nemesis: 'all', standbyWriters: '1', nemesisSchedule: 'fixed' });
    expect(all.nemesis).toContain('power-loss');
    expect(all.nemesis).not.toContain('corrupt-over-limit');
    expect(all).toMatchObject({ standbyWriters: 1, nemesisSchedule: { kind: 'fixed' }, nemesisIntervalMs: 5000 });
    expect(all.cluster.storage.volatileWriteCache).toBe(true);
    expect(all.adjustments.join(' ')).toMatch(/volatileWriteCache switched on/);
  });

  it('gives --nemesis all the dense random schedule and one standby writer unless --standby-writers says otherwise', () => {
    expect(parse({ nemesis: 'all' })).toMatchObject({
      standbyWriters: 1,
      nemesisSchedule: { kind: 'random', dense: true },
    });
    expect(parse({ nemesis: 'kill-node,all' })).toMatchObject({ nemesisSchedule: { dense: true } });
    expect(parse({ nemesis: 'all', standbyWriters: '0' }).standbyWriters).toBe(0);
    expect(parse({ nemesis: 'partition' })).toMatchObject({
      standbyWriters: 0,
      nemesisSchedule: { kind: 'random', dense: false },
    });
  });

  it('takes the faults of a schedule file, and refuses one that uses a fault --nemesis leaves out', () => {
    const scheduleFile = {
      path: 's.json',
      text: JSON.stringify({ steps: [{ start: 'kill-node' }, { sleep: '1s' }, { stop: 'kill-node' }] }),
    };
    const scripted = testOptionsParse(
      { nemesisSchedule: 's.json' },
      { seedDefault: 1, configFile: null, scheduleFile },
    );
    expect(scripted.ok && scripted.options).toMatchObject({
      nemesis: ['kill-node'],
      nemesisSchedule: { kind: 'script', source: 's.json' },
    });
    expect(
      testOptionsParse(
        { nemesis: 'partition', nemesisSchedule: 's.json' },
        { seedDefault: 1, configFile: null, scheduleFile },
      ),
    ).toEqual({
      ok: false,
      error: '--nemesis-schedule: s.json uses kill-node, which --nemesis "partition" leaves out',
    });
    expect(testOptionsParse({ nemesisSchedule: 'sometimes' }, { seedDefault: 1, configFile: null })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/--nemesis-schedule: expected fixed, random or a schedule file/) as unknown,
    });
  });

  it.each([
    [{ steps: [{ sleep: '1s' }, { start: 'kill-node', targets: ['w9'] }] }, {}, 's.json.steps[1].targets: w9'],
    [
      { lanes: [[{ start: 'kill-node', targets: ['s00'] }], [{ start: 'pause-node', targets: ['s35'] }]] },
      {},
      's.json.lanes[1][0].targets: s35',
    ],
    [{ steps: [{ start: 'kill-node', targets: ['w1'] }] }, { standbyWriters: '0' }, 's.json.steps[0].targets: w1'],
  ])('refuses a schedule file %j naming a node the run does not have, naming the step', (schedule, flags, message) => {
    const scheduleFile = { path: 's.json', text: JSON.stringify(schedule) };
    const parsed = testOptionsParse(
      { ...flags, nemesisSchedule: 's.json' },
      { seedDefault: 1, configFile: null, scheduleFile },
    );
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.error).toMatch(
        new RegExp(`^--nemesis-schedule: ${message.replace(/[.[\]]/g, '\\$&')} is not a node of this run`),
      );
  });

  it('takes a schedule file naming nodes the run has (a standby writer among them)', () => {
    const scheduleFile = {
      path: 's.json',
      text: JSON.stringify({ steps: [{ start: 'kill-node', targets: ['s21', 'w1'] }] }),
    };
    const parsed = testOptionsParse(
      { nemesisSchedule: 's.json', standbyWriters: '1' },
      { seedDefault: 1, configFile: null, scheduleFile },
    );
    expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
  });

  describe('on a runtime that cannot inject every fault (docker on a kernel without tc netem)', () => {
    const reason = 'not available on this kernel: tc netem missing';
    const faultsUnavailable = new Map([
      ['slow-links', reason],
      ['lossy-links', reason],
    ]);
    const docker = (flags: TestFlags, scheduleFile: { path: string; text: string } | null = null) =>
      testOptionsParse(
        { runtime: 'docker', ...flags },
        { seedDefault: 1, configFile: null, scheduleFile, faultsUnavailable },
      );

    it('leaves them out of all, saying why, and runs every other fault', () => {
      const parsed = docker({ nemesis: 'all' });
      if (!parsed.ok) throw new Error(parsed.error);
      expect(parsed.options.nemesis).not.toContain('slow-links');
      expect(parsed.options.nemesis).toContain('partition-node');
      expect(parsed.options.nemesis).toContain('corrupt-helix');
      expect(parsed.options.nemesisUnavailable).toEqual([
        { fault: 'slow-links', reason },
        { fault: 'lossy-links', reason },
      ]);
    });

    it.each(['slow-links', 'links', 'partition-node,lossy-links'])(
      'refuses --nemesis %s, naming the fault and the reason',
      (nemesis) => {
        expect(docker({ nemesis })).toEqual({
          ok: false,
          error: expect.stringMatching(
            /^--nemesis: (slow|lossy)-links is not available on the docker runtime: not available on this kernel: tc netem missing$/,
          ) as unknown,
        });
      },
    );

    it('keeps a script that names one, recording its steps as unavailable', () => {
      const scheduleFile = {
        path: 's.json',
        text: JSON.stringify({
          steps: [{ start: 'slow-links' }, { start: 'kill-node' }, { stop: 'kill-node' }, { stop: 'slow-links' }],
        }),
      };
      const parsed = docker({ nemesisSchedule: 's.json' }, scheduleFile);
      expect(parsed.ok && parsed.options).toMatchObject({
        nemesis: ['kill-node'],
        nemesisUnavailable: [{ fault: 'slow-links', reason }],
      });
    });

    it('takes --docker-image and --docker-subnet, which the other runtimes refuse', () => {
      expect(docker({ dockerImage: 'quorumlab-node:0.1.0', dockerSubnet: '10.213.7.0/24' })).toMatchObject({
        ok: true,
        options: { runtime: 'docker', docker: { image: 'quorumlab-node:0.1.0', subnet: '10.213.7.0/24' } },
      });
      expect(docker({ dockerSubnet: '10.213.7.1/24' })).toMatchObject({
        ok: false,
        error: expect.stringMatching(/^--docker-subnet: .*host bits set/) as unknown,
      });
      expect(testOptionsParse({ dockerSubnet: '10.213.7.0/24' }, { seedDefault: 1, configFile: null })).toEqual({
        ok: false,
        error: '--docker-subnet: only the docker runtime takes it, got --runtime local',
      });
      expect(parse({ nemesis: 'slow-links' }).nemesisUnavailable).toEqual([]);
    });
  });
});
