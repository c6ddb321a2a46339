// Hand-made runs for the report's tests: a history with a known
// linearizability violation and a lost write on key r1 beside plenty of
// ordinary operations and a partition window, checked by the real checkers,
// and written out as a run directory the way the runner writes one.

import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CheckContext } from '../../../checkers/checker.js';
import { checkersRun } from '../../../checkers/index.js';
import { historyWrite } from '../../../checkers/test-support/history-writer.js';
import type { HistoryEvent } from '../../../core/history.js';
import { faultEffects } from '../../../runner/fault-effects.js';
import { historyToJsonl } from '../../formats/jsonl-history.js';
import type { RunResults } from '../../schema/results-file.js';
import { storedFormat } from '../../schema/stored-file.js';
import type { TestFile } from '../../schema/test-file.js';

export const fixtureContext: CheckContext = {
  workload: 'register',
  model: null,
  timeoutMs: 10_000,
  memoryBytesMax: 256 * 1024 * 1024,
  openLoop: false,
  intervalNs: null,
};

export interface FixtureRun {
  readonly test: TestFile;
  readonly results: RunResults;
  readonly history: readonly HistoryEvent[];
}

/**
 * Key r1: write 1, write 2 acknowledged, then a read of 1 (stale: not
 * linearizable) and a final read of 1 (the acknowledged 2 is lost). Keys r2 and
 * r3 get ordinary sequential writes and reads, some failing, across a partition.
 */
export function invalidRunFixture(): FixtureRun {
  const h = historyWrite();
  let value = 10;
  const last: Record<string, number | null> = { r2: null, r3: null };
  for (let round = 0; round < 60; round++) {
    if (round === 20)
      h.nemesis('invoke', 'start-partition', { targets: ['s00', 's01'] }).nemesis('info', 'start-partition', {
        targets: ['s00', 's01'],
      });
    if (round === 40) h.nemesis('invoke', 'stop-partition', null).nemesis('info', 'stop-partition', null);
    const key = round % 2 === 0 ? 'r2' : 'r3';
    value++;
    const failed = round > 20 && round < 40 && round % 5 === 0;
    h.op(2, 'write', key, value, failed ? 'fail' : 'ok');
    if (!failed) last[key] = value;
    // An indefinite write that never took effect: its value never shows.
    if (round % 7 === 3) h.invoke(3, 'write', key, value + 1000).complete(3, 'info', value + 1000, 'timeout');
    else h.op(3, 'read', key, null, 'ok', last[key] ?? null);
  }
  h.invoke(0, 'write', 'r1', 1).complete(0, 'ok');
  h.invoke(0, 'write', 'r1', 2).invoke(1, 'read', 'r1', null).complete(0, 'ok');
  h.complete(1, 'ok', 2);
  h.op(1, 'read', 'r1', null, 'ok', 1);
  h.phase('heal').phase('final');
  h.op(1, 'read', 'r1', null, 'ok', 1).op(2, 'read', 'r2', null, 'ok', 69).op(2, 'read', 'r3', null, 'ok', 70);
  return fixtureRun(h.events, 'register-partition', 4242);
}

/** The checkers over a history, and test.json and results.json as the runner writes them. */
export function fixtureRun(history: readonly HistoryEvent[], name: string, seed: number): FixtureRun {
  const checks = checkersRun(history, fixtureContext);
  const counts = { invoked: 0, ok: 0, fail: 0, info: 0, late: 0 };
  for (const event of history)
    if (typeof event.process === 'number') counts[event.type === 'invoke' ? 'invoked' : event.type]++;
  const test: TestFile = {
    format: storedFormat,
    name,
    runId: `${name}-fixture`,
    seed,
    startedAt: '2026-01-02T03:04:05.000Z',
    commandLine: [
      '/usr/bin/node',
      '/opt/quorumlab/dist/cli/main.js',
      'test',
      '--workload',
      'register',
      '--nemesis',
      'partition',
      '--time-limit',
      '20s',
      '--bug',
      'ack-before-quorum',
    ],
    versions: { node: 'v20.0.0', quorumlab: '0.1.0' },
    host: { platform: 'linux', arch: 'x64', cpus: 2 },
    options: {
      name,
      workload: 'register',
      runtime: 'local',
      nemesis: ['partition'],
      timeLimitMs: 20_000,
      concurrency: 4,
      rate: null,
      seed,
      cluster: { bugs: ['ack-before-quorum'] },
    },
  };
  const results: RunResults = {
    format: storedFormat,
    verdict: checks.verdict,
    checkersVerdict: checks.verdict,
    exitCode: checks.verdict === 'valid' ? 0 : checks.verdict === 'invalid' ? 1 : 2,
    seed,
    workload: 'register',
    nemesis: ['partition'],
    nemesisUnavailable: [],
    faults: faultEffects(history),
    crash: null,
    aborted: false,
    counts,
    events: history.length,
    recovery: { ready: true, waitedMs: 12 },
    finalReadsMissing: [],
    nodeLogs: { copied: [], missing: [] },
    checkers: checks.results,
  };
  return { test, results, history };
}

/**
 * Writes the run's files into dir (created), without report.html. `formatless`
 * writes test.json and results.json as they were before they had a format field.
 */
export function fixtureWrite(run: FixtureRun, dir: string, options: { readonly formatless?: boolean } = {}): string {
  mkdirSync(dir, { recursive: true });
  const stored = (value: { readonly format: number }): string => {
    const { format, ...rest } = value;
    return JSON.stringify(options.formatless === true ? rest : { format, ...rest }, null, 2);
  };
  writeFileSync(path.join(dir, 'test.json'), stored(run.test));
  writeFileSync(path.join(dir, 'results.json'), stored(run.results));
  writeFileSync(path.join(dir, 'history.jsonl'), historyToJsonl(run.history));
  return dir;
}
