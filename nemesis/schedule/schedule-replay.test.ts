// A run writes its nemesis plan out as schedule.json; given back as the
// schedule file, with the same seed, it replays the run's nemesis: the same
// plan, and each lane's operations in the same order with the same requests.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEvent, JsonValue } from '../../core/history.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const built = ['dist/cli/main.js', 'dist/cluster/storage/main.js', 'dist/cluster/writer/main.js'].every((file) =>
  existsSync(path.join(root, file)),
);
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-replay-test-'));
});

afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

interface PlanFile {
  readonly lanes: readonly (readonly Record<string, JsonValue>[])[];
}

async function run(name: string, extra: readonly string[]): Promise<string> {
  const args = ['test', '--workload', 'append', '--nemesis', 'all', '--time-limit', '10s', '--seed', '11'];
  const store = path.join(work, 'store');
  const result = await execa(process.execPath, [cli, ...args, ...extra, '--name', name, '--store', store, '--json'], {
    cwd: work,
    reject: false,
    timeout: 150_000,
  });
  const summary = JSON.parse(result.stdout) as { run: string; verdict: string };
  expect(summary.verdict, result.stderr).toBe('valid');
  return path.resolve(work, summary.run);
}

/** Each lane's nemesis invokes (f and request), the lane told apart by the faults its plan uses. */
function laneInvokes(runDir: string, plan: PlanFile): string[][] {
  const history = readFileSync(path.join(runDir, 'history.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as HistoryEvent);
  // The main phase only: a replay on a busier machine may reach fewer steps before the heal stops what is active.
  const healAt = history.findIndex((e) => e.process === 'nemesis' && e.f === 'phase' && e.value === 'heal');
  const main = healAt === -1 ? history : history.slice(0, healAt);
  const invokes = main.filter((e) => e.process === 'nemesis' && e.type === 'invoke');
  return plan.lanes.map((lane) => {
    const ops = new Set(lane.flatMap((step) => opNames(step)));
    return invokes.filter((e) => ops.has(e.f)).map((e) => `${e.f} ${JSON.stringify(e.value)}`);
  });
}

function opNames(step: Record<string, JsonValue>): string[] {
  if (typeof step['start'] === 'string') return [`start-${step['start']}`];
  if (typeof step['stop'] === 'string') return [`stop-${step['stop']}`];
  if (typeof step['await'] === 'string') return [`await-${step['await']}`];
  return [];
}

describe.skipIf(!built)('schedule.json', () => {
  it('written by a run of --nemesis all replays its nemesis with the same seed', async () => {
    const first = await run('first', []);
    const written = readFileSync(path.join(first, 'schedule.json'), 'utf8');
    const plan = JSON.parse(written) as PlanFile;
    expect(plan.lanes.length).toBeGreaterThanOrEqual(2);
    const test = JSON.parse(readFileSync(path.join(first, 'test.json'), 'utf8')) as { nemesis: { schedule: PlanFile } };
    expect(test.nemesis.schedule).toEqual(plan);

    const replay = await run('replay', ['--nemesis-schedule', path.join(first, 'schedule.json')]);
    expect(JSON.parse(readFileSync(path.join(replay, 'schedule.json'), 'utf8'))).toEqual(plan);
    const original = laneInvokes(first, plan);
    const replayed = laneInvokes(replay, plan);
    let commonAll = 0;
    for (const [lane, ops] of original.entries()) {
      // The main phase may end a lane one operation earlier or later in either run; what ran is the same. A lane
      // that waits out a solo strike of the other may run only a couple of operations in 10 s.
      const common = Math.min(ops.length, replayed[lane]!.length);
      expect(common).toBeGreaterThanOrEqual(2);
      expect(replayed[lane]!.slice(0, common)).toEqual(ops.slice(0, common));
      commonAll += common;
    }
    expect(commonAll).toBeGreaterThanOrEqual(6);
  }, 300_000);
});
