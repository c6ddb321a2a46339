// The checker's times as a user meets them: one fresh `node dist/cli/main.js
// check FILE` process per run, the time the command reports (cold code, as a
// user never runs warm), with and without the evidence. With
// QUORUMLAB_BASELINE_CLI naming another build's dist/cli/main.js, that build
// runs side by side, alternating with this one, and the ratio is printed: the
// machine is shared, so only figures taken in one run compare.

import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Fresh processes per file and build; the median is reported. */
const runsPerFile = 5;
/** One `check` process is killed after this long. */
const checkTimeoutMs = 120_000;
/** The files the figures to beat were taken on (those held back from this copy are skipped). */
const files = [
  ['porcupine/jepsen-etcd/etcd_002.log', 'etcd-register'],
  ['porcupine/jepsen-etcd/etcd_007.log', 'etcd-register'],
  ['porcupine/jepsen-etcd/etcd_040.log', 'etcd-register'],
  ['porcupine/jepsen-etcd/etcd_057.log', 'etcd-register'],
  ['porcupine/jepsen-etcd/etcd_097.log', 'etcd-register'],
  ['porcupine/jepsen-etcd/etcd_099.log', 'etcd-register'],
  ['porcupine/kv/c10-ok.txt', 'kv-append'],
  ['porcupine/kv/c50-ok.txt', 'kv-append'],
  ['porcupine/kv/c50-bad.txt', 'kv-append'],
] as const;

const cliMain = fileURLToPath(new URL('../cli/main.js', import.meta.url));

interface Reported {
  readonly totalMs: number;
  /** null for a build whose output has no verdict time (older ones). */
  readonly verdictMs: number | null;
  readonly states: number;
}

export async function freshCheckBench(conformanceDir: string): Promise<void> {
  const baseline = process.env['QUORUMLAB_BASELINE_CLI'];
  console.log(
    `\nfresh check processes (median of ${runsPerFile}, the time the command reports${baseline === undefined ? '' : `; baseline ${baseline}`})`,
  );
  const head = ['file', 'states', 'ms', 'verdict ms', '--no-evidence ms'];
  console.log(cells(baseline === undefined ? head : [...head, 'baseline states', 'baseline ms', 'ratio']));
  for (const [file, model] of files) {
    const path = join(conformanceDir, file);
    if (!existsSync(path)) continue;
    const ours: Reported[] = [];
    const bare: Reported[] = [];
    const theirs: Reported[] = [];
    for (let run = 0; run < runsPerFile; run++) {
      ours.push(await checkReported(cliMain, path, model, []));
      bare.push(await checkReported(cliMain, path, model, ['--no-evidence']));
      if (baseline !== undefined) theirs.push(await checkReported(baseline, path, model, []));
    }
    const ms = median(ours.map((r) => r.totalMs));
    const row = [file, String(ours[0]!.states), ms.toFixed(0), median(ours.map((r) => r.verdictMs ?? NaN)).toFixed(0)];
    row.push(median(bare.map((r) => r.totalMs)).toFixed(0));
    if (baseline !== undefined) {
      const baseMs = median(theirs.map((r) => r.totalMs));
      row.push(String(theirs[0]!.states), baseMs.toFixed(0), `${(ms / baseMs).toFixed(2)}x`);
    }
    console.log(cells(row));
  }
}

function checkReported(cli: string, file: string, model: string, flags: readonly string[]): Promise<Reported> {
  return new Promise((resolve, reject) => {
    const args = [cli, 'check', file, '--model', model, ...flags];
    execFile(process.execPath, args, { encoding: 'utf8', timeout: checkTimeoutMs }, (error, stdout) => {
      // Exit code 1 is an invalid verdict, not a failure of the command.
      if (error !== null && error.code !== 1) return reject(new Error(`${args.join(' ')}: ${error.message}`));
      const figures = /(\d+) states? explored, ([\d.]+) ms/.exec(stdout);
      if (figures === null) return reject(new Error(`no time in the output of ${args.join(' ')}: ${stdout}`));
      const verdict = /verdict ([\d.]+) ms/.exec(stdout);
      resolve({
        states: Number(figures[1]),
        totalMs: Number(figures[2]),
        verdictMs: verdict === null ? null : Number(verdict[1]),
      });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

function cells(values: readonly string[]): string {
  const widths = [40, 9, 8, 11, 17, 16, 12, 8];
  return values
    .map((value, i) => value.padEnd(widths[i] ?? 8))
    .join(' ')
    .trimEnd();
}
