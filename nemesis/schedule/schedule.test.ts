import { describe, expect, it, test } from 'vitest';
import { clusterConfigDefault } from '../../cluster/config.js';
import { prngCreate } from '../../core/prng.js';
import { genTake } from '../../workloads/generator.js';
import { faultCatalogText, faultNamesExpand, faultSpecs } from '../faults/fault-catalog.js';
import type { NemesisStep } from '../nemesis.js';
import { planFileJson, scheduleFileParse } from './schedule-file.js';
import { familiesInterleave } from './random-plan.js';
import { scheduleExpand, scheduleGenerator, type ScheduleSpec } from './schedule.js';

const context = (seed: number) => ({ prng: prngCreate(seed), process: 'nemesis' as const, timeNs: 0 });

function describeSteps(steps: readonly NemesisStep[]): string[] {
  return steps.map((step) => (step.kind === 'sleep' ? `sleep ${step.ms}` : step.op.f));
}

describe('the fault catalog', () => {
  it('expands families and all, and keeps corrupt-over-limit out of both', () => {
    const all = faultNamesExpand(['all']);
    expect(all.ok && all.faults).toEqual(faultSpecs.filter((f) => f.name !== 'corrupt-over-limit').map((f) => f.name));
    expect(faultNamesExpand(['corrupt'])).toEqual({
      ok: true,
      faults: ['corrupt-helix', 'corrupt-truncate', 'corrupt-rollback'],
    });
    expect(faultNamesExpand(['kill-az', 'partition', 'kill-az'])).toMatchObject({
      ok: true,
      faults: expect.arrayContaining(['kill-az', 'partition-ring']) as unknown,
    });
    expect(faultNamesExpand(['corrupt-over-limit'])).toEqual({ ok: true, faults: ['corrupt-over-limit'] });
  });

  it('rejects an unknown name with the list of known ones', () => {
    const result = faultNamesExpand(['chaos']);
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.error).toMatch(
        /unknown nemesis "chaos"; known: all, partition, kill, power-loss, pause, corrupt, links, writer, disk, reads, partition-node/,
      );
  });

  it('describes every fault in its family for --help', () => {
    const text = faultCatalogText();
    for (const fault of faultSpecs) expect(text).toContain(fault.name);
    expect(text).toMatch(/corrupt-over-limit .*\(not in all\)/);
  });
});

