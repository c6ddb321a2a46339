// `quorumlab cleanup`: remove what crashed runs left behind — local node
// processes whose runtime is gone (found by their run marker in /proc), state
// files of clusters that no longer run, and Docker containers and networks of
// dead runs (found by label) — and say what was removed. With --images, also
// the node images older builds of the project left behind. With --engines,
// the containers (node containers and netfilter sidecars) and networks (bridge
// and overlay) of dead runs on each named engine, and nothing else.

import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import {
  dockerCleanup,
  dockerCleanupIfEngine,
  dockerLeftoverRender,
  type DockerLeftover,
} from '../cluster/runtime/docker/docker-cleanup.js';
import { DockerEngineUnavailable, dockerEngineConnect } from '../cluster/runtime/docker/docker-engine.js';
import { engineConnect, engineUrlParse, type EngineUrl } from '../cluster/runtime/docker/swarm-engines.js';
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
  readonly engines?: string;
  readonly run?: string;
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
    .option(
      '--engines <urls>',
      'only the Docker engines named (comma-separated: local, unix:///path/docker.sock, tcp://HOST:PORT): their leftovers',
    )
    .option('--run <id>', "--engines: only this run (removed whatever its owner's state)")
    .action((flags: CleanupFlags) => (flags.engines === undefined ? cleanup(flags) : enginesCleanup(flags)));
}

/** The leftovers of dead runs (or of one run) on each engine; an engine that does not answer fails the cleanup. */
async function enginesCleanup(flags: CleanupFlags): Promise<void> {
  const urls = (flags.engines ?? '').split(',').map((text) => text.trim());
  const parsed = urls.map((text) => ({ text, url: engineUrlParse(text) }));
  const bad = parsed.find((item) => typeof item.url === 'string');
  if (bad !== undefined) throw new UsageError(`--engines: ${bad.url as string}`);
  if (flags.images === true || flags.all === true || flags.dir !== undefined)
    throw new UsageError('--engines: cleans only the engines named; drop --images, --all and --dir');
  let failed = false;
  const report: { engine: string; leftovers: DockerLeftover[]; error: string | null }[] = [];
  for (const { text, url } of parsed) {
    try {
      const docker = await engineConnect(url as EngineUrl);
      const leftovers = await dockerCleanup({ docker, ...(flags.run === undefined ? {} : { runId: flags.run }) });
      report.push({ engine: text, leftovers, error: null });
      failed ||= leftovers.some((leftover) => !leftover.removed);
    } catch (error) {
      if (!(error instanceof DockerEngineUnavailable)) throw error;
      report.push({ engine: text, leftovers: [], error: error.message });
      failed = true;
    }
  }
  if (flags.json === true) process.stdout.write(`${JSON.stringify({ engines: report }, null, 2)}\n`);
  else
    for (const { engine, leftovers, error } of report) {
      const lines = error !== null ? [`FAILED ${error}`] : leftovers.map(dockerLeftoverRender);
      process.stdout.write(`engine ${engine}:${lines.length === 0 ? ' nothing to clean up' : ''}\n`);
      for (const line of lines) process.stdout.write(`  ${line}\n`);
    }
  if (failed) process.exitCode = exitCode.crashed;
}

async function cleanup(flags: CleanupFlags): Promise<void> {
  if (flags.run !== undefined) throw new UsageError('--run: only with --engines');
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
