// `quorumlab report <run dir>`: rebuilds a run's report.html from its stored
// files (test.json, results.json, history.jsonl), e.g. after an upgrade of the
// report or for a run copied from another machine.

import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { reportRebuild } from '../results/report/report-write.js';
import { UsageError } from './usage-error.js';

export function register(program: Command): void {
  program
    .command('report')
    .description(commandSummary.report)
    .argument('<run-dir>', 'a run directory, e.g. store/latest or store/register-none/<timestamp>')
    .action(async (runDir: string) => {
      const written = await reportRebuild(runDir);
      if (!written.ok) throw new UsageError(written.error);
      for (const warning of written.warnings) process.stderr.write(`quorumlab: warning: ${warning}\n`);
      process.stdout.write(`${written.path} (${(written.bytes / 1024).toFixed(0)} KiB)\n`);
    });
}
