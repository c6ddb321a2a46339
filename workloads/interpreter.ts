// The one interpreter that owns time and concurrency. It asks a generator for
// operations and runs them on logical processes, closed loop (each worker
// invokes again as soon as its last operation completed) or open loop (a fixed
// rate with a bounded number outstanding), and records every invoke and
// completion. An `info` completion retires the worker's process: its next
// operation runs as process + concurrency, as in Jepsen. A burst adds closed-
// loop workers to the running phase for a while (the nemesis asks for one
// right before a fault, so more writes are in flight when it lands).

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { assert } from '../core/assert.js';
import type { Clock } from '../core/clock.js';
import { clientProcessOf, type ClientProcess } from '../core/history.js';
import type { Prng } from '../core/prng.js';
import type { HistoryRecorder } from '../results/history-recorder.js';
import type { WorkloadClient, WorkloadClientOpen } from './client.js';
import type { Generator } from './generator.js';
import type { ClientOp, Completion } from './op.js';
import { openLoopRun } from './open-loop.js';
import { type OpCounts, type PhaseLimits, PhaseRun } from './phase.js';

/** How often operations are checked against their deadline. */
const watchdogIntervalMs = 100;
/** A worker yields to the event loop after this many operations, so timers (flush, limits, signals) run even against an instant client. */
const yieldEveryOps = 64;
/** Burst workers at once at most, and the longest one burst lasts. */
export const burstClientsMax = 64;
export const burstForMsMax = 10_000;
/**
 * Burst workers run as processes numbered from here, each a fresh one, far
 * above the regular workers' (which step by the concurrency as they retire).
 */
export const burstProcessBase = 1_000_000;

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

export class Interpreter {
  readonly counts: OpCounts = { invoked: 0, ok: 0, fail: 0, info: 0, late: 0 };
  private readonly processes: number[];
  private readonly clients: (WorkloadClient | null)[];
  /** Per worker, the operation in flight: settled by its client or, past its deadline, by the watchdog. */
  private readonly inflight: (Inflight | null)[];
  /** The phase running now, which a burst joins. */
  private phase: PhaseRun | null = null;
  private readonly bursts = new Set<Promise<void>>();
  /** Worker slots past the regular ones that no burst worker holds now. */
  private readonly burstSlotsFree: number[];
  private burstProcessNext = burstProcessBase;

  constructor(private readonly options: InterpreterOptions) {
    assert(
      Number.isInteger(options.concurrency) && options.concurrency >= 1,
      `concurrency must be a positive integer, got ${options.concurrency}`,
    );
    // Slots past the concurrency are the burst workers'; their processes are set when a burst takes one.
    const slots = options.concurrency + burstClientsMax;
    this.processes = Array.from({ length: slots }, (_, i) => i);
    this.clients = Array.from({ length: slots }, () => null);
    this.inflight = Array.from({ length: slots }, () => null);
    this.burstSlotsFree = Array.from(
      { length: burstClientsMax },
      (_, i) => options.concurrency + burstClientsMax - 1 - i,
    );
  }

  /** Runs one phase to its limits; resolves when every operation it invoked has completed. */
  async run(gen: Generator<ClientOp>, limits: PhaseLimits): Promise<void> {
    const phase = new PhaseRun(gen, limits, this.options.clock, this.options.prng);
    const watchdogStop = new AbortController();
    const watchdog = this.watchdogRun(watchdogStop.signal);
    this.phase = phase;
    try {
      if (limits.rate === null) {
        const workers = Array.from({ length: this.options.concurrency }, (_, worker) => worker);
        await Promise.all(workers.map((worker) => this.closedWorker(worker, phase)));
      } else {
        const workers = {
          perform: (worker: number, op: ClientOp) => this.perform(worker, op),
          processOf: (worker: number) => this.processes[worker]!,
        };
        await openLoopRun(phase, limits.rate, this.options.concurrency, this.options.clock, workers, this.counts);
      }
    } finally {
      this.phase = null;
      // The phase is over, so every burst worker stops at its next turn; their last operations complete.
      await Promise.all(this.bursts);
      watchdogStop.abort();
      await watchdog;
    }
  }

  /**
   * Adds `clients` closed-loop workers to the phase running now for `forMs`
   * (at most burstClientsMax at once, at most burstForMsMax), each on a fresh
   * process; does not wait for them. Outside a phase it does nothing.
   */
  burst(clients: number, forMs: number): void {
    const phase = this.phase;
    if (phase === null) return;
    const untilNs = this.options.clock.nowNs() + Math.min(Math.max(0, forMs), burstForMsMax) * 1e6;
    const count = Math.min(Math.max(0, Math.floor(clients)), this.burstSlotsFree.length);
    for (let i = 0; i < count; i++) {
      const worker = this.burstSlotsFree.pop()!;
      this.processes[worker] = this.burstProcessNext++;
      const running = this.burstWorker(worker, phase, untilNs).finally(() => {
        this.bursts.delete(running);
        this.burstSlotsFree.push(worker);
      });
      this.bursts.add(running);
    }
  }

  /** The process each worker runs as now. */
  processIds(): readonly number[] {
    return this.processes.slice(0, this.options.concurrency);
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

  private async burstWorker(worker: number, phase: PhaseRun, untilNs: number): Promise<void> {
    let sinceYield = 0;
    try {
      while (this.phase === phase && phase.mayInvoke() && this.options.clock.nowNs() < untilNs) {
        const op = phase.take(this.processes[worker]!);
        if (op === null) return;
        await this.perform(worker, op);
        if (++sinceYield >= yieldEveryOps) {
          sinceYield = 0;
          await yieldToEventLoop();
        }
      }
    } finally {
      this.clients[worker]?.close();
      this.clients[worker] = null;
    }
  }

  /** Invokes one operation on the worker's process and records both ends. */
  async perform(worker: number, op: ClientOp): Promise<void> {
    const { recorder, clock } = this.options;
    const process = clientProcessOf(this.processes[worker]!);
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
      this.processes[worker] =
        worker < this.options.concurrency ? process + this.options.concurrency : this.burstProcessNext++;
      client.close();
      this.clients[worker] = null;
    }
  }

  /**
   * One wait for all workers instead of one per operation: every interval it
   * settles the operations past their deadline. It ends when `signal` aborts,
   * which the phase does once every operation it invoked has completed.
   */
  private async watchdogRun(signal: AbortSignal): Promise<void> {
    const { clock } = this.options;
    while (!signal.aborted) {
      await clock.sleep(watchdogIntervalMs, signal);
      if (!signal.aborted) this.overdueSettle(clock.nowNs());
    }
  }

  private overdueSettle(nowNs: number): void {
    for (const pending of this.inflight) {
      if (pending === null || nowNs < pending.deadlineNs) continue;
      const { op } = pending;
      pending.resolve({ type: op.f === 'read' ? 'fail' : 'info', value: op.value, error: 'client-hung' });
    }
  }
}

function completionDraft(op: ClientOp, completion: Completion, process: ClientProcess, time: number) {
  return completion.error === undefined
    ? { type: completion.type, f: op.f, key: op.key, value: completion.value, process, time }
    : { type: completion.type, f: op.f, key: op.key, value: completion.value, process, time, error: completion.error };
}
