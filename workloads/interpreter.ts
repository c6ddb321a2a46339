// The one interpreter that owns time and concurrency. It asks a generator for
// operations and runs them on logical processes, closed loop (each worker
// invokes again as soon as its last operation completed) or open loop (a fixed
// rate with a bounded number outstanding), and records every invoke and
// completion. An `info` completion retires the worker's process: its next
// operation runs as process + concurrency, as in Jepsen.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { assert } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import type { Prng } from '../core/prng.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import type { WorkloadClient, WorkloadClientOpen } from './client.js';
import type { Generator } from './generator.js';
import type { ClientOp, Completion } from './op.js';
import { openLoopRun } from './open-loop.js';

/** How often operations are checked against their deadline. */
const watchdogIntervalMs = 100;
/** A worker yields to the event loop after this many operations, so timers (flush, limits, signals) run even against an instant client. */
const yieldEveryOps = 64;

interface Inflight {
  readonly op: ClientOp;
  readonly deadlineNs: number;
  readonly resolve: (completion: Completion) => void;
}

export interface InterpreterOptions {
  /** Workers: logical processes in a closed loop, the bound on outstanding operations in an open loop. */
  readonly concurrency: number;
  readonly clientOpen: WorkloadClientOpen;
  readonly recorder: HistoryRecorder;
  readonly clock: Clock;
  /** The generator stream of the run's PRNG. */
  readonly prng: Prng;
  /** The longest the interpreter waits for one operation; past it the outcome is unknown ('client-hung'). */
  readonly opDeadlineMs: number;
}

export interface PhaseLimits {
  /** Stop invoking after this long; null: until the generator is exhausted. */
  readonly timeLimitMs: number | null;
  /** Stop after this many invocations in this phase; null: no bound. */
  readonly opsLimit: number | null;
  /** Operations per second for an open loop; null for a closed loop. */
  readonly rate: number | null;
  /** Aborting stops new invocations; operations in flight complete (bounded by the deadline). */
  readonly signal?: AbortSignal;
}

export interface OpCounts {
  invoked: number;
  ok: number;
  fail: number;
  info: number;
  /** Open loop: invocations that left more than one interval after their scheduled time. */
  late: number;
}

/** One phase's bookkeeping: the generator as it advances, and whether more may be invoked. */
export class PhaseRun {
  invoked = 0;
  exhausted = false;
  private readonly deadlineNs: number;

  constructor(
    private gen: Generator<ClientOp>,
    readonly limits: PhaseLimits,
    private readonly clock: Clock,
    private readonly prng: Prng,
  ) {
    this.deadlineNs = limits.timeLimitMs === null ? Infinity : clock.nowNs() + limits.timeLimitMs * 1e6;
  }

  mayInvoke(): boolean {
    if (this.exhausted || this.limits.signal?.aborted === true) return false;
    if (this.limits.opsLimit !== null && this.invoked >= this.limits.opsLimit) return false;
    return this.clock.nowNs() < this.deadlineNs;
  }

  remainingMs(): number {
    return (this.deadlineNs - this.clock.nowNs()) / 1e6;
  }

  /** The next operation for `process`, or null when the generator is done. */
  take(process: number): ClientOp | null {
    const step = this.gen.op({ prng: this.prng, process, timeNs: this.clock.nowNs() });
    if (step.kind === 'done') {
      this.exhausted = true;
      return null;
    }
    this.gen = step.next;
    this.invoked++;
    return step.op;
  }
}

export class Interpreter {
  readonly counts: OpCounts = { invoked: 0, ok: 0, fail: 0, info: 0, late: 0 };
  private readonly processes: number[];
  private readonly clients: (WorkloadClient | null)[];
  /** Per worker, the operation in flight: settled by its client or, past its deadline, by the watchdog. */
  private readonly inflight: (Inflight | null)[];

  constructor(private readonly options: InterpreterOptions) {
    assert(
      Number.isInteger(options.concurrency) && options.concurrency >= 1,
      `concurrency must be a positive integer, got ${options.concurrency}`,
    );
    this.processes = Array.from({ length: options.concurrency }, (_, i) => i);
    this.clients = Array.from({ length: options.concurrency }, () => null);
    this.inflight = Array.from({ length: options.concurrency }, () => null);
  }

  /** Runs one phase to its limits; resolves when every operation it invoked has completed. */
  async run(gen: Generator<ClientOp>, limits: PhaseLimits): Promise<void> {
    const phase = new PhaseRun(gen, limits, this.options.clock, this.options.prng);
    const watchdog = this.watchdogStart();
    try {
      if (limits.rate === null) {
        await Promise.all(this.processes.map((_, worker) => this.closedWorker(worker, phase)));
      } else {
        const workers = {
          perform: (worker: number, op: ClientOp) => this.perform(worker, op),
          processOf: (worker: number) => this.processes[worker]!,
        };
        await openLoopRun(phase, limits.rate, this.options.concurrency, this.options.clock, workers, this.counts);
      }
    } finally {
      clearInterval(watchdog);
    }
  }

  /** The process each worker runs as now. */
  processIds(): readonly number[] {
    return this.processes;
  }

  close(): void {
    for (const client of this.clients) client?.close();
    this.clients.fill(null);
  }

  private async closedWorker(worker: number, phase: PhaseRun): Promise<void> {
    let sinceYield = 0;
    while (phase.mayInvoke()) {
      const op = phase.take(this.processes[worker]!);
      if (op === null) return;
      await this.perform(worker, op);
      if (++sinceYield >= yieldEveryOps) {
        sinceYield = 0;
        await yieldToEventLoop();
      }
    }
  }

  /** Invokes one operation on the worker's process and records both ends. */
  async perform(worker: number, op: ClientOp): Promise<void> {
    const { recorder, clock } = this.options;
    const process = this.processes[worker]!;
    const client = (this.clients[worker] ??= this.options.clientOpen(worker));
    const invokedNs = clock.nowNs();
    recorder.record({ type: 'invoke', f: op.f, key: op.key, value: op.value, process, time: invokedNs });
    this.counts.invoked++;
    const completion = await new Promise<Completion>((resolve, reject) => {
      this.inflight[worker] = { op, deadlineNs: invokedNs + this.options.opDeadlineMs * 1e6, resolve };
      client.invoke(op).then(resolve, reject);
    });
    this.inflight[worker] = null;
    recorder.record(completionDraft(op, completion, process, clock.nowNs()));
    this.counts[completion.type]++;
    if (completion.type === 'info') {
      // The process may still have an operation in the store; it never invokes again.
      this.processes[worker] = process + this.options.concurrency;
      client.close();
      this.clients[worker] = null;
    }
  }

  /** One timer for all workers instead of one per operation: settles operations past their deadline. */
  private watchdogStart(): NodeJS.Timeout {
    const timer = setInterval(() => {
      const nowNs = this.options.clock.nowNs();
      for (const pending of this.inflight) {
        if (pending === null || nowNs < pending.deadlineNs) continue;
        const { op } = pending;
        pending.resolve({ type: op.f === 'read' ? 'fail' : 'info', value: op.value, error: 'client-hung' });
      }
    }, watchdogIntervalMs);
    timer.unref();
    return timer;
  }
}

function completionDraft(op: ClientOp, completion: Completion, process: number, time: number) {
  return completion.error === undefined
    ? { type: completion.type, f: op.f, key: op.key, value: completion.value, process, time }
    : { type: completion.type, f: op.f, key: op.key, value: completion.value, process, time, error: completion.error };
}
