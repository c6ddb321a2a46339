// The Docker runtime's last resort at exit: when nothing asynchronous can run
// any more, a detached process is left behind that removes the runs'
// containers and networks by label. A SIGKILL leaves them running: `quorumlab
// cleanup` finds them.

import { spawn } from 'node:child_process';

/** Leaves a process behind that removes the runs' containers and networks by label. */
export function dockerCleanupDetached(runIds: readonly string[]): void {
  if (runIds.length === 0) return;
  const moduleUrl = new URL('./docker-cleanup.js', import.meta.url).href;
  const script = `const { dockerCleanup } = await import(${JSON.stringify(moduleUrl)});
for (const runId of ${JSON.stringify(runIds)}) await dockerCleanup({ runId });`;
  try {
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { detached: true, stdio: 'ignore' });
    child.unref();
  } catch (error) {
    process.stderr.write(
      `docker runtime: could not start the cleanup of runs ${runIds.join(', ')}: ${String(error)}; run \`quorumlab cleanup\`\n`,
    );
  }
}
