// `quorumlab shrink RUN_DIR`: re-runs an invalid run with fewer faults, fewer
// clients and a shorter time, from the same seed and options, to find a small
// schedule that still fails; writes shrunk-schedule.json and shrink.json into
// the run directory and prints the command that reproduces the failure.

import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { clockCreate } from '../core/clock.js';
import { durationDayMsMax, durationParse } from '../core/duration.js';
import { exitCode } from '../core/verdict.js';
import { durationText } from '../runner/shrink/rerun-args.js';
import { shrinkInputRead } from '../runner/shrink/shrink-input.js';
import { shrinkRun } from '../runner/shrink/shrink-run.js';
import type { ShrinkLimits } from '../runner/shrink/shrink-search.js';
import { UsageError } from './usage-error.js';

export const shrinkAttemptsDefault = 24;
const shrinkAttemptsMax = 500;
const shrinkBudgetDefault = '1h';

interface ShrinkFlags {
  readonly attempts: string;
  readonly budget: string;
  readonly anyChecker?: boolean;
}

export function register(program: Command): void {
  program
    .command('shrink')
    .description(commandSummary.shrink)
    .argument('<run>', 'the run directory of an invalid run (e.g. store/latest)')
    .option('--attempts <n>', 're-runs at most (each a real quorumlab test)', String(shrinkAttemptsDefault))
    .option('--budget <duration>', 'no re-run starts after this much time', shrinkBudgetDefault)
    .option('--any-checker', 'an invalid verdict from any checker counts (default: a checker the run failed must fail)')
    .addHelpText(
      'after',
      `
The schedule is the run's schedule.json, or the script of a --nemesis-schedule FILE run as its test.json
records it. The units removed are fault episodes (a start and its stop in a lane, with the awaits and bursts
leading to it; the sleeps stay, so the rest keeps its timing): delta debugging over them, then the clients
halved while it still fails, then the time limit cut to shortly after the last kept step.

A re-run reproduces the failure when its verdict is invalid and, by default, a checker that failed in the
run fails again (--any-checker: any invalid verdict). Each re-run is a child quorumlab test with the run's
seed and options (and this process's environment), kept under RUN/shrink/. The run's own files are left as
they are; written beside them: RUN/shrunk-schedule.json (a --nemesis-schedule file) and RUN/shrink.json
(every attempt). Exit 0 when the result was reproduced, 1 when no re-run failed as the run did, 3 for bad
input, 4 when interrupted.`,
    )
    .action(async (run: string, flags: ShrinkFlags) => {
      process.exitCode = await shrinkCommand(run, limitsOf(flags));
    });
}

function limitsOf(flags: ShrinkFlags): ShrinkLimits {
  const attempts = /^\d+$/.test(flags.attempts) ? Number(flags.attempts) : NaN;
  if (!Number.isSafeInteger(attempts) || attempts < 1 || attempts > shrinkAttemptsMax)
    throw new UsageError(`--attempts: expected an integer from 1 to ${shrinkAttemptsMax}, got "${flags.attempts}"`);
  const budget = durationParse(flags.budget, durationDayMsMax);
  if (!budget.ok) throw new UsageError(`--budget: ${budget.error}`);
  if (budget.ms <= 0) throw new UsageError(`--budget: must be longer than 0, got "${flags.budget}"`);
  return { attemptsMax: attempts, budgetMs: budget.ms, anyChecker: flags.anyChecker === true };
}

async function shrinkCommand(runDir: string, limits: ShrinkLimits): Promise<number> {
  const read = shrinkInputRead(runDir);
  if (!read.ok) throw new UsageError(read.error);
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) {
      process.stderr.write(`quorumlab: second ${signal}; exiting now\n`);
      process.exit(exitCode.crashed);
    }
    process.stderr.write(`quorumlab: ${signal}: stopping the running attempt and writing what was found\n`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const done = await shrinkRun({
      input: read.input,
      limits,
      cliPath: path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.js'),
      clock: clockCreate(),
      signal: interrupt.signal,
      progress: (line) => process.stderr.write(`${line}\n`),
    });
    const { outcome } = done;
    const faults = outcome.kept.map((index) => outcome.episodes[index]!.fault);
    const reproduced = outcome.reproducedBy !== null;
    process.stdout.write(
      reproduced
        ? `shrunk: ${outcome.kept.length} of ${outcome.episodes.length} episodes (${faults.join(', ')}), ${outcome.concurrency} clients, ${durationText(outcome.timeLimitMs)}, in ${outcome.attempts.length} attempts (${outcome.end})\n`
        : `not shrunk: none of ${outcome.attempts.length} attempts failed as the run did (${outcome.end}); the schedule is written whole\n`,
    );
    process.stdout.write(`schedule: ${done.schedulePath}\nrecord: ${done.recordPath}\nreproduce: ${done.command}\n`);
    if (outcome.end === 'interrupted') return exitCode.crashed;
    return reproduced ? exitCode.valid : exitCode.invalid;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
