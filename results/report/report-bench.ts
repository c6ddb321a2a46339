// Benchmark of the report on a big run: builds a synthetic history (1 million
// operations by default), runs the availability and latency checkers over it,
// renders the page, and prints its size and the time to render it; with
// Chromium installed, also the time the page takes to draw in a browser.
// Usage: node dist/results/report/report-bench.js [ops]

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { availabilityChecker } from '../../checkers/availability.js';
import type { CheckContext } from '../../checkers/checker.js';
import { latencyChecker } from '../../checkers/latency.js';
import { clockCreate } from '../../core/clock.js';
import type { RunResults } from '../schema/results-file.js';
import { storedFormat } from '../schema/stored-file.js';
import type { TestFile } from '../schema/test-file.js';
import { versionsRead } from '../versions.js';
import { bigHistory } from './big-history.js';
import { renderReport } from './render-report.js';
import { chartJsSource } from './report-write.js';
import { reportRunFrom } from './report-run.js';
import { reportOpen } from './report-browser.js';

const context: CheckContext = {
  workload: 'register',
  model: null,
  timeoutMs: 60_000,
  memoryBytesMax: 1 << 30,
  openLoop: false,
  intervalNs: null,
};
/** The size the report must stay under for a million operations. */
const bytesBudget = 10 * 1024 * 1024;

const ops = Number(process.argv[2] ?? 1_000_000);
const clock = clockCreate();
let mark = clock.nowMs();
const lap = (): string => {
  const now = clock.nowMs();
  const text = `${((now - mark) / 1000).toFixed(2)} s`;
  mark = now;
  return text;
};

const history = bigHistory({ ops, processes: 32, seed: 1, faultEveryS: 6 });
process.stdout.write(
  `history: ${ops} ops, ${history.length} events, ${(history[history.length - 1]!.time / 1e9).toFixed(0)} s of run (${lap()})\n`,
);
const checkers = [availabilityChecker, latencyChecker].map((checker) => checker.check(history, context));
process.stdout.write(`checkers: ${lap()}\n`);
const test: TestFile = {
  format: storedFormat,
  name: 'report-bench',
  runId: 'report-bench',
  seed: 1,
  startedAt: clock.wallIso(),
  commandLine: process.argv,
  versions: versionsRead(),
  host: { platform: process.platform, arch: process.arch, cpus: 1 },
  options: {
    name: 'report-bench',
    workload: 'register',
    runtime: 'memory',
    nemesis: ['partition'],
    timeLimitMs: history[history.length - 1]!.time / 1e6,
    concurrency: 32,
    rate: null,
    seed: 1,
    cluster: { bugs: [] },
  },
};
const results: RunResults = {
  format: storedFormat,
  verdict: 'valid',
  checkersVerdict: 'valid',
  exitCode: 0,
  seed: 1,
  workload: 'register',
  nemesis: ['partition'],
  nemesisUnavailable: [],
  faults: [],
  crash: null,
  aborted: false,
  counts: { invoked: ops, ok: 0, fail: 0, info: 0, late: 0 },
  events: history.length,
  recovery: null,
  finalReadsMissing: [],
  nodeLogs: { copied: [], missing: [] },
  checkers,
};
const html = renderReport(reportRunFrom(test, results, history), { chartJs: chartJsSource() });
const bytes = Buffer.byteLength(html);
process.stdout.write(
  `render: ${lap()}, ${(bytes / 1024 / 1024).toFixed(2)} MiB (${bytes <= bytesBudget ? 'under' : 'OVER'} the 10 MiB budget)\n`,
);

const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-report-bench-'));
try {
  const file = path.join(dir, 'report.html');
  writeFileSync(file, html);
  const opened = await reportOpen(file, { width: 1366, height: 768 });
  process.stdout.write(
    opened.ok
      ? `browser: drawn in ${(opened.drawnMs / 1000).toFixed(2)} s, ${opened.errors.length} console errors\n`
      : `browser: skipped (${opened.error})\n`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exitCode = bytes <= bytesBudget ? 0 : 1;
