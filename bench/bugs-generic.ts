// How well the generic nemesis finds the named bugs with nothing written for
// them: every catalogue entry's generic run (`--nemesis all`, the workload that
// fits, seeds 1 to 3) with the bug on, as real `quorumlab test` processes, two
// at a time. Prints, per bug, the seeds whose run came out invalid and which
// checker said so, and the machine's core count; bench/RESULTS.md keeps them.

import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { bugCatalogue, catalogueGenericArgs, genericSeeds, type CaughtBug } from '../runner/bug-catalogue/catalogue.js';

/** Runs side by side (2 cores: more would starve the clusters and hide catches). */
const parallel = Number(process.env['QUORUMLAB_BENCH_PARALLEL'] ?? '2');
/** Bound on one run: start, the 60 s main phase, heal, final reads, checks, stop. */
const runTimeoutMs = 300_000;

interface RunOutcome {
  readonly bug: string;
  readonly seed: number;
  readonly verdict: string;
  readonly invalid: readonly string[];
  readonly seconds: number;
}

async function main(): Promise<void> {
  const root = path.resolve(import.meta.dirname, '../..');
  const store = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-bugs-generic-'));
  const only = process.argv.slice(2);
  const entries = bugCatalogue.filter((entry) => only.length === 0 || only.includes(entry.bug));
  const jobs = entries.flatMap((entry) => genericSeeds.map((seed) => ({ entry, seed })));
  console.log(
    `generic runs: ${jobs.length} (${entries.length} bugs x seeds ${genericSeeds.join(', ')}), ${parallel} at a time, ${os.cpus().length} cores`,
  );
  const outcomes: RunOutcome[] = [];
  try {
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < jobs.length) {
        const job = jobs[next++]!;
        const outcome = await generic(root, store, job.entry, job.seed);
        outcomes.push(outcome);
        console.log(
          `  ${outcome.bug.padEnd(20)} seed ${outcome.seed}: ${outcome.verdict.padEnd(8)} ${outcome.invalid.join(', ')} (${outcome.seconds} s)`,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, parallel) }, worker));
  } finally {
    rmSync(store, { recursive: true, force: true });
  }
  console.log('\n| bug | workload | cache | seeds caught (of 1-3) | checker |\n|---|---|---|---|---|');
  for (const entry of entries) {
    const mine = outcomes.filter((o) => o.bug === entry.bug && o.verdict === 'invalid').sort((a, b) => a.seed - b.seed);
    const checkers = [...new Set(mine.flatMap((o) => o.invalid))].join(', ');
    const { workload, cache } = entry.generic;
    console.log(
      `| ${entry.bug} | ${workload} | ${cache} | ${mine.map((o) => o.seed).join(', ') || 'none'} | ${checkers} |`,
    );
  }
}

async function generic(root: string, store: string, entry: CaughtBug, seed: number): Promise<RunOutcome> {
  const startMs = performance.now();
  const args = [...catalogueGenericArgs(entry, seed, true), '--store', store, '--json'];
  const child = await execa(process.execPath, [path.join(root, 'dist/cli/main.js'), ...args], {
    cwd: root,
    reject: false,
    timeout: runTimeoutMs,
  });
  const seconds = Math.round((performance.now() - startMs) / 1000);
  try {
    const summary = JSON.parse(child.stdout) as { verdict: string; checkers: { checker: string; verdict: string }[] };
    const invalid = summary.checkers.filter((c) => c.verdict === 'invalid').map((c) => c.checker);
    return { bug: entry.bug, seed, verdict: summary.verdict, invalid, seconds };
  } catch {
    return { bug: entry.bug, seed, verdict: `crashed (exit ${child.exitCode})`, invalid: [], seconds };
  }
}

await main();
