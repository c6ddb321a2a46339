// `quorumlab campaign FILE`: runs a campaign file's matrix of tests, each as a
// child `quorumlab test`, with a progress display, and writes index.html,
// junit.xml and summary.json under store/campaigns/<name>/<timestamp>/. Exits
// 0 only when every verdict is the expected one. `--shard I/N` runs one
// runner's share, `campaign merge DIR...` joins the shares (cli/campaign-merge.ts).

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { clockCreate } from '../core/clock.js';
import { exitCode } from '../core/verdict.js';
import { campaignParse, type Campaign } from '../runner/campaign/campaign-parse.js';
import { campaignRun } from '../runner/campaign/campaign-run.js';
import { campaignTestsCheck } from '../runner/campaign/campaign-check.js';
import { campaignSchema } from '../runner/campaign/campaign-schema.js';
import { storeDirPrepare, storeDirsUnlinkedCheck } from '../results/store-dir.js';
import { UsageError } from './usage-error.js';
import { bugNames } from '../cluster/config.js';
import { huntLine, type HuntSummary } from '../runner/campaign/campaign-summary.js';
import { campaignParallelCheck, parallelParse } from '../runner/campaign/campaign-parallel.js';
import { shardParse, shardSelect, testExpectedMs, type Shard } from '../runner/campaign/campaign-shard.js';
import { campaignMergeCommand } from './campaign-merge.js';

interface CampaignFlags extends SearchFlags {
  readonly resume?: string | boolean;
  readonly shard?: string;
  readonly parallel: string;
  readonly into?: string;
  readonly filter?: readonly string[];
  readonly store: string;
  readonly list?: boolean;
  readonly schema?: boolean;
}

/** `--search BUG`: a hunt over seeds made from flags instead of a file. */
interface SearchFlags {
  readonly search?: string;
  readonly seeds: string;
  readonly until: string;
  readonly workload: string;
  readonly nemesis: string;
  readonly timeLimit: string;
  readonly cache?: string;
  readonly concurrency?: string;
  readonly nemesisInterval?: string;
  readonly runtime?: string;
  readonly shrink?: boolean;
}

