// Benchmark of the linearizability checker: check time, states explored and
// peak memory for every conformance history (with its expected verdict), for
// generated register histories of 10k and 100k operations, and for generated
// append histories of 100k operations (the list-order check); then the times
// a user meets: one fresh `quorumlab check` process per file (fresh-check.ts),
// and command start-up (startup.ts; alone with --startup).
// Run: npm run bench:checker. Each generated history is checked in a child
// process so its peak RSS is its own.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { clockCreate } from '../core/clock.js';
import { checkLinearizable, checkLinearizableParallel, modelByName } from '../checkers/linearizable/index.js';
import { listHistoryGenerate } from '../checkers/linearizable/list-history-generate.js';
import { registerHistoryGenerate } from '../checkers/linearizable/register-history-generate.js';
import { historyFileRead } from '../results/formats/index.js';
import { freshCheckBench } from './fresh-check.js';
import { startupBench } from './startup.js';

const options = { timeoutMs: 60_000, memoryBytesMax: 1024 * 1024 * 1024 };
/** Runs per conformance file; the fastest is reported (later runs have warm code). */
const runsPerFile = 3;
/** A file slower than this is run once. */
const repeatBelowMs = 1000;
const generatedSizes = [10_000, 100_000] as const;
/** Append histories: one read in twenty, and one in four as the append workload issues them. */
const appendReadProbabilities = [0.05, 0.25] as const;
const appendOperations = 100_000;
const generatedSeed = 1;
/** A generated case's child process is killed after this long. */
const childTimeoutMs = 120_000;

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const mib = (bytes: number): string => (bytes / 1048576).toFixed(0);
const peakRssBytes = (): number => process.resourceUsage().maxRSS * 1024;

async function main(): Promise<number> {
  const generated = process.argv.indexOf('--generated');
  if (generated >= 0) return generatedCase(Number(process.argv[generated + 1]), Number(process.argv[generated + 2]));
  const appended = process.argv.indexOf('--generated-append');
  if (appended >= 0) return generatedAppendCase(Number(process.argv[appended + 1]));
  console.log(`cores: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`);
  // --fresh: only the fresh-process figures.
  if (process.argv.includes('--fresh')) {
    await freshCheckBench(conformanceDirFind());
    return 0;
  }
  // --startup: only the command start-up figures.
  if (process.argv.includes('--startup')) {
    await startupBench();
    return 0;
  }
  const mismatches = await conformanceBench();
  generatedBench();
  generatedAppendBench();
  await freshCheckBench(conformanceDirFind());
  await startupBench();
  return mismatches === 0 ? 0 : 1;
}

async function conformanceBench(): Promise<number> {
  const dir = conformanceDirFind();
  if (!existsSync(dir)) {
    console.log(`conformance: ${dir} not found (set QUORUMLAB_CONFORMANCE_DIR); skipped`);
    return 0;
  }
  console.log(`\nconformance histories in ${dir} (time: fastest of ${runsPerFile}; rss: process peak so far)`);
  console.log(
    row(['file', 'model', 'expected', 'verdict', 'ops', 'states', 'ms', 'rss MiB', 'verdict ms', 'evidence ms']),
  );
  let mismatches = 0;
  for (const sub of ['porcupine', 'knossos']) {
    const tsv = join(dir, sub, 'VERDICTS.tsv');
    if (!existsSync(tsv)) continue;
    for (const line of readFileSync(tsv, 'utf8').trim().split('\n').slice(1)) {
      const [file = '', model = '', expected = ''] = line.split('\t');
      if (!(await conformanceFile(join(dir, sub), file, model, expected))) mismatches++;
    }
  }
  console.log(`mismatched verdicts: ${mismatches}`);
  return mismatches;
}

function conformanceDirFind(): string {
  return process.env['QUORUMLAB_CONFORMANCE_DIR'] ?? resolve(repoRoot, '../shared/conformance');
}

async function conformanceFile(dir: string, file: string, modelName: string, expected: string): Promise<boolean> {
  const read = await historyFileRead(join(dir, file));
  const model = modelByName(modelName);
  if (!read.ok || model === undefined) {
    console.log(row([file, modelName, expected, read.ok ? 'unknown model' : read.error, '', '', '', '']));
    return false;
  }
  const clock = clockCreate();
  let bestMs = Infinity;
  let result = null;
  for (let run = 0; run < runsPerFile && (run === 0 || bestMs < repeatBelowMs); run++) {
    const startMs = clock.nowMs();
    result = checkLinearizable(model, read.events, options);
    bestMs = Math.min(bestMs, clock.nowMs() - startMs);
  }
  const verdict = result?.verdict ?? 'unknown';
  const ok = (expected === 'linearizable' ? 'valid' : 'invalid') === verdict;
  const cells = [
    file,
    modelName,
    expected,
    ok ? verdict : `${verdict} MISMATCH`,
    String(result?.operations),
    String(result?.statesExplored),
  ];
  const phases = [result?.verdictMs.toFixed(2) ?? '', result?.evidenceMs.toFixed(2) ?? ''];
  console.log(row([...cells, bestMs.toFixed(2), mib(peakRssBytes()), ...phases]));
  return ok;
}

