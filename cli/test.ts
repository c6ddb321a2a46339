// `quorumlab test`: runs one test (cluster, workload, nemesis, heal, final
// reads, checkers) and exits with its verdict. Flags are validated by
// runner/test-options; this module is the commander glue, the signal handling
// and the progress line.

import { readFileSync } from 'node:fs';
import { Command, Option } from 'commander';
import { commandSummary } from './command-summary.js';
import { bugNames } from '../cluster/config.js';
import { clockCreate, type Clock } from '../core/clock.js';
import { stringHash32 } from '../core/prng.js';
import { exitCode } from '../core/verdict.js';
import { storeDirPrepare, storeEntriesCheck } from '../results/store-dir.js';
import { RunProgress } from '../runner/progress.js';
import { runtimeFaultsUnavailable } from '../runner/runtime-needs.js';
import { nemesisUnavailableText, summaryJson, summaryText } from '../runner/summary.js';
import { livenessTimeoutDefault } from '../runner/liveness-options.js';
import { nemesisIntervalDefault, testOptionsParse, type TestFlags, type TestOptions } from '../runner/test-options.js';
import { testRun } from '../runner/test-run.js';
import { workloadNames } from '../workloads/workload.js';
import { faultCatalogText } from '../nemesis/faults/fault-catalog.js';
import { scheduleFileHelp } from '../nemesis/schedule/schedule-file.js';
import { scheduleKinds } from '../nemesis/schedule/schedule.js';
import { UsageError } from './usage-error.js';

/** How often the progress line is redrawn on a terminal. */
const progressIntervalMs = 500;

export function register(program: Command): void {
  program
    .command('test')
    .description(commandSummary.test)
    .addOption(new Option('--workload <name>', `workload: ${workloadNames.join(', ')}`).default('register'))
    .option('--time-limit <duration>', 'how long the main phase runs (30s, 2m)', '30s')
    .option('--concurrency <n>', 'client processes (closed loop) or operations outstanding at most (open loop)', '8')
    .option('--seed <n>', 'seed of every random choice (default: derived from the clock; recorded in test.json)')
    .option('--keys <n>', 'keys (registers, lists or sets) the workload spreads over')
    .option('--rate <ops>', 'open loop: invocations per second (default: closed loop)')
    .option('--ops-limit <n>', 'stop the main phase after this many operations')
    .option('--bug <name...>', `deliberate store bug(s) to enable: ${bugNames.join(', ')}`)
    .option('--pgs <n>', 'protection groups')
    .option('--cache <on|off>', "the writer's cache")
    .option('--nemesis <names>', 'faults, fault families or all, comma-separated (listed below)', 'none')
    .option('--nemesis-interval <duration>', 'time between faults, and how long each lasts', nemesisIntervalDefault)
    .option(
      '--nemesis-schedule <schedule>',
      'fixed (every interval, in list order), random (from the seed; with all: scenarios and overlapping faults) or a schedule file (JSON steps or lanes; a run writes its own as schedule.json)',
      'random',
    )
    .option(
      '--standby-writers <n>',
      'standby writers besides w0; a killed primary fails over to one (default 0; 1 with --nemesis all, so failovers and recoveries happen in every run)',
    )
    .option(
      '--runtime <name>',
      'local (node processes), docker (containers; needs a Docker engine and root for packet drops), or memory (the in-process store, to check the workbench itself)',
      'local',
    )
    .option(
      '--docker-image <tag>',
      'docker runtime: the node image to run (default: the offline image, built from this project when missing)',
    )
    .option('--docker-subnet <cidr>', "docker runtime: the run network's subnet (default: a free /24 of 10.213.0.0/16)")
    .option('--store <dir>', 'run store directory', 'store')
    .option('--config <file>', 'cluster config file (JSON: geometry, bugs, writer, storage)')
    .option('--name <name>', 'test name in the run store (default: <workload>-<nemesis>)')
    .option('--op-timeout <duration>', 'client timeout of one operation', '5s')
    .option(
      '--liveness-timeout <duration>',
      'after the heal: how long the writes, the wait for replicas to catch up and the wait for repairs may each take',
      livenessTimeoutDefault,
    )
    .addOption(
      new Option(
        '--liveness-keep-stopped <node>',
        "the workbench's own tests: stop this storage node after the heal",
      ).hideHelp(),
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `\nNemeses (--nemesis):\n  none: no faults\n${faultCatalogText().replace(/^/gm, '  ')}\n\nSchedule files (--nemesis-schedule):\n${scheduleFileHelp.replace(/^/gm, '  ')}\n`,
    )
    .action(async (flags: TestFlags & { config?: string }) => {
      const clock = clockCreate();
      const options = optionsFrom(flags, clock, await runtimeFaultsUnavailable(flags.runtime));
      const code = await testCommand(options, clock);
      // Everything is written and every node is stopped. Leave now rather than
      // through Node's handle teardown, which was seen (about 1 run in 25) to
      // spin without end after a run with killed and restarted children; a
      // campaign or CI job would wait on it. Stdout and stderr are synchronous
      // for files and pipes on Linux, so nothing printed is lost.
      process.exit(code);
    });
}

