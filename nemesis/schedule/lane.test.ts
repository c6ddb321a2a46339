import { describe, expect, it } from 'vitest';
import { prngCreate } from '../../core/prng.js';
import type { Generator } from '../../workloads/generator.js';
import type { NemesisOutcome } from '../nemesis.js';
import { laneGenerator, untilOk, type LaneContext, type LaneStep } from './lane.js';
import { aimOf, awaitStep, burstStep, markStep, sleepStep, startPlanStep, stopPlanStep } from './plan.js';

const ok: NemesisOutcome = { ok: true, value: { targets: ['w1'] } };
const failed = {
  ok: false,
  value: null,
  error: { code: 'no-standby', message: 'no standby' },
} as unknown as NemesisOutcome;

/** Runs a lane as the loop does, answering its operations with `outcomes` in turn; returns what it asked for. */
function drive(gen: Generator<LaneStep>, outcomes: readonly NemesisOutcome[]): LaneStep[] {
  const asked: LaneStep[] = [];
  let outcomeLast: NemesisOutcome | null = null;
  let answered = 0;
  let current = gen;
  for (let i = 0; i < 100; i++) {
    const context: LaneContext = { prng: prngCreate(1), process: 'nemesis', timeNs: 0, outcomeLast };
    const step = current.op(context);
    if (step.kind === 'done') break;
    asked.push(step.op);
    if (step.op.kind === 'op') outcomeLast = outcomes[answered++] ?? ok;
    current = step.next;
  }
  return asked;
}

describe('a lane as the loop runs it', () => {
  it('turns plan steps into nemesis operations, sleeps and bursts; marks ask for nothing', () => {
    const lane = [
      markStep('catch-up-interrupt'),
      startPlanStep('kill-node', aimOf('newest', 1)),
      burstStep(16, 1500),
      sleepStep(700),
      awaitStep('replica-behind', 4000),
      startPlanStep('partition-node', ['s00', 's01'] as never),
      stopPlanStep('kill-node'),
    ];
    expect(drive(laneGenerator(lane), [])).toEqual([
      { kind: 'op', op: { f: 'start-kill-node', value: { aim: 'newest', count: 1 } } },
      { kind: 'burst', clients: 16, forMs: 1500 },
      { kind: 'sleep', ms: 700 },
      { kind: 'op', op: { f: 'await-replica-behind', value: { timeoutMs: 4000 } } },
      { kind: 'op', op: { f: 'start-partition-node', value: { targets: ['s00', 's01'] } } },
      { kind: 'op', op: { f: 'stop-kill-node', value: null } },
    ]);
  });

  it('untilOk repeats a start a gap apart until its outcome is ok', () => {
    const op = { f: 'start-depose-writer', value: null };
    const asked = drive(untilOk(op, 5, 300), [failed, failed, ok]);
    expect(asked).toEqual([
      { kind: 'op', op },
      { kind: 'sleep', ms: 300 },
      { kind: 'op', op },
      { kind: 'sleep', ms: 300 },
      { kind: 'op', op },
    ]);
  });

  it('untilOk gives up after its attempts, and a lane goes on after it', () => {
    const lane = [startPlanStep('depose-writer', null, 2), stopPlanStep('depose-writer')];
    expect(drive(laneGenerator(lane), [failed, failed, failed])).toEqual([
      { kind: 'op', op: { f: 'start-depose-writer', value: null } },
      { kind: 'sleep', ms: 1000 },
      { kind: 'op', op: { f: 'start-depose-writer', value: null } },
      { kind: 'op', op: { f: 'stop-depose-writer', value: null } },
    ]);
  });

  it('a repeated lane starts over at its end', () => {
    const lane = [startPlanStep('kill-node'), stopPlanStep('kill-node')];
    expect(
      drive(laneGenerator(lane, true), [])
        .slice(0, 5)
        .map((s) => (s.kind === 'op' ? s.op.f : s.kind)),
    ).toEqual(['start-kill-node', 'stop-kill-node', 'start-kill-node', 'stop-kill-node', 'start-kill-node']);
  });
});
