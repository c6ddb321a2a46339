// Every Docker runtime with live containers, so that none outlives this
// process: on SIGINT/SIGTERM/SIGHUP that nobody else handles, each live run is
// stopped and removed (bounded) before the process dies of the signal; on exit
// or an uncaught error, when nothing asynchronous can run any more, a detached
// process is left behind to remove the run's containers and network by label.
// A SIGKILL leaves the containers running: `quorumlab cleanup` finds them.

import { spawn } from 'node:child_process';

export interface LiveDockerRuntime {
  readonly runId: string;
  /** Stops and removes every container and the network; never throws. */
  stop(): Promise<void>;
}

/** Bound on stopping every live run after a signal. */
export const signalStopTimeoutMs = 20_000;

const live = new Set<LiveDockerRuntime>();
const signalsWatched = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let installed = false;

export function liveDockerAdd(runtime: LiveDockerRuntime): void {
  live.add(runtime);
  if (!installed) install();
}

export function liveDockerRemove(runtime: LiveDockerRuntime): void {
  live.delete(runtime);
  if (live.size === 0 && installed) uninstall();
}

function onSignal(signal: NodeJS.Signals): void {
  // Another listener owns this signal and will stop the cluster its own way.
  if (process.listenerCount(signal) > 1) return;
  uninstall();
  const runtimes = [...live];
  const timer = setTimeout(() => {
    process.stderr.write(
      `docker runtime: stopping after ${signal} took over ${signalStopTimeoutMs} ms; leaving the rest to cleanup\n`,
    );
    cleanupDetached(runtimes);
    process.kill(process.pid, signal);
  }, signalStopTimeoutMs);
  void Promise.all(runtimes.map((runtime) => runtime.stop())).then(() => {
    clearTimeout(timer);
    // Die of the signal as if no handler had been installed.
    process.kill(process.pid, signal);
  });
}

function onExit(): void {
  cleanupDetached([...live]);
}

/** Leaves a process behind that removes the runs' containers and networks by label. */
function cleanupDetached(runtimes: readonly LiveDockerRuntime[]): void {
  if (runtimes.length === 0) return;
  const moduleUrl = new URL('./docker-cleanup.js', import.meta.url).href;
  const script = `const { dockerCleanup } = await import(${JSON.stringify(moduleUrl)});
for (const runId of ${JSON.stringify(runtimes.map((runtime) => runtime.runId))}) await dockerCleanup({ runId });`;
  try {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { detached: true, stdio: 'ignore' });
    child.unref();
    // Once is enough: an uncaught error is followed by the exit event.
    for (const runtime of runtimes) live.delete(runtime);
  } catch (error) {
    process.stderr.write(
      `docker runtime: could not start the cleanup of runs ${runtimes.map((r) => r.runId).join(', ')}: ${String(error)}; run \`quorumlab cleanup\`\n`,
    );
  }
}

function install(): void {
  installed = true;
  process.on('exit', onExit);
  process.on('uncaughtExceptionMonitor', onExit);
  // First in line, so it sees the other listeners before any of them removes itself.
  for (const signal of signalsWatched) process.prependListener(signal, onSignal);
}

function uninstall(): void {
  installed = false;
  process.off('exit', onExit);
  process.off('uncaughtExceptionMonitor', onExit);
  for (const signal of signalsWatched) process.off(signal, onSignal);
}
