// Runs a campaign: picks its directory (store/campaigns/<name>/<timestamp>/, or
// the one being resumed), runs each pending test as a child process in turn,
// and after every test rewrites summary.json, junit.xml and index.html, so the
// files are complete at any moment. Exit code: 0 when every verdict matched,
// 1 when one did not, 4 when the campaign was interrupted before the end. A
// hunt stops at its first invalid verdict and shrinks that run (campaign-hunt).

import { existsSync, mkdirSync, readlinkSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock.js';
import { exitCode } from '../../core/verdict.js';
import { chartJsSource } from '../../results/report/report-write.js';
import { storeLatestCheck } from '../../results/store-dir.js';
import { testChildRun } from './campaign-child.js';
import { campaignIdentityCheck, campaignIdentityWrite } from './campaign-identity.js';
import { huntCaught, huntExitCode, huntShrink, huntSummaryOf } from './campaign-hunt.js';
import { campaignIndexRender } from './campaign-index.js';
import { junitRender } from './campaign-junit.js';
import type { Campaign, CampaignTest } from './campaign-parse.js';
import { progressLine, resultLine } from './campaign-progress.js';
import {
  campaignFiles,
  recordPending,
  summaryOf,
  summaryRead,
  summaryWrite,
  type CampaignSummary,
  type HuntShrink,
  type TestRecord,
} from './campaign-summary.js';

/** How often the progress line is redrawn on a terminal. */
const progressIntervalMs = 1000;
/** Bound on suffixed directory names when two campaigns start within one millisecond. */
const dirAttemptsMax = 100;

export interface CampaignRunOptions {
  readonly campaign: Campaign;
  readonly file: string;
  readonly storeDir: string;
  /** null: a new campaign directory; 'latest': the newest of this campaign; otherwise the directory to resume. */
  readonly resume: string | null;
  /** Substrings of test ids; a test runs when it contains any of them (all run when empty). */
  readonly filters: readonly string[];
  readonly cliPath: string;
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Where progress goes (stderr); tty: redraw one line in place. */
  readonly progress: { write(text: string): void; readonly tty: boolean };
}

export type CampaignRunOutcome =
  | { readonly ok: true; readonly dir: string; readonly summary: CampaignSummary; readonly exitCode: number }
  | { readonly ok: false; readonly error: string };

export async function campaignRun(options: CampaignRunOptions): Promise<CampaignRunOutcome> {
  const selected = options.campaign.tests.filter(
    (test) => options.filters.length === 0 || options.filters.some((filter) => test.id.includes(filter)),
  );
  if (selected.length === 0)
    return {
      ok: false,
      error: `--filter ${options.filters.join(', ')}: no test of campaign ${options.campaign.name} matches`,
    };
  const start = campaignStart(options, selected);
  if (!start.ok) return start;
  const { dir } = start;
  let records = start.records;
  const chartJs = chartJsSource();
  const startedAt = start.startedAt;
  const hunt = options.campaign.hunt;
  let shrink: HuntShrink | null = null;
  const publish = (status: CampaignSummary['status'], code: number | null): CampaignSummary => {
    const summary = summaryOf({
      campaign: options.campaign.name,
      description: options.campaign.description,
      file: options.file,
      startedAt,
      updatedAt: options.clock.wallIso(),
      status,
      exitCode: code,
      tests: records,
      ...(hunt === null ? {} : { hunt: huntSummaryOf(hunt, records, shrink) }),
    });
    summaryWrite(dir, summary);
    fileWrite(path.join(dir, campaignFiles.junit), junitRender(summary));
    fileWrite(path.join(dir, campaignFiles.index), campaignIndexRender(summary, chartJs));
    return summary;
  };
  publish('running', null);
  options.progress.write(
    `campaign ${options.campaign.name}: ${records.length} tests (${records.filter((record) => record.status === 'done').length} already done) in ${dir}\n`,
  );
  const campaignStartMs = options.clock.nowMs();
  for (let i = 0; i < records.length && !options.signal.aborted; i++) {
    if (hunt !== null && huntCaught(records) !== null) break;
    const record = records[i]!;
    if (record.status === 'done') continue;
    const test = selected.find((candidate) => candidate.id === record.id)!;
    const finished = await testWithProgress(test, record, i + 1, records, { ...options, dir, campaignStartMs });
    if (options.signal.aborted && finished.verdict === 'crashed') break;
    records = records.map((other) => (other.id === finished.id ? finished : other));
    options.progress.write(`${resultLine(finished, i + 1, records.length)}\n`);
    publish('running', null);
  }
  const caught = hunt === null ? null : huntCaught(records);
  if (hunt !== null && caught !== null && hunt.shrink && !options.signal.aborted) {
    options.progress.write(`${caught.id}: invalid; shrinking its run\n`);
    shrink = await huntShrink(caught, hunt, {
      campaignDir: dir,
      cliPath: options.cliPath,
      clock: options.clock,
      signal: options.signal,
      progress: (line) => options.progress.write(`  ${line}\n`),
    });
  }
  const interrupted = records.some((record) => record.status === 'pending') && (hunt === null || caught === null);
  const code =
    hunt !== null
      ? huntExitCode(huntSummaryOf(hunt, records, shrink), interrupted)
      : interrupted
        ? exitCode.crashed
        : records.every((record) => record.matches === true)
          ? exitCode.valid
          : exitCode.invalid;
  return { ok: true, dir, summary: publish(interrupted ? 'interrupted' : 'finished', code), exitCode: code };
}

async function testWithProgress(
  test: CampaignTest,
  record: TestRecord,
  position: number,
  records: readonly TestRecord[],
  env: CampaignRunOptions & { dir: string; campaignStartMs: number },
): Promise<TestRecord> {
  const testStartMs = env.clock.nowMs();
  const line = (): string =>
    progressLine({
      currentId: test.id,
      currentElapsedMs: env.clock.nowMs() - testStartMs,
      position,
      records,
      elapsedMs: env.clock.nowMs() - env.campaignStartMs,
    });
  if (!env.progress.tty) env.progress.write(`${line()}\n`);
  const ticker = env.progress.tty
    ? setInterval(() => env.progress.write(`\r\x1b[K${line()}`), progressIntervalMs)
    : null;
  try {
    return await testChildRun(test, record, {
      cliPath: env.cliPath,
      campaignDir: env.dir,
      clock: env.clock,
      signal: env.signal,
    });
  } finally {
    if (ticker !== null) {
      clearInterval(ticker);
      env.progress.write('\r\x1b[K');
    }
  }
}

type Start =
  | { readonly ok: true; readonly dir: string; readonly records: readonly TestRecord[]; readonly startedAt: string }
  | { readonly ok: false; readonly error: string };

/** A fresh directory with every selected test pending, or the resumed one with its finished tests kept. */
function campaignStart(options: CampaignRunOptions, selected: readonly CampaignTest[]): Start {
  const base = path.join(options.storeDir, 'campaigns', options.campaign.name);
  if (options.resume === null) {
    const dir = dirCreate(base, options.clock.wallIso().replaceAll(':', '-'));
    campaignIdentityWrite(dir, options.campaign, options.file);
    return { ok: true, dir, records: selected.map(recordPending), startedAt: options.clock.wallIso() };
  }
  const dir = options.resume === 'latest' ? latestDir(base) : options.resume;
  if (dir === null)
    return { ok: false, error: `--resume: campaign ${options.campaign.name} has no earlier run under ${base}` };
  const stored = summaryRead(dir);
  if (!stored.ok) return { ok: false, error: `--resume: ${stored.error}` };
  const identity = campaignIdentityCheck(dir, options.campaign, options.file, stored.summary);
  if (!identity.ok) return identity;
  const done = new Map(
    stored.summary.tests.filter((record) => record.status === 'done').map((record) => [record.id, record]),
  );
  const wanted = new Set(selected.map((test) => test.id));
  const records = options.campaign.tests
    .filter((test) => wanted.has(test.id) || done.has(test.id))
    .map((test) => done.get(test.id) ?? recordPending(test));
  return { ok: true, dir, records, startedAt: stored.summary.startedAt };
}

function dirCreate(base: string, stamp: string): string {
  mkdirSync(base, { recursive: true });
  for (let attempt = 0; attempt < dirAttemptsMax; attempt++) {
    const dir = path.join(base, attempt === 0 ? stamp : `${stamp}-${attempt}`);
    if (existsSync(dir)) continue;
    mkdirSync(dir);
    // A directory or a file where the link should be is someone's data: it stays, and --resume names dirs.
    if (!storeLatestCheck(base).ok) return dir;
    const link = path.join(base, 'latest');
    rmSync(`${link}.tmp`, { force: true });
    symlinkSync(path.basename(dir), `${link}.tmp`);
    renameSync(`${link}.tmp`, link);
    return dir;
  }
  throw new Error(`${base}: ${dirAttemptsMax} campaign directories named ${stamp} already exist`);
}

function latestDir(base: string): string | null {
  const link = path.join(base, 'latest');
  if (!existsSync(link)) return null;
  return path.join(base, readlinkSync(link));
}

function fileWrite(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
