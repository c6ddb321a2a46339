// Runs a campaign: picks its directory (store/campaigns/<name>/<timestamp>/, or
// the one being resumed), runs each pending test as a child process (in turn,
// or --parallel K at once), and after every test rewrites summary.json,
// junit.xml and index.html, so the files are complete at any moment. With
// --shard I/N it runs only its share of the split (campaign-shard.ts) and
// writes the whole split to shard.json for the merge. Exit code: 0 when every verdict matched,
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
import { shardSelect, shardText, type Shard } from './campaign-shard.js';
import { shardPlanFile, shardPlanKey, shardPlanOf, shardPlanRead, shardPlanWrite } from './campaign-shard-plan.js';
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
  /** null: every selected test; otherwise this shard's share of them. */
  readonly shard: Shard | null;
  /** Tests run at once (1: in turn); checked by campaignParallelCheck. */
  readonly parallel: number;
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
  const filtered = options.campaign.tests.filter(
    (test) => options.filters.length === 0 || options.filters.some((filter) => test.id.includes(filter)),
  );
  if (filtered.length === 0)
    return {
      ok: false,
      error: `--filter ${options.filters.join(', ')}: no test of campaign ${options.campaign.name} matches`,
    };
  // A shard may get no test (more shards than tests): it still writes its files, so the merge sees it.
  const selected = options.shard === null ? filtered : shardSelect(filtered, options.shard);
  const start = campaignStart(options, filtered, selected);
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
      ...(options.shard === null ? {} : { shard: { ...options.shard, shards: [] } }),
    });
    summaryWrite(dir, summary);
    fileWrite(path.join(dir, campaignFiles.junit), junitRender(summary));
    fileWrite(path.join(dir, campaignFiles.index), campaignIndexRender(summary, chartJs));
    return summary;
  };
  publish('running', null);
  const share = options.shard === null ? '' : ` (shard ${shardText(options.shard)})`;
  const atOnce = options.parallel > 1 ? `, ${options.parallel} at once` : '';
  options.progress.write(
    `campaign ${options.campaign.name}${share}: ${records.length} tests (${records.filter((record) => record.status === 'done').length} already done)${atOnce} in ${dir}\n`,
  );
  const campaignStartMs = options.clock.nowMs();
  // Each worker takes the next pending test; records keep campaign order whatever order tests end in.
  const queue = records.flatMap((record, i) => (record.status === 'done' ? [] : [i]));
  const worker = async (slot: number): Promise<void> => {
    for (let i = queue.shift(); i !== undefined && !options.signal.aborted; i = queue.shift()) {
      if (hunt !== null && huntCaught(records) !== null) return;
      const record = records[i]!;
      const test = selected.find((candidate) => candidate.id === record.id)!;
      const portSlot = options.parallel === 1 ? null : `${slot}/${options.parallel}`;
      const env = { ...options, dir, campaignStartMs, portSlot, tty: options.progress.tty && options.parallel === 1 };
      const finished = await testWithProgress(test, record, i + 1, records, env);
      if (options.signal.aborted && finished.verdict === 'crashed') return;
      records = records.map((other) => (other.id === finished.id ? finished : other));
      options.progress.write(`${resultLine(finished, i + 1, records.length)}\n`);
      publish('running', null);
    }
  };
  const workers = Math.max(1, Math.min(options.parallel, queue.length));
  await Promise.all(Array.from({ length: workers }, (_, slot) => worker(slot + 1)));
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
  env: CampaignRunOptions & { dir: string; campaignStartMs: number; portSlot: string | null; tty: boolean },
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
  if (!env.tty) env.progress.write(`${line()}\n`);
  const ticker = env.tty ? setInterval(() => env.progress.write(`\r\x1b[K${line()}`), progressIntervalMs) : null;
  try {
    return await testChildRun(test, record, {
      cliPath: env.cliPath,
      campaignDir: env.dir,
      clock: env.clock,
      signal: env.signal,
      ...(env.portSlot === null ? {} : { portSlot: env.portSlot }),
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

/**
 * A fresh directory with every selected test pending, or the resumed one with its finished tests kept.
 * `filtered`: the tests a shard is a share of.
 */
function campaignStart(
  options: CampaignRunOptions,
  filtered: readonly CampaignTest[],
  selected: readonly CampaignTest[],
): Start {
  const base = path.join(options.storeDir, 'campaigns', options.campaign.name);
  const plan = options.shard === null ? null : shardPlanOf(options.campaign, options.file, filtered, options.shard);
  if (options.resume === null) {
    const dir = campaignDirCreate(base, options.clock.wallIso());
    campaignIdentityWrite(dir, options.campaign, options.file);
    if (plan !== null) shardPlanWrite(dir, plan);
    return { ok: true, dir, records: selected.map(recordPending), startedAt: options.clock.wallIso() };
  }
  const dir = options.resume === 'latest' ? latestDir(base) : options.resume;
  if (dir === null)
    return { ok: false, error: `--resume: campaign ${options.campaign.name} has no earlier run under ${base}` };
  const stored = summaryRead(dir);
  if (!stored.ok) return { ok: false, error: `--resume: ${stored.error}` };
  const identity = campaignIdentityCheck(dir, options.campaign, options.file, stored.summary);
  if (!identity.ok) return identity;
  const sameShare = shardResumeCheck(dir, stored.summary, plan);
  if (!sameShare.ok) return sameShare;
  const done = new Map(
    stored.summary.tests.filter((record) => record.status === 'done').map((record) => [record.id, record]),
  );
  const wanted = new Set(selected.map((test) => test.id));
  const records = options.campaign.tests
    .filter((test) => wanted.has(test.id) || done.has(test.id))
    .map((test) => done.get(test.id) ?? recordPending(test));
  return { ok: true, dir, records, startedAt: stored.summary.startedAt };
}

/** A resumed shard continues the same share of the same split; an unsharded directory stays unsharded. */
function shardResumeCheck(
  dir: string,
  stored: CampaignSummary,
  plan: ReturnType<typeof shardPlanOf> | null,
): { readonly ok: true } | { readonly ok: false; readonly error: string } {
  const held = stored.shard;
  const was =
    held === undefined
      ? 'the whole campaign'
      : held.index === null
        ? `a merge of ${held.count} shards`
        : `shard ${held.index}/${held.count}`;
  if (held !== undefined && held.index === null)
    return { ok: false, error: `--resume ${dir}: it holds ${was}; resume the shards' own directories` };
  if (plan === null)
    return held === undefined
      ? { ok: true }
      : { ok: false, error: `--resume ${dir}: it holds ${was}; pass --shard ${held.index}/${held.count}` };
  const storedPlan = existsSync(path.join(dir, shardPlanFile)) ? shardPlanRead(dir) : null;
  if (storedPlan === null)
    return { ok: false, error: `--resume ${dir}: it holds ${was}, not shard ${plan.index}/${plan.count}` };
  if (!storedPlan.ok) return { ok: false, error: `--resume: ${storedPlan.error}` };
  if (storedPlan.plan.index !== plan.index || shardPlanKey(storedPlan.plan) !== shardPlanKey(plan))
    return {
      ok: false,
      error: `--resume ${dir}: it holds shard ${storedPlan.plan.index}/${storedPlan.plan.count} of another split (or another --filter), not shard ${plan.index}/${plan.count} of this one`,
    };
  return { ok: true };
}

/** A new campaign directory named by the time (suffixed when taken), and `latest` pointed at it. */
export function campaignDirCreate(base: string, wallIso: string): string {
  const stamp = wallIso.replaceAll(':', '-');
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
