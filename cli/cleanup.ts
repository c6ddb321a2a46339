// `quorumlab cleanup`: remove what crashed runs left behind — local node
// processes whose runtime is gone (found by their run marker in /proc), state
// files of clusters that no longer run, and Docker containers and networks of
// dead runs (found by label) — and say what was removed. With --images, also
// the node images older builds of the project left behind.

import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import {
  dockerCleanupIfEngine,
  dockerLeftoverRender,
  type DockerLeftover,
} from '../cluster/runtime/docker/docker-cleanup.js';
import { DockerEngineUnavailable, dockerEngineConnect } from '../cluster/runtime/docker/docker-engine.js';
import { imagePrunedRender, nodeImagesPrune, type ImagePruned } from '../cluster/runtime/docker/image-prune.js';
import { projectRootFind } from '../cluster/runtime/shared/project-root.js';
import { localLeftoversRemove } from '../cluster/runtime/local/leftovers.js';
import type { Leftover } from '../cluster/runtime/local/leftovers.js';
import { assertNever } from '../core/assert.js';
import { exitCode } from '../core/verdict.js';
import { storeDirReadableCheck } from '../results/store-dir.js';
import { UsageError } from './usage-error.js';

interface CleanupFlags {
  readonly store: string;
  readonly dir?: string[];
  readonly all?: boolean;
  readonly images?: boolean;
  readonly json?: boolean;
}

export function register(program: Command): void {
  program
    .command('cleanup')
    .description(commandSummary.cleanup)
    .option('--store <dir>', 'store directory whose cluster state files are checked', 'store')
    .option('--dir <dir...>', 'further cluster directories to check (as given to `cluster up --dir`)')
    .option('--all', 'also kill node processes whose run is still alive (a hung run)')
    .option('--images', 'also remove node images of older builds of the project (kept as a cache otherwise)')
    .option('--json', 'print machine-readable output')
    .action((flags: CleanupFlags) => cleanup(flags));
}

async function cleanup(flags: CleanupFlags): Promise<void> {
  for (const [flag, dir] of [
    ['--store', flags.store] as const,
    ...(flags.dir ?? []).map((dir) => ['--dir', dir] as const),
  ]) {
    const check = storeDirReadableCheck(dir, flag);
    if (!check.ok) throw new UsageError(check.error);
  }
  // The store directory is searched one level down, which covers its cluster/ directory.
  const stateDirs = [flags.store, ...(flags.dir ?? [])];
  const leftovers = await localLeftoversRemove({ stateDirs, includeOwned: flags.all === true });
  const docker = await dockerCleanupIfEngine({ includeOwned: flags.all === true });
  const dockerLeftovers: readonly DockerLeftover[] = docker.engine ? docker.leftovers : [];
  const images = flags.images === true && docker.engine ? await imagesPrune() : [];
  if (flags.json === true) {
    const dockerJson = docker.engine
      ? { leftovers: dockerLeftovers, ...(flags.images === true ? { images } : {}) }
      : { note: docker.note };
    process.stdout.write(`${JSON.stringify({ leftovers, docker: dockerJson }, null, 2)}\n`);
  } else {
    const lines = [
      ...leftovers.map(leftoverRender),
      ...dockerLeftovers.map(dockerLeftoverRender),
      ...images.map(imagePrunedRender),
    ];
    process.stdout.write(lines.length === 0 ? 'nothing to clean up\n' : `${lines.join('\n')}\n`);
    if (!docker.engine) process.stdout.write(`(${docker.note})\n`);
  }
  if ([...leftovers, ...dockerLeftovers].some((leftover) => !leftover.removed)) process.exitCode = exitCode.crashed;
}

/** Images are a cache: one still in use is reported, not counted as a failure. */
async function imagesPrune(): Promise<ImagePruned[]> {
  try {
    return await nodeImagesPrune(await dockerEngineConnect(), projectRootFind());
  } catch (error) {
    if (error instanceof DockerEngineUnavailable) return [];
    throw error;
  }
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