function optionsFrom(
  flags: TestFlags & { config?: string },
  clock: Clock,
  faultsUnavailable: ReadonlyMap<string, string>,
): TestOptions {
  let configFile: { path: string; text: string } | null = null;
  if (flags.config !== undefined) {
    try {
      configFile = { path: flags.config, text: readFileSync(flags.config, 'utf8') };
    } catch (error) {
      throw new UsageError(`--config: cannot read "${flags.config}": ${(error as Error).message}`);
    }
  }
  const sources = {
    seedDefault: stringHash32(`${clock.wallIso()}/${process.pid}`),
    configFile,
    scheduleFile: scheduleFileRead(flags.nemesisSchedule),
    faultsUnavailable,
  };
  const parsed = testOptionsParse(flags, sources);
  if (!parsed.ok) throw new UsageError(parsed.error);
  const store = storeDirPrepare(parsed.options.storeDir, '--store');
  if (!store.ok) throw new UsageError(store.error);
  const entries = storeEntriesCheck(parsed.options.storeDir, parsed.options.name);
  if (!entries.ok) throw new UsageError(entries.error);
  return parsed.options;
}

/** A --nemesis-schedule that is not a schedule kind names a file. */
function scheduleFileRead(schedule: string | undefined): { path: string; text: string } | null {
  if (schedule === undefined || (scheduleKinds as readonly string[]).includes(schedule)) return null;
  try {
    return { path: schedule, text: readFileSync(schedule, 'utf8') };
  } catch (error) {
    throw new UsageError(`--nemesis-schedule: cannot read "${schedule}": ${(error as Error).message}`);
  }
}

async function testCommand(options: TestOptions, clock: Clock): Promise<number> {
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) {
      process.stderr.write(`quorumlab: second ${signal}; exiting now\n`);
      process.exit(exitCode.crashed);
    }
    process.stderr.write(
      `quorumlab: ${signal}: stopping the clients, healing, stopping the cluster (again to exit now)\n`,
    );
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const unavailable = nemesisUnavailableText(options.nemesisUnavailable);
  if (unavailable !== null) process.stderr.write(`quorumlab: ${unavailable}\n`);
  const progress = new RunProgress(clock);
  const ticker =
    process.stderr.isTTY && !options.json
      ? setInterval(() => process.stderr.write(`\r\x1b[K${progress.line()}`), progressIntervalMs)
      : null;
  try {
    const outcome = await testRun(options, { clock, argv: process.argv, signal: interrupt.signal, progress });
    if (ticker !== null) process.stderr.write('\r\x1b[K');
    process.stdout.write(options.json ? summaryJson(outcome) : summaryText(outcome));
    return outcome.exitCode;
  } finally {
    if (ticker !== null) clearInterval(ticker);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
