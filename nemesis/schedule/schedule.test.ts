import { describe, expect, it, test } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import { genTake } from '../../workloads/generator.js';
import { faultCatalogText, faultNamesExpand, faultSpecs } from '../faults/fault-catalog.js';
import type { NemesisStep } from '../nemesis.js';
import { scheduleFileParse } from './schedule-file.js';
import { familiesInterleave } from './random-plan.js';
import { scheduleGenerator, type ScheduleSpec } from './schedule.js';

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
        /unknown nemesis "chaos"; known: all, partition, kill, power-loss, pause, corrupt, links, partition-node/,
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
  ])('a schedule file %s is rejected naming the field', (text, error) => {
    const parsed = scheduleFileParse('s.json', text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(error);
  });
});
