// Checks every test of a campaign as its `quorumlab test` child would, before
// the first one starts: the flags each test is given, and the files they name
// (schedule files read and parsed, their targets against the test's cluster).
// A campaign that would fail test after test on bad input is refused at once.

import { readFileSync } from 'node:fs';
import { scheduleKinds } from '../../nemesis/schedule/schedule.js';
import { testOptionsParse, type TestFlags } from '../test-options.js';
import type { Campaign, CampaignTest } from './campaign-parse.js';

export type CampaignCheck = { readonly ok: true } | { readonly ok: false; readonly error: string };

type FileRead = { readonly path: string; readonly text: string } | { readonly error: string };

/** Schedule paths are read as the children read them: relative to the working directory. */
export function campaignTestsCheck(campaign: Campaign, source: string): CampaignCheck {
  const files = new Map<string, FileRead>();
  const checked = new Set<string>();
  for (const test of campaign.tests) {
    // Tests that differ only in their seed take the same options otherwise.
    const key = test.args.filter((arg, i) => arg !== '--seed' && test.args[i - 1] !== '--seed').join('\0');
    if (checked.has(key)) continue;
    checked.add(key);
    const error = testCheck(test, files);
    if (error !== null) return { ok: false, error: `${source}: test ${test.id}: ${error}` };
  }
  return { ok: true };
}

function testCheck(test: CampaignTest, files: Map<string, FileRead>): string | null {
  const flags = flagsOf(test.args);
  const schedule = flags.nemesisSchedule;
  let scheduleFile: { path: string; text: string } | null = null;
  if (schedule !== undefined && !(scheduleKinds as readonly string[]).includes(schedule)) {
    const read = files.get(schedule) ?? fileRead(schedule);
    files.set(schedule, read);
    if ('error' in read) return `nemesisSchedule: cannot read "${schedule}": ${read.error}`;
    scheduleFile = read;
  }
  const parsed = testOptionsParse(flags, { seedDefault: 0, configFile: null, scheduleFile });
  return parsed.ok ? null : parsed.error;
}

function fileRead(file: string): FileRead {
  try {
    return { path: file, text: readFileSync(file, 'utf8') };
  } catch (error) {
    return { error: (error as NodeJS.ErrnoException).code ?? (error as Error).message };
  }
}

/** The test's arguments (`--flag value` pairs, --bug repeated) as commander would hand them over. */
function flagsOf(args: readonly string[]): TestFlags {
  const flags: Record<string, string | string[]> = {};
  for (let i = 0; i + 1 < args.length; i += 2) {
    const name = args[i]!.replace(/^--/, '').replace(/-([a-z])/g, (_all, letter: string) => letter.toUpperCase());
    const value = args[i + 1]!;
    if (name === 'bug') flags['bug'] = [...((flags['bug'] as string[] | undefined) ?? []), value];
    else flags[name] = value;
  }
  return flags;
}
