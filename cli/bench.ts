// `quorumlab bench`: YCSB-style mixes against one or more targets, closed loop
// at client levels, open loop at a rate, or a sweep to saturation; a run
// directory with bench.json, latency.hdr and report.html. Flags are parsed by
// bench/mode/bench-options; this module is the commander glue, the signals and
// the progress line. Exit codes: 0 done, 1 a figure regressed past --regression
// against --baseline, 3 bad usage, 4 the run crashed.

import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { commandSummary } from './command-summary.js';
import { bugNames } from '../cluster/config.js';
import { clockCreate, type Clock } from '../core/clock.js';
import { stringHash32 } from '../core/prng.js';
import { exitCode } from '../core/verdict.js';
import { benchOptionsParse, type BenchFlags, type BenchOptions } from '../bench/mode/bench-options.js';
import { BaselineError, benchRun } from '../bench/mode/bench-run.js';
import { benchText } from '../bench/mode/bench-text.js';
import type { BenchProgress } from '../bench/mode/target-bench.js';
import { benchMixes } from '../bench/mode/mix.js';
import { storeDirPrepare } from '../results/store-dir.js';
import { runtimeFaultsUnavailable } from '../runner/runtime-needs.js';
import { nemesisIntervalDefault } from '../runner/test-options.js';
import { UsageError } from './usage-error.js';

/** How often the progress line is redrawn on a terminal. */
const progressIntervalMs = 500;

export function register(program: Command): void {
  program
    .command('bench')
    .description(commandSummary.bench)
    .option(
      '--mix <mix>',
      `${Object.keys(benchMixes).join(', ')} (YCSB; W: write only) or weights like read=50,write=30,cas=10,append=10`,
      'A',
    )
    .option(
      '--distribution <name>',
      "key distribution: uniform, zipfian or latest (default: the mix's, D: latest, custom: uniform)",
    )
    .option('--zipf-constant <c>', 'zipfian skew, above 0 and below 1', '0.99')
    .option('--record-count <n>', 'records written before the first point', '1000')
    .option('--keys <n>', 'keys the operations draw from (default: the record count)')
    .option('--value-size <bytes>', 'bytes of every written value', '100')
    .option('--clients <list>', 'closed loop: client counts, one point each (16 or 1,16,64)')
    .option('--rate <ops>', 'open loop: operations per second, latency from the intended start')
    .option('--slots <n>', 'open loop: operations outstanding at most', '128')
    .option(
      '--sweep',
      'open loop: raise the rate step by step until the p99 crosses --p99-max or goodput stops growing',
    )
    .option('--sweep-from <ops>', 'sweep: first rate (default 200)')
    .option('--sweep-factor <x>', 'sweep: each step multiplies the rate by this (default 1.5)')
    .option('--sweep-to <ops>', 'sweep: highest rate (default 100000)')
    .option('--sweep-steps <n>', 'sweep: most steps (default 15)')
    .option('--p99-max <duration>', 'sweep: the p99 bound (default 100ms)')
    .option('--growth-min <percent>', 'sweep: least goodput gain of a step over the best before it (default 5%)')
    .option('--time-limit <duration>', 'how long each point (each step, each repeat) runs', '10s')
    .option('--warmup <duration>', 'load before the first point, not measured', '1s')
    .option('--repeat <n>', 'runs of every point; figures are the medians, with their spread', '1')
    .option('--baseline <run-dir>', 'compare with a stored bench run (its bench.json)')
    .option('--regression <percent>', 'with --baseline: a figure worse by more than this exits 1', '10%')
    .option('--target <list>', 'targets, comma-separated, benched one after another (two: with ratios)', 'quorumlab')
    .option('--check', 'check the results for correctness (not built yet: refused)')
    .option('--seed <n>', 'seed of every random choice (default: derived from the clock)')
    .option('--runtime <name>', 'local or docker', 'local')
    .option('--pgs <n>', 'protection groups')
    .option('--cache <on|off>', "the writer's cache")
    .option('--bug <name...>', `deliberate store bug(s) to enable: ${bugNames.join(', ')}`)
    .option('--nemesis <names>', 'faults beside every point (as quorumlab test takes them)', 'none')
    .option('--nemesis-interval <duration>', 'time between faults, and how long each lasts', nemesisIntervalDefault)
    .option('--nemesis-schedule <schedule>', 'fixed, random or a schedule file', 'random')
    .option('--standby-writers <n>', 'standby writers besides w0')
    .option('--docker-image <tag>', 'docker runtime: the node image')
    .option('--docker-subnet <cidr>', "docker runtime: the run network's subnet")
    .option('--store <dir>', 'run store directory', 'store')
    .option('--config <file>', 'cluster config file (JSON: geometry, bugs, writer, storage)')
    .option('--name <name>', 'name in the run store (default: bench-<mix>)')
    .option('--op-timeout <duration>', 'client timeout of one operation', '5s')
    .option('--json', 'print bench.json instead of the table')
    .addHelpText(
      'after',
      '\nExit codes: 0 done, 1 a figure regressed against --baseline by more than --regression, 3 bad usage, 4 the run crashed.\n',
    )
    .action(async (flags: BenchFlags & { config?: string }) => {
      const clock = clockCreate();
      const options = optionsFrom(flags, clock, await runtimeFaultsUnavailable(flags.runtime));
      const code = await benchCommand(options, clock);
      // As `quorumlab test`: everything is written and every node stopped, so leave now.
      process.exit(code);
    });
}

