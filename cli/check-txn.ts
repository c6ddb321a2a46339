// `quorumlab check FILE --model txn-append --consistency TOKEN`: reads a
// list-append history (EDN or history.jsonl), runs the transactional checker
// and exits 0 valid, 1 invalid, 2 unknown, 3 bad input. The check command
// hands over here when the model is txn-append.

import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { clockCreate } from '../core/clock.js';
import { verdictExitCode } from '../core/verdict.js';
import { checkScopeParse } from '../checkers/txn/check-scope.js';
import { txnCheckDefaults, txnCheckGuarded } from '../checkers/txn/txn-check.js';
import { txnCheckJson, txnCheckRender } from '../checkers/txn/txn-check-render.js';
import { txnHistoryRead, type TxnHistoryFormat } from '../checkers/txn/txn-history-read.js';
import { historyFileBytesMax } from '../results/formats/history-file.js';
import { txnModelName } from './check-txn-model.js';
import { UsageError } from './usage-error.js';

export interface TxnCheckFlags {
  readonly consistency: string;
  readonly format?: string;
  readonly timeoutMs: number;
  readonly json: boolean;
}

export async function txnCheckAction(file: string, flags: TxnCheckFlags): Promise<void> {
  const scope = checkScopeParse(flags.consistency);
  if (!scope.ok) throw new UsageError(`--consistency: ${scope.error}`);
  const located = await historyLocate(file);
  const format = txnFormat(located, flags.format);
  const read = txnHistoryRead(await readFile(located, 'utf8'), format);
  if (!read.ok) throw new UsageError(`${located}: ${read.error}`);
  const result = txnCheckGuarded(read.history, {
    ...txnCheckDefaults,
    timeoutMs: flags.timeoutMs,
    scope: scope.scope,
    clock: clockCreate(),
  });
  const report = { file: located, consistency: flags.consistency, result, eventsDropped: read.history.eventsDropped };
  process.stdout.write(flags.json ? `${JSON.stringify(txnCheckJson(report), null, 2)}\n` : txnCheckRender(report));
  process.exitCode = verdictExitCode(result.verdict);
}

function txnFormat(file: string, format: string | undefined): TxnHistoryFormat {
  if (format === 'edn' || format === 'jsonl') return format;
  if (format !== undefined)
    throw new UsageError(`--format: --model ${txnModelName} reads edn or jsonl, got "${format}"`);
  if (/\.jsonl$/i.test(file)) return 'jsonl';
  if (/\.(edn|txt)$/i.test(file)) return 'edn';
  throw new UsageError(`${file}: cannot tell the format from the name; use --format edn or --format jsonl`);
}

/** The file, or the history.jsonl of a run directory; missing and oversized files are usage errors. */
async function historyLocate(file: string): Promise<string> {
  const info = await stat(file).catch(() => null);
  if (info === null) throw new UsageError(`${file}: no such file`);
  const located = info.isDirectory() ? path.join(file, 'history.jsonl') : file;
  const size = info.isDirectory() ? ((await stat(located).catch(() => null))?.size ?? null) : info.size;
  if (size === null) throw new UsageError(`${file}: a directory without a history.jsonl`);
  if (size > historyFileBytesMax) throw new UsageError(`${located}: ${size} bytes, more than ${historyFileBytesMax}`);
  return located;
}
