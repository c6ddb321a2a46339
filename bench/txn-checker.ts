// Benchmark of the list-append transactional checker: generated histories of
// 10k and 100k transactions (10 processes, 1 to 4 micro-ops each, some info and
// fail) from a strict-serializable simulation, written as history.jsonl text,
// then read and checked under strict-serializable. Run: npm run bench:txn
// (--sizes 10000,100000,1000000 to choose). Each size runs in a child process
// so its peak RSS is its own.

import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { clockCreate } from '../core/clock.js';
import { checkScopeParse } from '../checkers/txn/check-scope.js';
import { txnCheck, txnCheckDefaults } from '../checkers/txn/txn-check.js';
import { txnHistoryDefaults, txnHistoryGenerate } from '../checkers/txn/txn-history-generate.js';
import { txnHistoryRead } from '../checkers/txn/txn-history-read.js';

const sizesDefault = [10_000, 100_000] as const;
const seed = 1;
const consistency = 'strict-serializable';
/** A size's child process is killed after this long. */
const childTimeoutMs = 600_000;

const mib = (bytes: number): string => (bytes / 1048576).toFixed(0);
const peakRssBytes = (): number => process.resourceUsage().maxRSS * 1024;

function main(): number {
  const child = process.argv.indexOf('--size');
  if (child >= 0) return sizeCase(Number(process.argv[child + 1]));
  const sizesFlag = process.argv.indexOf('--sizes');
  const sizes = sizesFlag >= 0 ? (process.argv[sizesFlag + 1] ?? '').split(',').map(Number) : [...sizesDefault];
  if (sizes.some((size) => !Number.isSafeInteger(size) || size <= 0)) {
    console.error(`--sizes: expected positive integers separated by commas, got "${process.argv[sizesFlag + 1]}"`);
    return 3;
  }
  console.log(`cores: ${availableParallelism()} (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`);
  console.log(
    `generated list-append histories, seed ${seed}, checked under ${consistency}; the check runs on one core`,
  );
  console.log(row(['txns', 'events', 'read ms', 'check ms', 'txns/s (check)', 'edges', 'verdict', 'peak rss MiB']));
  for (const size of sizes) {
    const output = execFileSync(process.execPath, [fileURLToPath(import.meta.url), '--size', String(size)], {
      encoding: 'utf8',
      timeout: childTimeoutMs,
      maxBuffer: 1024 * 1024,
    });
    process.stdout.write(output);
  }
  return 0;
}

function sizeCase(size: number): number {
  const records = txnHistoryGenerate({ ...txnHistoryDefaults, txns: size, seed });
  let text = '';
  for (const record of records) text += JSON.stringify(record) + '\n';
  const events = records.length;
  // Only the text goes on: the generator's records would otherwise count in the check's peak memory.
  records.length = 0;
  const clock = clockCreate();
  const readStartMs = clock.nowMs();
  const read = txnHistoryRead(text, 'jsonl');
  if (!read.ok) throw new Error(read.error);
  const readMs = clock.nowMs() - readStartMs;
  text = '';
  const scope = checkScopeParse(consistency);
  if (!scope.ok) throw new Error(scope.error);
  const result = txnCheck(read.history, { ...txnCheckDefaults, scope: scope.scope, clock });
  const checkMs = result.figures.elapsedMs;
  console.log(
    row([
      String(size),
      String(events),
      readMs.toFixed(0),
      checkMs.toFixed(0),
      ((size / checkMs) * 1000).toFixed(0),
      String(result.figures.edges),
      result.verdict,
      mib(peakRssBytes()),
    ]),
  );
  return result.verdict === 'valid' ? 0 : 1;
}

function row(cells: readonly string[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(9) : cell.padStart(15))).join('');
}

process.exitCode = main();
