// `quorumlab check FILE --model M`: re-checks a stored or imported history for
// linearizability (and a history recorded by `quorumlab test` for liveness and
// repair) and exits 0 valid, 1 invalid, 2 unknown, 3 bad input. The work is in
// results/formats/history-check.ts; this is the flag glue.

import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { durationDayMsMax, durationParse } from '../core/duration.js';
import { verdictExitCode } from '../core/verdict.js';
import { historyFormats, isHistoryFormat, type HistoryFormat } from '../results/formats/history-format.js';
import { txnModelName } from './check-txn-model.js';
import { UsageError } from './usage-error.js';

/** Memory the search may use before it answers unknown. */
const checkMemoryBytesMax = 1024 * 1024 * 1024;

interface CheckFlags {
  readonly model: string;
  readonly format?: string;
  readonly timeout: string;
  readonly json?: boolean;
  readonly evidence: boolean;
  readonly consistency: string;
}

export function register(program: Command): void {
  program
    .command('check')
    .description(commandSummary.check)
    .argument('<file>', 'history file, or a run directory holding history.jsonl')
    .requiredOption(
      '--model <name>',
      `the sequential model to check against, e.g. cas-register; ${txnModelName} for transactions`,
    )
    .option('--format <format>', `history format: ${historyFormats.join(' | ')} (default: from the file extension)`)
    .option('--timeout <duration>', 'time budget of the search; past it the verdict is unknown', '60s')
    .option('--json', 'print the result as JSON')
    .option('--no-evidence', "the verdict only: no search for a failure's smallest window")
    .option(
      '--consistency <token>',
      `with --model ${txnModelName}: the models to hold (comma-separated), anomalies=NAME, detector=NAME or none`,
      'strict-serializable',
    )
    .action(checkAction);
}

async function checkAction(file: string, flags: CheckFlags): Promise<void> {
  const timeout = durationParse(flags.timeout, durationDayMsMax);
  if (!timeout.ok) throw new UsageError(`--timeout: ${timeout.error}`);
  if (flags.model === txnModelName) {
    const txnFlags = { consistency: flags.consistency, timeoutMs: timeout.ms, json: flags.json === true };
    const { txnCheckAction } = await import('./check-txn.js');
    return txnCheckAction(file, flags.format === undefined ? txnFlags : { ...txnFlags, format: flags.format });
  }
  // Loaded on use, so the other commands start without loading the checker.
  const { historyCheck, historyCheckJson, historyCheckRender } = await import('../results/formats/history-check.js');
  const outcome = await historyCheck({
    file,
    model: flags.model,
    format: formatFlag(flags.format),
    timeoutMs: timeout.ms,
    memoryBytesMax: checkMemoryBytesMax,
    evidence: flags.evidence,
  });
  if (!outcome.ok) throw new UsageError(outcome.error);
  const { report } = outcome;
  process.stdout.write(
    flags.json === true ? `${JSON.stringify(historyCheckJson(report), null, 2)}\n` : historyCheckRender(report),
  );
  process.exitCode = verdictExitCode(report.verdict);
}

function formatFlag(format: string | undefined): HistoryFormat | null {
  if (format === undefined) return null;
  if (!isHistoryFormat(format))
    throw new UsageError(`--format: expected one of ${historyFormats.join(', ')}, got "${format}"`);
  return format;
}
