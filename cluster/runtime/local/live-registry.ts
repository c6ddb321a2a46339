// Every runtime with live node processes, so that nothing outlives this process:
// on exit, on an uncaught error, and on SIGINT/SIGTERM/SIGHUP that nobody else
// handles, each live node is sent SIGKILL (synchronously, the only thing an exit
// handler can do). A command that handles the signal itself (stopping its
// cluster gracefully) keeps that job; the nodes' own orphan guard is the last
// line of defence when this process is killed outright.

export interface LiveRuntime {
  /** SIGKILL every node process now, without waiting. */
  killAllNow(): void;
}

const live = new Set<LiveRuntime>();
const signalsWatched = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

export function liveRuntimeAdd(runtime: LiveRuntime): void {
  live.add(runtime);
  if (!installed) install();
}

export function liveRuntimeRemove(runtime: LiveRuntime): void {
  live.delete(runtime);
  if (live.size === 0 && installed) uninstall();
}

export function liveRuntimeCount(): number {
  return live.size;
}

function killAll(): void {
  for (const runtime of live) runtime.killAllNow();
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener owns this signal and will stop the cluster its own way.
  if (process.listenerCount(signal) > 1) return;
  killAll();
  uninstall();
  // Die of the signal as if no handler had been installed.
  process.kill(process.pid, signal);
}

function install(): void {
  installed = true;
  process.on('exit', killAll);
  process.on('uncaughtExceptionMonitor', killAll);
  // First in line, so it sees the other listeners before any of them removes itself.
  for (const signal of signalsWatched) process.prependListener(signal, onSignal);
}

function uninstall(): void {
  installed = false;
  process.off('exit', killAll);
  process.off('uncaughtExceptionMonitor', killAll);
  for (const signal of signalsWatched) process.off(signal, onSignal);
}
