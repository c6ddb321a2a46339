// Command start-up as a user meets it: the wall time of whole `quorumlab`
// processes for `--version`, `--help` and `check` of a 100-operation register
// history (generated, so the figure needs no conformance folder). With
// QUORUMLAB_BASELINE_CLI naming another build's dist/cli/main.js, that build
// runs side by side, alternating with this one, and the ratio is printed.

import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerHistoryGenerate } from '../checkers/linearizable/register-history-generate.js';
import { historyLine } from '../results/history-file.js';

/** Processes per command and build; the median is reported. */
const runsPerCommand = 9;
/** One process is killed after this long. */
const processTimeoutMs = 30_000;
const historyOperations = 100;
/** The aims of the start-up figures, in ms of wall time. */
const aimsMs = { '--version': 250, '--help': 250, check: 400 } as const;

const cliMain = fileURLToPath(new URL('../cli/main.js', import.meta.url));

export async function startupBench(): Promise<void> {
  const baseline = process.env['QUORUMLAB_BASELINE_CLI'];
  const dir = mkdtempSync(join(tmpdir(), 'quorumlab-startup-'));
  try {
    const history = join(dir, 'history.jsonl');
    const events = registerHistoryGenerate({
      operations: historyOperations,
      keys: 1,
      processes: 5,
      infoProbability: 0,
      seed: 1,
    });
    writeFileSync(history, events.map(historyLine).join(''));
    const commands: Record<keyof typeof aimsMs, readonly string[]> = {
      '--version': ['--version'],
      '--help': ['--help'],
      check: ['check', history, '--model', 'etcd-register'],
    };
    console.log(
      `\ncommand start-up (wall time of a whole process, median of ${runsPerCommand}${baseline === undefined ? '' : `; baseline ${baseline}`})`,
    );
    for (const [name, args] of Object.entries(commands) as [keyof typeof aimsMs, readonly string[]][]) {
      const ours: number[] = [];
      const theirs: number[] = [];
      for (let run = 0; run < runsPerCommand; run++) {
        ours.push(await wallMs(cliMain, args));
        if (baseline !== undefined) theirs.push(await wallMs(baseline, args));
      }
      const ms = median(ours);
      let line = `${(name === 'check' ? `check (${historyOperations} ops)` : name).padEnd(18)} ${ms.toFixed(0).padStart(5)} ms  (aim < ${aimsMs[name]} ms)`;
      if (baseline !== undefined) {
        const baseMs = median(theirs);
        line += `  baseline ${baseMs.toFixed(0)} ms  ratio ${(ms / baseMs).toFixed(2)}x`;
      }
      console.log(line);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function wallMs(cli: string, args: readonly string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    execFile(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: processTimeoutMs }, (error) => {
      if (error !== null) return reject(new Error(`${[cli, ...args].join(' ')}: ${error.message}`));
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}
