// The one guard that keeps a cluster from outliving this process, whatever
// runtime started it. Every runtime with live nodes registers here while it
// runs. On SIGINT/SIGTERM/SIGHUP that nobody else handles, every entry is
// released (bounded) and the process then dies of the signal; on exit or an
// uncaught error, when nothing asynchronous can run any more, each entry's
// synchronous last resort runs. A command that handles the signal itself
// (stopping its cluster gracefully) keeps that job. There is one listener per
// signal for all runtimes, so several runtimes alive at once never mistake one
// another for such a command.

export interface ExitGuarded {
  /** Names the entry in messages: "docker runtime run-1". */
  readonly what: string;
  /** After a signal: stop everything this entry holds. Never rejects. */
  release(): Promise<void>;
  /** On exit or an uncaught error: the synchronous last resort (SIGKILL, a detached cleanup). */
  releaseNow(): void;
}

/** Bound on releasing every entry after a signal before the last resorts run instead. */
export const signalReleaseTimeoutMs = 20_000;

const guarded = new Set<ExitGuarded>();
const signalsWatched = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

export function exitGuardAdd(entry: ExitGuarded): void {
  guarded.add(entry);
  if (!installed) install();
}

export function exitGuardRemove(entry: ExitGuarded): void {
  guarded.delete(entry);
  if (guarded.size === 0 && installed) uninstall();
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener owns this signal and will stop the cluster its own way.
  if (process.listenerCount(signal) > 1) return;
  uninstall();
  const entries = [...guarded];
  const timer = setTimeout(() => {
    process.stderr.write(
      `exit guard: releasing after ${signal} took over ${signalReleaseTimeoutMs} ms; the rest is left to cleanup\n`,
    );
    releaseAllNow();
    process.kill(process.pid, signal);
  }, signalReleaseTimeoutMs);
  void Promise.all(entries.map((entry) => releaseQuietly(entry))).then(() => {
    clearTimeout(timer);
    // Die of the signal as if no handler had been installed.
    process.kill(process.pid, signal);
  });
}

async function releaseQuietly(entry: ExitGuarded): Promise<void> {
  try {
    await entry.release();
    guarded.delete(entry);
  } catch (error) {
    process.stderr.write(`exit guard: releasing ${entry.what}: ${String(error)}\n`);
  }
}

function releaseAllNow(): void {
  // Once is enough: an uncaught error is followed by the exit event.
  const entries = [...guarded];
  guarded.clear();
  for (const entry of entries) {
    try {
      entry.releaseNow();
    } catch (error) {
      process.stderr.write(`exit guard: releasing ${entry.what} at exit: ${String(error)}\n`);
    }
  }
}

function install(): void {
  installed = true;
  process.on('exit', releaseAllNow);
  process.on('uncaughtExceptionMonitor', releaseAllNow);
  // First in line, so it sees the other listeners before any of them removes itself.
  for (const signal of signalsWatched) process.prependListener(signal, onSignal);
}

function uninstall(): void {
  installed = false;
  process.off('exit', releaseAllNow);
  process.off('uncaughtExceptionMonitor', releaseAllNow);
  for (const signal of signalsWatched) process.off(signal, onSignal);
}