describe('schedules', () => {
  it('fixed: every interval a start, one interval later its stop, families taking turns', () => {
    const faults = ['partition-node', 'partition-az', 'kill-node', 'kill-az'];
    expect(familiesInterleave(faults)).toEqual(['partition-node', 'kill-node', 'partition-az', 'kill-az']);
    const steps = genTake(scheduleGenerator({ kind: 'fixed' }, faults, 1000), 12, context(1));
    expect(describeSteps(steps)).toEqual([
      'sleep 1000',
      'start-partition-node',
      'sleep 1000',
      'stop-partition-node',
      'sleep 1000',
      'start-kill-node',
      'sleep 1000',
      'stop-kill-node',
      'sleep 1000',
      'start-partition-az',
      'sleep 1000',
      'stop-partition-az',
    ]);
  });

  it('random: the same seed gives the same schedule, faults never overlap, periods stay within half to one and a half intervals', () => {
    const faults = faultNamesExpand(['all']);
    if (!faults.ok) throw new Error(faults.error);
    const take = (seed: number): string[] =>
      describeSteps(genTake(scheduleGenerator({ kind: 'random' }, faults.faults, 1000), 80, context(seed)));
    const steps = take(7);
    expect(take(7)).toEqual(steps);
    expect(take(8)).not.toEqual(steps);
    for (let i = 0; i < steps.length; i += 4) {
      expect(steps[i]).toMatch(/^sleep /);
      const fault = steps[i + 1]!.replace(/^start-/, '');
      expect(faults.faults).toContain(fault);
      expect(steps[i + 3]).toBe(`stop-${fault}`);
    }
    const sleeps = steps.filter((s) => s.startsWith('sleep')).map((s) => Number(s.split(' ')[1]));
    expect(Math.min(...sleeps)).toBeGreaterThanOrEqual(500);
    expect(Math.max(...sleeps)).toBeLessThanOrEqual(1500);
    expect(new Set(steps.filter((s) => s.startsWith('start')).map((s) => s.split('-')[1])).size).toBeGreaterThan(3);
  });

  it('script: the steps of the file, with the targets it names, once or repeated', () => {
    const text = JSON.stringify({
      steps: [{ sleep: '2s' }, { start: 'kill-node', targets: ['s00'] }, { stop: 'kill-node' }],
    });
    const parsed = scheduleFileParse('s.json', text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.faults).toEqual(['kill-node']);
    const once: ScheduleSpec = parsed.spec;
    expect(genTake(scheduleGenerator(once, [], 1000), 10, context(1))).toEqual([
      { kind: 'sleep', ms: 2000 },
      { kind: 'op', op: { f: 'start-kill-node', value: { targets: ['s00'] } } },
      { kind: 'op', op: { f: 'stop-kill-node', value: null } },
    ]);
    expect(genTake(scheduleGenerator({ ...parsed.spec, repeat: true }, [], 1000), 7, context(1))).toHaveLength(7);
  });

  test.each([
    ['{', /s\.json: not JSON/],
    ['{"steps": []}', /s\.json\.steps: expected a non-empty list/],
    ['{"steps": [{"start": "meteor"}]}', /s\.json\.steps\[0\]\.start: unknown fault "meteor"; known: partition-node/],
    ['{"steps": [{"sleep": "soon"}]}', /s\.json\.steps\[0\]\.sleep: expected a duration/],
    [
      '{"steps": [{"start": "kill-node", "targets": "s00"}]}',
      /s\.json\.steps\[0\]\.targets: expected a non-empty list of node ids/,
    ],
    ['{"steps": [{"sleep": "1s"}]}', /s\.json\.steps: no step starts a fault/],
    ['{"steps": [{"start": "kill-node"}], "loop": true}', /s\.json\.loop: unknown field/],
    [
      '{"steps": [{"start": "kill-node", "aim": "oldest"}]}',
      /s\.json\.steps\[0\]\.aim: unknown aim "oldest"; known: newest/,
    ],
    [
      '{"steps": [{"start": "kill-node", "aim": "newest", "count": 0}]}',
      /steps\[0\]\.count: expected an integer from 1/,
    ],
    ['{"steps": [{"start": "kill-node", "count": 2}]}', /steps\[0\]\.count: a count needs an "aim"/],
    [
      '{"steps": [{"start": "kill-node", "targets": ["s00"], "aim": "newest"}]}',
      /steps\[0\]\.targets: expected "targets" or "aim"/,
    ],
    ['{"steps": [{"start": "kill-node", "untilOk": 50}]}', /steps\[0\]\.untilOk: expected an integer from 1 to 10/],
    [
      '{"steps": [{"start": "kill-node"}, {"await": "dawn", "timeout": "1s"}]}',
      /steps\[1\]\.await: unknown event "dawn"; known: epoch-change/,
    ],
    [
      '{"steps": [{"start": "kill-node"}, {"await": "caught-up", "timeout": "2m"}]}',
      /steps\[1\]\.timeout: at most 30s/,
    ],
    ['{"steps": [{"start": "kill-node"}, {"await": "caught-up"}]}', /steps\[1\]\.timeout: expected a duration/],
    [
      '{"steps": [{"burst": 65, "for": "1s"}, {"start": "kill-node"}]}',
      /steps\[0\]\.burst: expected an integer from 1 to 64/,
    ],
    ['{"steps": [{"burst": 8, "for": "11s"}, {"start": "kill-node"}]}', /steps\[0\]\.for: at most 10s/],
    ['{"steps": [{"stop": "kill-node", "targets": ["s00"]}]}', /steps\[0\]\.targets: unknown field; expected stop/],
    ['{"steps": [{"solo": "now"}, {"start": "kill-node"}]}', /steps\[0\]\.solo: expected "begin" or "end"/],
    ['{"steps": [{"start": "kill-node"}, {"solo": "end"}]}', /steps\[1\]\.solo: "end" outside a solo/],
    [
      '{"steps": [{"solo": "begin"}, {"start": "kill-node"}, {"solo": "begin"}]}',
      /steps\[2\]\.solo: "begin" inside a solo/,
    ],
    ['{"lanes": []}', /s\.json\.lanes: expected 1 to 4 lists of steps/],
    ['{"lanes": [[{"start": "kill-node"}], []]}', /s\.json\.lanes\[1\]: expected a non-empty list/],
    ['{"lanes": [[{"start": "kill-node"}]], "steps": []}', /expected "steps" \(one lane\) or "lanes", not both/],
    [
      '{"lanes": [[{"start": "kill-node"}], [{"sleep": "1s"}, {"stop": "kill-node"}]]}',
      /s\.json\.lanes: kill-node used by two lanes; a fault is one instance/,
    ],
  ])('a schedule file %s is rejected naming the field', (text, error) => {
    const parsed = scheduleFileParse('s.json', text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});

describe('schedule files with lanes, aims, awaits and bursts', () => {
  it('reads every step form, lanes in order, and names the faults of every lane', () => {
    const text = JSON.stringify({
      lanes: [
        [
          { mark: 'quorum-shift' },
          { solo: 'begin' },
          { start: 'partition-node', aim: 'quorum-rest' },
          { burst: 16, for: '1500ms' },
          { sleep: '1s' },
          { start: 'kill-node', aim: 'newest', count: 3, untilOk: 2 },
          { await: 'writer-ready', timeout: '5s' },
          { stop: 'kill-node' },
          { stop: 'partition-node' },
          { solo: 'end' },
        ],
        [{ start: 'slow-links', targets: ['s10'] }, { sleep: '2s' }, { stop: 'slow-links' }],
      ],
    });
    const parsed = scheduleFileParse('l.json', text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.faults).toEqual(['partition-node', 'kill-node', 'slow-links']);
    expect(parsed.spec.lanes[0]).toEqual([
      { kind: 'mark', label: 'quorum-shift' },
      { kind: 'solo', begin: true },
      { kind: 'start', fault: 'partition-node', targets: { aim: 'quorum-rest' }, attempts: 1 },
      { kind: 'burst', clients: 16, forMs: 1500 },
      { kind: 'sleep', ms: 1000 },
      { kind: 'start', fault: 'kill-node', targets: { aim: 'newest', count: 3 }, attempts: 2 },
      { kind: 'await', event: 'writer-ready', timeoutMs: 5000 },
      { kind: 'stop', fault: 'kill-node' },
      { kind: 'stop', fault: 'partition-node' },
      { kind: 'solo', begin: false },
    ]);
    expect(parsed.spec.steps.map((step) => step.kind)).toEqual([
      'start',
      'sleep',
      'start',
      'stop',
      'stop',
      'start',
      'sleep',
      'stop',
    ]);
    expect(planFileJson(parsed.spec)).toEqual(
      JSON.parse(text.replace('"1s"', '"1000ms"').replace('"2s"', '"2000ms"').replace('"5s"', '"5000ms"')),
    );
  });

  it('a script is cut at the time limit by its sleeps, each lane, and repeats within it when asked', () => {
    const parsed = scheduleFileParse(
      'r.json',
      JSON.stringify({ repeat: true, steps: [{ start: 'kill-node' }, { sleep: '1s' }, { stop: 'kill-node' }] }),
    );
    if (!parsed.ok) throw new Error(parsed.error);
    const input = {
      faults: [],
      intervalMs: 1000,
      timeLimitMs: 3500,
      prng: prngCreate(1),
      workload: 'register',
      geometry: clusterConfigDefault.geometry,
    };
    const plan = scheduleExpand(parsed.spec, input);
    expect(plan.lanes).toHaveLength(1);
    expect(describePlanLane(plan.lanes[0]!)).toEqual([
      'start kill-node',
      'sleep 1000',
      'stop kill-node',
      'start kill-node',
      'sleep 1000',
      'stop kill-node',
      'start kill-node',
      'sleep 1000',
      'stop kill-node',
      'start kill-node',
      'sleep 500',
      'stop kill-node',
    ]);
  });

  const dense = (faults: readonly string[]) =>
    scheduleExpand(
      { kind: 'random', dense: true },
      {
        faults,
        intervalMs: 5000,
        timeLimitMs: 60_000,
        prng: prngCreate(4),
        workload: 'append',
        geometry: clusterConfigDefault.geometry,
      },
    );

  it('a written plan reads back as the same lanes (the faults the catalog has today)', () => {
    const all = faultNamesExpand(['all']);
    if (!all.ok) throw new Error(all.error);
    const plan = dense(all.faults);
    const parsed = scheduleFileParse('schedule.json', JSON.stringify(planFileJson(plan)));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.spec.lanes).toEqual(plan.lanes);
  });

  test('a written plan of every fault of the contract reads back as the same lanes', () => {
    const all = faultNamesExpand(['all']);
    if (!all.ok) throw new Error(all.error);
    const plan = dense(all.faults);
    expect(plan.lanes.flat().some((step) => step.kind === 'start' && step.fault === 'depose-writer')).toBe(true);
    const parsed = scheduleFileParse('schedule.json', JSON.stringify(planFileJson(plan)));
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.spec.lanes).toEqual(plan.lanes);
  });
});

function describePlanLane(lane: readonly { kind: string; fault?: string; ms?: number }[]): string[] {
  return lane.map((step) => (step.kind === 'sleep' ? `sleep ${step.ms}` : `${step.kind} ${step.fault}`));
}

describe('random over named faults', () => {
  const expand = (faults: readonly string[]) =>
    scheduleExpand(
      { kind: 'random' },
      {
        faults,
        intervalMs: 1000,
        timeLimitMs: 30_000,
        prng: prngCreate(2),
        workload: 'append',
        geometry: clusterConfigDefault.geometry,
      },
    );
  const faultsOf = (lane: readonly { kind: string; fault?: string }[]) =>
    [...new Set(lane.flatMap((step) => (step.fault === undefined ? [] : [step.fault])))].sort();

  it('one family keeps one lane; two families overlap in two lanes, one family each', () => {
    expect(expand(['kill-node', 'kill-az']).lanes).toHaveLength(1);
    const two = expand(['kill-node', 'partition-node', 'kill-az']);
    expect(two.lanes.map(faultsOf)).toEqual([['kill-az', 'kill-node'], ['partition-node']]);
  });

  it('a list with corrupt faults keeps one lane: lost writes are survivable only with every other replica reachable', () => {
    expect(expand(['kill-node', 'corrupt-rollback']).lanes).toHaveLength(1);
  });
});