function generatedBench(): void {
  console.log('\ngenerated register histories (10 keys, 16 processes, 2% info, etcd-register; one child process each)');
  console.log(row(['operations', 'verdict', 'partitions', 'states', 'check ms', 'peak rss MiB', 'threads', '']));
  const script = fileURLToPath(import.meta.url);
  for (const [size, threads] of generatedSizes.flatMap((size) => [1, availableParallelism()].map((t) => [size, t]))) {
    const output = execFileSync(process.execPath, [script, '--generated', String(size), String(threads)], {
      encoding: 'utf8',
      timeout: childTimeoutMs,
    });
    const figures = JSON.parse(output) as {
      threads: number;
      verdict: string;
      partitions: number;
      states: number;
      ms: number;
      rssBytes: number;
    };
    console.log(
      row([
        String(size),
        figures.verdict,
        String(figures.partitions),
        String(figures.states),
        figures.ms.toFixed(0),
        mib(figures.rssBytes),
        String(figures.threads),
        '',
      ]),
    );
  }
}

function generatedAppendBench(): void {
  console.log(
    `\ngenerated append histories (${appendOperations} operations, 10 keys, 16 processes, 2% info, list-append; one child process each)`,
  );
  console.log(row(['reads', 'verdict', 'longest list', 'method', 'check ms', 'peak rss MiB', '', '']));
  const script = fileURLToPath(import.meta.url);
  for (const reads of appendReadProbabilities) {
    const output = execFileSync(process.execPath, [script, '--generated-append', String(reads)], {
      encoding: 'utf8',
      timeout: childTimeoutMs,
    });
    const figures = JSON.parse(output) as {
      verdict: string;
      longest: number;
      method: string;
      ms: number;
      rssBytes: number;
    };
    const cells = [
      `${reads * 100}%`,
      figures.verdict,
      String(figures.longest),
      figures.method,
      figures.ms.toFixed(0),
      mib(figures.rssBytes),
    ];
    console.log(row([...cells, '', '']));
  }
}

/** Peak RSS includes the history itself: every read holds a whole list. */
function generatedAppendCase(readProbability: number): number {
  const history = listHistoryGenerate({
    operations: appendOperations,
    keys: 10,
    processes: 16,
    infoProbability: 0.02,
    readProbability,
    seed: generatedSeed,
  });
  const longest = history.reduce(
    (most, event) => (Array.isArray(event.value) ? Math.max(most, event.value.length) : most),
    0,
  );
  const clock = clockCreate();
  const startMs = clock.nowMs();
  const result = checkLinearizable(modelByName('list-append')!, history, options);
  const ms = clock.nowMs() - startMs;
  const partitions = (result.details as { partitions: { method: string }[] }).partitions;
  const method = [...new Set(partitions.map((partition) => partition.method))].join('+');
  console.log(JSON.stringify({ verdict: result.verdict, longest, method, ms, rssBytes: peakRssBytes() }));
  return result.verdict === 'valid' ? 0 : 1;
}

async function generatedCase(operations: number, threads: number): Promise<number> {
  const history = registerHistoryGenerate({
    operations,
    keys: 10,
    processes: 16,
    infoProbability: 0.02,
    seed: generatedSeed,
  });
  const clock = clockCreate();
  const startMs = clock.nowMs();
  const result = await checkLinearizableParallel(modelByName('etcd-register')!, history, { ...options, threads });
  const ms = clock.nowMs() - startMs;
  console.log(
    JSON.stringify({
      threads: result.threads,
      verdict: result.verdict,
      partitions: result.partitions,
      states: result.statesExplored,
      ms,
      rssBytes: peakRssBytes(),
    }),
  );
  return result.verdict === 'valid' ? 0 : 1;
}

function row(cells: readonly string[]): string {
  const widths = [44, 15, 17, 10, 7, 10, 10, 8, 11, 11];
  return cells
    .map((cell, i) => cell.padEnd(widths[i] ?? 8))
    .join(' ')
    .trimEnd();
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error);
    process.exitCode = 4;
  },
);