export function register(program: Command): void {
  program
    .command('campaign')
    .description(commandSummary.campaign)
    .argument('[file]', 'campaign file (JSON), e.g. campaigns/smoke.json; or "merge" and the shard directories')
    .argument('[dirs...]', "merge: the shards' campaign directories, or directories holding them")
    .option(
      '--resume [dir]',
      'continue an interrupted campaign (default: its latest directory) without re-running finished tests',
    )
    .option('--filter <text...>', 'run only the tests whose id contains one of these texts')
    .option('--shard <i/n>', 'run shard I of N: a share of the tests balanced by expected duration (for CI runners)')
    .option('--parallel <k>', 'run K tests at once on this machine', '1')
    .option('--into <dir>', 'merge: the merged campaign directory (new or empty; default: a new one under --store)')
    .option('--store <dir>', 'run store directory', 'store')
    .option('--list', 'print the test ids and their expected verdicts, run nothing')
    .option('--schema', "print the campaign file's JSON Schema")
    .option('--search <bug>', 'instead of a file: run one test over seeds with this bug on until it is caught')
    .option('--seeds <range>', '--search: the seeds, in order ("1..20")', '1..10')
    .option('--until <event>', '--search: when to stop: caught (the first invalid verdict)', 'caught')
    .option('--workload <name>', '--search: the workload', 'register')
    .option('--nemesis <names>', '--search: the faults (as quorumlab test --nemesis)', 'all')
    .option('--time-limit <duration>', '--search: the time limit of each test', '30s')
    .option('--cache <on|off>', "--search: the writer's cache")
    .option('--concurrency <n>', '--search: client processes')
    .option('--nemesis-interval <duration>', '--search: time between faults')
    .option('--runtime <name>', '--search: local or docker', 'local')
    .option('--shrink', '--search: shrink the caught run (quorumlab shrink) and report the shrunk schedule')
    .addHelpText(
      'after',
      `
A campaign file of "type": "hunt" runs its tests in order of seed until the first invalid verdict, shrinks
that run and reports the seed and the shrunk schedule (summary.json, index.html, junit.xml). --search BUG
is such a hunt made from flags; it exits 0 when the bug was caught, 1 when it was not caught in the seeds.

--shard I/N splits the tests by expected duration (time limit + a per-runtime overhead estimate: memory 2 s,
local 15 s, docker 40 s), longest first, each to the least loaded shard; every runner computes the same split.
\`quorumlab campaign merge DIR... [--into DIR]\` joins the shards into one index.html, junit.xml and
summary.json; a missing or unfinished shard leaves its tests "not run" and the merge exits 4.`,
    )
    .action(async (file: string | undefined, dirs: readonly string[], flags: CampaignFlags) => {
      if (file === 'merge') {
        process.exitCode = campaignMergeCommand(dirs, flags);
        return;
      }
      if (dirs.length > 0) throw new UsageError(`campaign: unexpected argument ${dirs[0]} after the campaign file`);
      if (flags.into !== undefined) throw new UsageError('--into: only for quorumlab campaign merge');
      if (flags.schema === true) {
        process.stdout.write(`${JSON.stringify(campaignSchema, null, 2)}\n`);
        return;
      }
      if (file !== undefined && flags.search !== undefined)
        throw new UsageError(`campaign: give a campaign file or --search, not both (got ${file} and --search)`);
      if (file === undefined && flags.search === undefined)
        throw new UsageError('campaign: missing the campaign file (e.g. campaigns/smoke.json) or --search BUG');
      const campaign = flags.search === undefined ? campaignRead(file!) : searchCampaign(flags.search, flags);
      const source = file ?? `--search ${flags.search}`;
      const checked = campaignTestsCheck(campaign, source);
      if (!checked.ok) throw new UsageError(checked.error);
      const shard = shardOf(campaign, flags.shard);
      const parallel = parallelParse(flags.parallel);
      if (!parallel.ok) throw new UsageError(parallel.error);
      const parallelOk = campaignParallelCheck(campaign, parallel.parallel);
      if (!parallelOk.ok) throw new UsageError(parallelOk.error);
      if (flags.list === true) {
        const shown = shard === null ? campaign.tests : shardSelect(campaign.tests, shard);
        for (const test of shown)
          process.stdout.write(
            `${test.id}  expect ${test.expect}${shard === null ? '' : `  about ${Math.round(testExpectedMs(test) / 1000)} s`}\n`,
          );
        return;
      }
      process.exitCode = await campaignCommand(campaign, source, flags, shard, parallel.parallel);
    });
}

