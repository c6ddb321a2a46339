// The thin effects around renderReport: read a run directory's stored files (or
// take the history the runner already holds), load chart.js from the installed
// package, and write report.html atomically. Operating errors (no such run, an
// unreadable history) are returned as values with the file named.

import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HistoryEvent } from '../../core/history.js';
import { jsonlHistoryParse } from '../formats/jsonl-history.js';
import { problemText } from '../formats/format-problem.js';
import { runFiles } from '../run-store.js';
import { runResultsD } from '../schema/results-file.js';
import { storedFileRead } from '../schema/stored-file.js';
import { testFileD } from '../schema/test-file.js';
import { latencyHdrProblem } from './latency-file-check.js';
import { renderReport } from './render-report.js';
import { reportRunFrom } from './report-run.js';

export const reportFile = 'report.html';

export type ReportWrite =
  | {
      readonly ok: true;
      readonly path: string;
      readonly bytes: number;
      /** Problems of the run's other files that did not stop the report (a damaged latency.hdr). */
      readonly warnings: readonly string[];
    }
  | { readonly ok: false; readonly error: string };

let chartJsCache: string | null = null;

/** chart.js's UMD build from node_modules: the package exports only its module builds, so the file is found beside them. */
export function chartJsSource(): string {
  if (chartJsCache === null) {
    const main = createRequire(import.meta.url).resolve('chart.js');
    chartJsCache = readFileSync(path.join(path.dirname(main), 'chart.umd.min.js'), 'utf8');
  }
  return chartJsCache;
}

/** Rebuilds report.html of a run directory from test.json, results.json and history.jsonl. */
export async function reportRebuild(runDir: string): Promise<ReportWrite> {
  const testPath = path.join(runDir, runFiles.test);
  if (!existsSync(testPath)) return { ok: false, error: `${runDir}: not a run directory (no ${runFiles.test})` };
  const historyPath = path.join(runDir, runFiles.history);
  if (!existsSync(historyPath)) return { ok: false, error: `${historyPath}: missing; the report needs the history` };
  const parsed = jsonlHistoryParse(await readFile(historyPath, 'utf8'));
  if (!parsed.ok) return { ok: false, error: problemText(historyPath, parsed.error) };
  return reportWriteWith(runDir, parsed.events);
}

/** The report names latency.hdr as the home of the encoded histograms: a damaged one is said. */
function latencyWarnings(runDir: string): readonly string[] {
  const file = path.join(runDir, runFiles.latency);
  if (!existsSync(file)) return [];
  const problem = latencyHdrProblem(readFileSync(file, 'utf8'));
  return problem === null ? [] : [`${file}: ${problem}; the report's latency tables come from results.json`];
}

/** Writes report.html for a run whose history is in memory (the runner's case); test.json and results.json are read from the directory. */
export function reportWriteWith(runDir: string, history: readonly HistoryEvent[]): ReportWrite {
  const test = storedFileRead(path.join(runDir, runFiles.test), testFileD);
  if (!test.ok) return test;
  const resultsPath = path.join(runDir, runFiles.results);
  const results = existsSync(resultsPath) ? storedFileRead(resultsPath, runResultsD) : null;
  if (results !== null && !results.ok) return results;
  const run = reportRunFrom(test.value, results?.value ?? null, history, test.raw);
  const html = renderReport(run, { chartJs: chartJsSource() });
  const target = path.join(runDir, reportFile);
  writeFileSync(`${target}.tmp`, html);
  renameSync(`${target}.tmp`, target);
  return { ok: true, path: target, bytes: Buffer.byteLength(html), warnings: latencyWarnings(runDir) };
}
