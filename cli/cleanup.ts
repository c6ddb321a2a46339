// `quorumlab cleanup`: remove what crashed runs left behind — local node
// processes whose runtime is gone (found by their run marker in /proc), state
// files of clusters that no longer run, and Docker containers and networks of
// dead runs (found by label) — and say what was removed.

import type { Command } from 'commander';
import { dockerCleanupIfEngine, dockerLeftoverRender, type DockerLeftover } from '../cluster/runtime/docker/docker-cleanup.js';
import { localLeftoversRemove } from '../cluster/runtime/local/leftovers.js';
import type { Leftover } from '../cluster/runtime/local/leftovers.js';
import { assertNever } from '../core/assert.js';
import { exitCode } from '../core/verdict.js';

interface CleanupFlags {
  readonly store: string;
  readonly dir?: string[];
  readonly all?: boolean;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('cleanup')
    .description('remove leftovers of crashed runs: node processes, stale cluster state files, Docker containers and networks')
    .option('--store <dir>', 'store directory whose cluster state files are checked', 'store')
    .option('--dir <dir...>', 'further cluster directories to check (as given to `cluster up --dir`)')
    .option('--all', 'also kill node processes whose run is still alive (a hung run)')
    .option('--json', 'print machine-readable output')
    .action((flags: CleanupFlags) => cleanup(flags));
}

async function cleanup(flags: CleanupFlags): Promise<void> {
  // The store directory is searched one level down, which covers its cluster/ directory.
  const stateDirs = [flags.store, ...(flags.dir ?? [])];
  const leftovers = await localLeftoversRemove({ stateDirs, includeOwned: flags.all === true });
  const docker = await dockerCleanupIfEngine({ includeOwned: flags.all === true });
  const dockerLeftovers: readonly DockerLeftover[] = docker.engine ? docker.leftovers : [];
  if (flags.json === true) {
    process.stdout.write(`${JSON.stringify({ leftovers, docker: docker.engine ? { leftovers: dockerLeftovers } : { note: docker.note } }, null, 2)}\n`);
  } else {
    const lines = [...leftovers.map(leftoverRender), ...dockerLeftovers.map(dockerLeftoverRender)];
    process.stdout.write(lines.length === 0 ? 'nothing to clean up\n' : `${lines.join('\n')}\n`);
    if (!docker.engine) process.stdout.write(`(${docker.note})\n`);
  }
  if ([...leftovers, ...dockerLeftovers].some((leftover) => !leftover.removed)) process.exitCode = exitCode.crashed;
}

function leftoverRender(leftover: Leftover): string {
  const mark = leftover.removed ? 'removed' : 'FAILED ';
  switch (leftover.kind) {
    case 'process':
      return `${mark} process ${leftover.pid} (node ${leftover.nodeId} of run ${leftover.runId}): ${leftover.note}`;
    case 'state-file':
      return `${mark} state file ${leftover.path}: ${leftover.note}`;
    default:
      return assertNever(leftover, 'leftover');
  }
}