function optionsFrom(
  flags: BenchFlags & { config?: string },
  clock: Clock,
  faultsUnavailable: ReadonlyMap<string, string>,
): BenchOptions {
  const read = (flag: string, file: string): { path: string; text: string } => {
    try {
      return { path: file, text: readFileSync(file, 'utf8') };
    } catch (error) {
      throw new UsageError(`${flag}: cannot read "${file}": ${(error as Error).message}`);
    }
  };
  const schedule = flags.nemesisSchedule;
  const parsed = benchOptionsParse(flags, {
    seedDefault: stringHash32(`${clock.wallIso()}/${process.pid}`),
    configFile: flags.config === undefined ? null : read('--config', flags.config),
    scheduleFile:
      schedule === undefined || ['fixed', 'random'].includes(schedule) ? null : read('--nemesis-schedule', schedule),
    faultsUnavailable,
  });
  if (!parsed.ok) throw new UsageError(parsed.error);
  const store = storeDirPrepare(parsed.options.targets[0]!.options.storeDir, '--store');
  if (!store.ok) throw new UsageError(store.error);
  return parsed.options;
}

async function benchCommand(options: BenchOptions, clock: Clock): Promise<number> {
  const interrupt = new AbortController();
  const onSignal = (signal: NodeJS.Signals): void => {
    if (interrupt.signal.aborted) process.exit(exitCode.crashed);
    process.stderr.write(`quorumlab: ${signal}: ending the point, stopping the cluster (again to exit now)\n`);
    interrupt.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const progress: BenchProgress = { target: '', point: 'starting', counts: null };
  const startMs = clock.nowMs();
  const line = (): string => {
    const c = progress.counts;
    const ops = c === null ? '' : ` ${c.invoked} ops (ok ${c.ok}, fail ${c.fail}, info ${c.info})`;
    return `${((clock.nowMs() - startMs) / 1000).toFixed(1)}s ${progress.target} ${progress.point}${ops}`;
  };
  const ticker =
    process.stderr.isTTY && !options.json
      ? setInterval(() => process.stderr.write(`\r\x1b[K${line()}`), progressIntervalMs)
      : null;
  const say = (text: string): void => {
    process.stderr.write(`${ticker === null ? '' : '\r\x1b[K'}quorumlab: ${text}\n`);
  };
  try {
    const outcome = await benchRun(options, { clock, argv: process.argv, signal: interrupt.signal, progress, say });
    if (ticker !== null) process.stderr.write('\r\x1b[K');
    process.stdout.write(
      options.json ? `${JSON.stringify(outcome.file, null, 2)}\n` : benchText(outcome.file, outcome.run.path),
    );
    if (outcome.crash !== null) process.stderr.write(`quorumlab: the bench crashed: ${outcome.crash}\n`);
    return outcome.exitCode;
  } catch (error) {
    if (error instanceof BaselineError) throw new UsageError(error.message);
    throw error;
  } finally {
    if (ticker !== null) clearInterval(ticker);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
