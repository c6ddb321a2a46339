// `quorumlab campaign FILE`: runs a campaign file's matrix of tests, each as a
// child `quorumlab test`, with a progress display, and writes index.html,
// junit.xml and summary.json under store/campaigns/<name>/<timestamp>/. Exits
// 0 only when every verdict is the expected one.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { clockCreate } from '../core/clock.js';
import { exitCode } from '../core/verdict.js';
import { campaignParse, type Campaign } from '../runner/campaign/campaign-parse.js';
import { campaignRun } from '../runner/campaign/campaign-run.js';
import { campaignSchema } from '../runner/campaign/campaign-schema.js';
import { UsageError } from './usage-error.js';

interface CampaignFlags {
  readonly resume?: string | boolean;
  readonly filter?: readonly string[];
  readonly store: string;
  readonly list?: boolean;
  readonly schema?: boolean;
}

export function register(program: Command): void {
  program
    .command('campaign')
    .description(
      'run a campaign file: a matrix of tests with expected verdicts; writes index.html, junit.xml, summary.json',
    )
    .argument('[file]', 'campaign file (JSON), e.g. campaigns/smoke.json')
    .option(
      '--resume [dir]',
      'continue an interrupted campaign (default: its latest directory) without re-running finished tests',
    )
    .option('--filter <text...>', 'run only the tests whose id contains one of these texts')
    .option('--store <dir>', 'run store directory', 'store')
    .option('--list', 'print the test ids and their expected verdicts, run nothing')
    .option('--schema', "print the campaign file's JSON Schema")
    .action(async (file: string | undefined, flags: CampaignFlags) => {
      if (flags.schema === true) {
        process.stdout.write(`${JSON.stringify(campaignSchema, null, 2)}\n`);
        return;
      }
      if (file === undefined) throw new UsageError('campaign: missing the campaign file (e.g. campaigns/smoke.json)');
      const campaign = campaignRead(file);
      if (flags.list === true) {
        for (const test of campaign.tests) process.stdout.write(`${test.id}  expect ${test.expect}\n`);
        return;
      }
      process.exitCode = await campaignCommand(campaign, file, flags);
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

async function campaignCommand(campaign: Campaign, file: string, flags: CampaignFlags): Promise<number> {
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
      cliPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js'),
      clock: clockCreate(),
      signal: interrupt.signal,
      progress: { write: (text) => process.stderr.write(text), tty: process.stderr.isTTY === true },
    });
    if (!outcome.ok) throw new UsageError(outcome.error);
    const { summary } = outcome;
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
