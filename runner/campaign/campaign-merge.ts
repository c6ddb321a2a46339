// `quorumlab campaign merge DIR...`: joins the shards of one campaign into one
// campaign directory, as if one runner had run every test: each test's record
// from the shard that ran it, in campaign order, the shards' runs and logs
// copied beside them (so every link of index.html and junit.xml holds), and
// summary.json, junit.xml and index.html rendered by the same code a campaign
// uses. A shard that is missing, or did not finish, leaves its tests pending
// with the reason, and the merge ends as an interrupted campaign does (exit 4).

import { cpSync, existsSync, mkdirSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Clock } from '../../core/clock.js';
import { exitCode } from '../../core/verdict.js';
import { chartJsSource } from '../../results/report/report-write.js';
import { campaignIdentityWrite } from './campaign-identity.js';
import { campaignIndexRender } from './campaign-index.js';
import { junitRender } from './campaign-junit.js';
import { shardDirsFind } from './campaign-merge-find.js';
import type { ShardOutcome } from './campaign-record.js';
import { campaignDirCreate } from './campaign-run.js';
import { shardPlanKey, shardPlanRead, type ShardPlan } from './campaign-shard-plan.js';
import {
  campaignFiles,
  summaryOf,
  summaryRead,
  summaryWrite,
  type CampaignSummary,
  type TestRecord,
} from './campaign-summary.js';

export interface MergeOptions {
  /** Shard campaign directories, or directories holding them. */
  readonly args: readonly string[];
  /** The merged directory (new or empty); null: a new campaign directory under the store. */
  readonly into: string | null;
  readonly storeDir: string;
  readonly clock: Clock;
}

export type MergeOutcome =
  | { readonly ok: true; readonly dir: string; readonly summary: CampaignSummary; readonly exitCode: number }
  | { readonly ok: false; readonly error: string };

interface ShardDir {
  readonly dir: string;
  readonly plan: ShardPlan;
  /** null: the shard's summary could not be read (the reason in `error`). */
  readonly summary: CampaignSummary | null;
  readonly error: string;
}

export function campaignMerge(options: MergeOptions): MergeOutcome {
  const found = shardDirsFind(options.args);
  if (!found.ok) return found;
  const shards = shardsRead(found.dirs);
  if (!shards.ok) return shards;
  const plan = shards.shards[0]!.plan;
  const byIndex = new Map(shards.shards.map((shard) => [shard.plan.index, shard]));
  const outcomes = Array.from({ length: plan.count }, (_, i) => shardOutcome(plan, i + 1, byIndex.get(i + 1)));
  const tests = plan.tests.map((planned) => testRecord(planned.record, planned.shard, plan.count, byIndex));
  const target = targetDir(options, plan);
  if (!target.ok) return target;
  const { dir } = target;
  for (const shard of shards.shards) filesCopy(shard.dir, dir);
  campaignIdentityWrite(dir, { name: plan.campaign, sourceSha256: plan.sha256 }, plan.file);
  const present = shards.shards.flatMap((shard) => (shard.summary === null ? [] : [shard.summary]));
  const pending = tests.some((test) => test.status === 'pending');
  const code = pending
    ? exitCode.crashed
    : tests.every((test) => test.matches === true)
      ? exitCode.valid
      : exitCode.invalid;
  const summary = summaryOf({
    campaign: plan.campaign,
    description: present[0]?.description ?? '',
    file: plan.file,
    startedAt: present.map((one) => one.startedAt).sort()[0] ?? options.clock.wallIso(),
    updatedAt: options.clock.wallIso(),
    status: pending || outcomes.some((outcome) => outcome.status !== 'finished') ? 'interrupted' : 'finished',
    exitCode: code,
    tests,
    shard: { index: null, count: plan.count, shards: outcomes },
  });
  summaryWrite(dir, summary);
  fileWrite(path.join(dir, campaignFiles.junit), junitRender(summary));
  fileWrite(path.join(dir, campaignFiles.index), campaignIndexRender(summary, chartJsSource()));
  return { ok: true, dir, summary, exitCode: code };
}

