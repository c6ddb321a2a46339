// The one clock of a run. History times are nanoseconds since the run started,
// from a monotonic source; wall-clock time appears only in file names and
// metadata. Waiting goes through the clock too (`sleep`, `pollUntil`), so the
// loops that wait can run on simulated time in their tests (`clockVirtualCreate`).

export interface Clock {
  /** Monotonic nanoseconds since this clock was created (safe as a number for ~104 days). */
  nowNs(): number;
  /** Monotonic milliseconds since this clock was created, fractional. */
  nowMs(): number;
  /** Wall-clock time as an ISO string, for metadata only. */
  wallIso(): string;
  /** Resolves after `ms`, or at once when `signal` aborts (it never rejects). */
  sleep(ms: number, signal?: AbortSignal | null): Promise<void>;
}

/** A wait for a condition: what it waits for (named in the error), its bound, how often it looks. */
export interface PollSpec<T> {
  /** Said in the error on time-out: "timed out after 5000 ms waiting for <what>". */
  readonly what: string;
  readonly timeoutMs: number;
  readonly intervalMs: number;
  readonly signal?: AbortSignal | null;
  /** The value once the condition holds, or null (or undefined) to look again. */
  readonly probe: () => T | null | undefined | Promise<T | null | undefined>;
  /** Added to the error on time-out: the last state seen, for example. */
  readonly detail?: () => string;
}

/** Why a poll ended without its condition: the bound ran out or the signal aborted. */
export class PollTimeoutError extends Error {
  constructor(
    message: string,
    readonly what: string,
    readonly reason: 'timeout' | 'aborted',
  ) {
    super(message);
    this.name = 'PollTimeoutError';
  }
}

/** Probes until the condition holds; throws a PollTimeoutError naming `what` when the bound runs out or `signal` aborts. */
export async function pollUntil<T>(clock: Clock, spec: PollSpec<T>): Promise<T> {
  const deadlineMs = clock.nowMs() + spec.timeoutMs;
  for (;;) {
    const value = await spec.probe();
    if (value !== null && value !== undefined) return value;
    if (spec.signal?.aborted === true) throw pollError(spec, 'aborted');
    const leftMs = deadlineMs - clock.nowMs();
    if (leftMs <= 0) throw pollError(spec, 'timeout');
    await clock.sleep(Math.min(spec.intervalMs, leftMs), spec.signal);
  }
}

function pollError<T>(spec: PollSpec<T>, reason: 'timeout' | 'aborted'): PollTimeoutError {
  const detail = spec.detail === undefined ? '' : ` (${spec.detail()})`;
  const head =
    reason === 'timeout'
      ? `timed out after ${spec.timeoutMs} ms waiting for ${spec.what}`
      : `stopped waiting for ${spec.what}: aborted`;
  return new PollTimeoutError(`${head}${detail}`, spec.what, reason);
}

export function clockCreate(): Clock {
  const origin = process.hrtime.bigint();
  const nowNs = (): number => Number(process.hrtime.bigint() - origin);
  return {
    nowNs,
    nowMs: () => nowNs() / 1e6,
    wallIso: () => new Date().toISOString(),
    sleep: sleepReal,
  };
}

function sleepReal(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted === true) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, Math.max(0, ms));
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** A clock whose time moves only when the test says so; sleepers wake in time order as it passes their deadline. */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, waking each sleeper whose deadline is reached and letting its continuation run. */
  advance(ms: number): Promise<void>;
  /** Advances to the next sleeper's deadline, repeatedly, until `done` settles or `msMax` of simulated time passed. */
  runUntil<T>(done: Promise<T>, msMax: number): Promise<T>;
  /** How many sleepers are waiting. */
  readonly sleepers: number;
}

interface Sleeper {
  readonly atMs: number;
  readonly order: number;
  readonly wake: () => void;
}

/** Simulated time starting at 0; `wallIso` is derived from `wallOriginIso` plus the simulated time. */
export function clockVirtualCreate(wallOriginIso = '2026-01-01T00:00:00.000Z'): VirtualClock {
  let nowMs = 0;
  let order = 0;
  let sleepers: Sleeper[] = [];
  const wallOriginMs = Date.parse(wallOriginIso);

  const sleep = (ms: number, signal?: AbortSignal | null): Promise<void> =>
    new Promise((resolve) => {
      if (signal?.aborted === true) return resolve();
      const sleeper: Sleeper = { atMs: nowMs + Math.max(0, ms), order: order++, wake: () => finish() };
      const finish = (): void => {
        sleepers = sleepers.filter((s) => s !== sleeper);
        signal?.removeEventListener('abort', finish);
        resolve();
      };
      sleepers.push(sleeper);
      signal?.addEventListener('abort', finish, { once: true });
    });

  const settle = async (): Promise<void> => {
    // Continuations of woken sleepers run on the microtask queue and on immediates (I/O-free async code).
    for (let turn = 0; turn < 10; turn++) await new Promise<void>((resolve) => setImmediate(resolve));
  };

  const advanceTo = async (targetMs: number): Promise<void> => {
    for (;;) {
      const due = sleepers.filter((s) => s.atMs <= targetMs).sort((a, b) => a.atMs - b.atMs || a.order - b.order)[0];
      if (due === undefined) break;
      nowMs = Math.max(nowMs, due.atMs);
      due.wake();
      await settle();
    }
    nowMs = Math.max(nowMs, targetMs);
    await settle();
  };

  const runUntil = async <T>(done: Promise<T>, msMax: number): Promise<T> => {
    let settled = false;
    const tracked = done.finally(() => {
      settled = true;
    });
    tracked.catch(() => undefined);
    const limitMs = nowMs + msMax;
    await settle();
    while (!settled && nowMs < limitMs) {
      const next = sleepers.reduce((min, s) => Math.min(min, s.atMs), Number.POSITIVE_INFINITY);
      if (next === Number.POSITIVE_INFINITY) break;
      await advanceTo(Math.min(next, limitMs));
    }
    if (!settled)
      throw new Error(`virtual clock: still waiting after ${msMax} ms of simulated time (${sleepers.length} sleepers)`);
    return tracked;
  };

  return {
    nowNs: () => Math.round(nowMs * 1e6),
    nowMs: () => nowMs,
    wallIso: () => new Date(wallOriginMs + nowMs).toISOString(),
    sleep,
    advance: (ms: number) => advanceTo(nowMs + ms),
    runUntil,
    get sleepers() {
      return sleepers.length;
    },
  };
}