function campaignRead(file: string): Campaign {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${file}: cannot read: ${(error as Error).message}`);
  }
  const parsed = campaignParse(text, file);
  if (!parsed.ok) throw new UsageError(parsed.error);
  return parsed.campaign;
}

/** The hunt --search describes, checked by the campaign parser like a file; each message names the flag. */
function searchCampaign(bug: string, flags: SearchFlags): Campaign {
  if (!(bugNames as readonly string[]).includes(bug))
    throw new UsageError(`--search: unknown bug "${bug}"; known bugs: ${bugNames.join(', ')}`);
  if (flags.until !== 'caught') throw new UsageError(`--until: expected caught, got "${flags.until}"`);
  const range = /^\d+$/.test(flags.seeds) ? `${flags.seeds}..${flags.seeds}` : flags.seeds;
  if (!/^\d{1,10}\.\.\d{1,10}$/.test(range))
    throw new UsageError(`--seeds: expected a range of seeds like 1..20, got "${flags.seeds}"`);
  const integer = (flag: string, text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    if (!/^\d+$/.test(text)) throw new UsageError(`${flag}: expected an integer, got "${text}"`);
    return Number(text);
  };
  const entry = {
    name: 'search',
    workloads: [flags.workload],
    nemeses: [flags.nemesis],
    runtimes: [flags.runtime ?? 'local'],
    bugs: [[bug]],
    seeds: range,
    timeLimits: [flags.timeLimit],
    ...(flags.cache === undefined ? {} : { cache: flags.cache }),
    ...(flags.concurrency === undefined ? {} : { concurrency: integer('--concurrency', flags.concurrency) }),
    ...(flags.nemesisInterval === undefined ? {} : { nemesisInterval: flags.nemesisInterval }),
  };
  const raw = {
    name: `search-${bug}`,
    type: 'hunt',
    hunt: { expect: 'caught', shrink: flags.shrink === true },
    matrix: [entry],
  };
  const parsed = campaignParse(JSON.stringify(raw), '--search');
  if (!parsed.ok) throw new UsageError(searchFlagsNamed(parsed.error));
  return parsed.campaign;
}

/** The campaign parser names fields of the entry --search made; the user gave flags. */
function searchFlagsNamed(error: string): string {
  const flags: readonly (readonly [string, string])[] = [
    ['workloads[0]', '--workload'],
    ['nemeses[0]', '--nemesis'],
    ['runtimes[0]', '--runtime'],
    ['timeLimits[0]', '--time-limit'],
    ['timeLimits', '--time-limit'],
    ['seeds', '--seeds'],
    ['cache', '--cache'],
    ['concurrency', '--concurrency'],
    ['nemesisInterval', '--nemesis-interval'],
  ];
  for (const [field, flag] of flags)
    if (error.startsWith(`--search: matrix[0].${field}`))
      return `${flag}${error.slice(`--search: matrix[0].${field}`.length)}`;
  return error;
}

function shardOf(campaign: Campaign, text: string | undefined): Shard | null {
  if (text === undefined) return null;
  const parsed = shardParse(text);
  if (!parsed.ok) throw new UsageError(parsed.error);
  if (campaign.hunt !== null)
    throw new UsageError(
      `--shard: campaign ${campaign.name} is a hunt, which runs its seeds in order until the first invalid one; shard a matrix campaign`,
    );
  return parsed.shard;
}

async function campaignCommand(
  campaign: Campaign,
  file: string,
  flags: CampaignFlags,
  shard: Shard | null,
  parallel: number,
): Promise<number> {
  const store = storeDirPrepare(flags.store, '--store');
  if (!store.ok) throw new UsageError(store.error);
  const campaignsDir = path.join(flags.store, 'campaigns');
  const unlinked = storeDirsUnlinkedCheck([campaignsDir, path.join(campaignsDir, campaign.name)]);
  if (!unlinked.ok) throw new UsageError(unlinked.error);
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) {
      process.stderr.write(`quorumlab: second ${signal}; exiting now\n`);
      process.exit(exitCode.crashed);
    }
    process.stderr.write(
      `quorumlab: ${signal}: stopping the running test and writing the campaign's files (--resume continues it)\n`,
    );
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await campaignRun({
      campaign,
      file,
      storeDir: path.resolve(flags.store),
      resume:
        flags.resume === undefined || flags.resume === false ? null : flags.resume === true ? 'latest' : flags.resume,
      filters: flags.filter ?? [],
      shard,
      parallel,
      cliPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js'),
      clock: clockCreate(),
      signal: interrupt.signal,
      progress: { write: (text) => process.stderr.write(text), tty: process.stderr.isTTY === true },
    });
    if (!outcome.ok) throw new UsageError(outcome.error);
    const { summary } = outcome;
    if (summary.hunt !== undefined) huntReport(summary.hunt, outcome.dir);
    else
      process.stdout.write(
        `${summary.matched} of ${summary.total} as expected, ${summary.mismatched} mismatched${summary.done < summary.total ? `, ${summary.total - summary.done} not run` : ''}\n`,
      );
    process.stdout.write(
      `index: ${path.join(outcome.dir, 'index.html')}\njunit: ${path.join(outcome.dir, 'junit.xml')}\n`,
    );
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

function huntReport(hunt: HuntSummary, dir: string): void {
  process.stdout.write(`${huntLine(hunt)}\n`);
  const shrink = hunt.shrink;
  if (shrink === null) return;
  process.stdout.write(`shrink: ${shrink.status}: ${shrink.message}\n`);
  if (shrink.schedule !== null) process.stdout.write(`shrunk schedule: ${path.join(dir, shrink.schedule)}\n`);
  if (shrink.command !== null) process.stdout.write(`reproduce: ${shrink.command}\n`);
}