/** Every directory's split, checked to be one split of one campaign file, each shard given once. */
function shardsRead(
  dirs: readonly string[],
): { readonly ok: true; readonly shards: readonly ShardDir[] } | { readonly ok: false; readonly error: string } {
  const shards: ShardDir[] = [];
  for (const dir of dirs) {
    const read = shardPlanRead(dir);
    if (!read.ok) return { ok: false, error: `campaign merge: ${read.error}` };
    const first = shards[0];
    if (first !== undefined && shardPlanKey(first.plan) !== shardPlanKey(read.plan))
      return {
        ok: false,
        error: `campaign merge: ${dir} holds shard ${read.plan.index}/${read.plan.count} of campaign ${read.plan.campaign} (sha256 ${read.plan.sha256.slice(0, 12)}), another split than ${first.dir} (campaign ${first.plan.campaign}, ${first.plan.count} shards, sha256 ${first.plan.sha256.slice(0, 12)}): merge shards of one campaign file, one --shard N and one --filter`,
      };
    const twin = shards.find((shard) => shard.plan.index === read.plan.index);
    if (twin !== undefined)
      return {
        ok: false,
        error: `campaign merge: shard ${read.plan.index}/${read.plan.count} is given twice: ${twin.dir} and ${dir}; give one directory per shard`,
      };
    const summary = summaryRead(dir);
    shards.push({
      dir,
      plan: read.plan,
      summary: summary.ok ? summary.summary : null,
      error: summary.ok ? '' : summary.error,
    });
  }
  return { ok: true, shards };
}

function shardOutcome(plan: ShardPlan, index: number, shard: ShardDir | undefined): ShardOutcome {
  const tests = plan.tests.filter((planned) => planned.shard === index).length;
  if (shard === undefined || shard.summary === null)
    return { index, dir: shard?.dir ?? null, status: 'missing', tests, done: 0 };
  const done = shard.summary.tests.filter((test) => test.status === 'done').length;
  return { index, dir: shard.dir, status: shard.summary.status, tests, done };
}

/** The test's record from the shard that ran it, or pending with why it did not run. */
function testRecord(
  planned: TestRecord,
  index: number,
  count: number,
  byIndex: ReadonlyMap<number, ShardDir>,
): TestRecord {
  const shard = byIndex.get(index);
  const which = `shard ${index}/${count}`;
  if (shard === undefined) return { ...planned, message: `not run: ${which} is missing (no directory merged held it)` };
  if (shard.summary === null) return { ...planned, message: `not run: ${which}: ${shard.error}` };
  const record = shard.summary.tests.find((test) => test.id === planned.id);
  if (record === undefined) return { ...planned, message: `not run: ${which} has no record of it` };
  if (record.status === 'pending') return { ...record, message: `not run: ${which} was ${shard.summary.status}` };
  return record;
}

function targetDir(
  options: MergeOptions,
  plan: ShardPlan,
): { readonly ok: true; readonly dir: string } | { readonly ok: false; readonly error: string } {
  if (options.into === null)
    return {
      ok: true,
      dir: campaignDirCreate(path.join(options.storeDir, 'campaigns', plan.campaign), options.clock.wallIso()),
    };
  const into = path.resolve(options.into);
  if (existsSync(into) && readdirSync(into).length > 0)
    return { ok: false, error: `--into: ${options.into} is not empty; give a new or empty directory` };
  mkdirSync(into, { recursive: true });
  return { ok: true, dir: into };
}

/** The shard's runs and logs, under the same relative paths its records name; test ids never collide. */
function filesCopy(shardDir: string, dir: string): void {
  for (const name of [campaignFiles.runs, campaignFiles.logs]) {
    const from = path.join(shardDir, name);
    if (existsSync(from))
      cpSync(from, path.join(dir, name), { recursive: true, verbatimSymlinks: true, errorOnExist: true, force: false });
  }
}

function fileWrite(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}
