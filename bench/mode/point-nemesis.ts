// Faults beside one load point, through the test loop's own machinery: the
// nemesis package the options select, its schedule expanded for the point's
// length, its lanes run by runner/nemesis-loop.ts while the load runs, then a
// full heal and a wait for the writer. The fault windows come from the nemesis
// events alone (the bench records no client history).

import type { FaultWindow } from '../../checkers/checker.js';
import { faultWindows } from '../../checkers/fault-windows.js';
import type { NodeId } from '../../cluster/topology.js';
import type { Clock } from '../../core/clock.js';
import type { Prng } from '../../core/prng.js';
import { planGenerators, scheduleExpand } from '../../nemesis/schedule/schedule.js';
import { HistoryRecorder } from '../../results/history-recorder.js';
import { nemesisLanesRun, nemesisLoopRun } from '../../runner/nemesis-loop.js';
import { nemesisNoneName, nemesisSelect } from '../../runner/nemesis-select.js';
import type { RunTarget } from '../../runner/run-target.js';
import type { TestOptions } from '../../runner/test-options.js';

export interface NemesisRun<T> {
  readonly value: T;
  /** null when no nemesis ran (none, or a target without a runtime). */
  readonly windows: readonly FaultWindow[] | null;
  /** A heal that did not bring the writer back in time, said in the output. */
  readonly recoveryProblem: string | null;
}

export async function withNemesis<T>(
  target: RunTarget,
  options: TestOptions,
  context: { readonly pointMs: number; readonly prng: Prng; readonly clock: Clock },
  body: () => Promise<T>,
): Promise<NemesisRun<T>> {
  const faults = options.nemesis.filter((name) => name !== nemesisNoneName);
  if (target.runtime === null || (faults.length === 0 && options.nemesisSchedule.kind !== 'script'))
    return { value: await body(), windows: null, recoveryProblem: null };
  const { clock, prng } = context;
  const unavailable = new Map(options.nemesisUnavailable.map((entry) => [entry.fault, entry.reason]));
  const primary = (): NodeId | null => target.writerPrimary();
  const nemesis = nemesisSelect(
    options.nemesis,
    options.nemesisSchedule,
    unavailable,
  )({
    runtime: target.runtime,
    prng,
    clock,
    intervalMs: options.nemesisIntervalMs,
    links: target.links(),
    config: options.cluster,
    ...(primary() === null ? {} : { writerPrimary: () => primary()! }),
  });
  const plan = scheduleExpand(options.nemesisSchedule, {
    faults,
    intervalMs: options.nemesisIntervalMs,
    timeLimitMs: context.pointMs,
    prng,
    workload: options.workload,
    geometry: options.cluster.geometry,
  });
  const recorder = new HistoryRecorder(null);
  const loop = { nemesis: nemesis.nemesis, recorder, clock, prng };
  await nemesis.nemesis.setup();
  const over = new AbortController();
  try {
    const lanes = nemesisLanesRun(loop, planGenerators(plan), over.signal);
    let value: T;
    try {
      value = await body();
    } finally {
      over.abort();
      await lanes;
    }
    await nemesisLoopRun(loop, nemesis.finalGenerator, null);
    const recovery = await target.recoveryWait(options.recoveryTimeoutMs, new AbortController().signal);
    return {
      value,
      windows: faultWindows(recorder.events),
      recoveryProblem: recovery.ready
        ? null
        : `the writer was not ready ${options.recoveryTimeoutMs} ms after the heal`,
    };
  } finally {
    await nemesis.nemesis.teardown();
  }
}
