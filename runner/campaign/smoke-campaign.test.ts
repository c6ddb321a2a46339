// The ready smoke campaign, run for real from the built CLI on the local
// runtime: every verdict must match its expectation (the deliberate bug must
// be caught) and every file a person or a CI job opens must exist.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import type { CampaignSummary } from './campaign-summary.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
/** The campaign is meant to take under 5 minutes on 2 cores; allow for a loaded machine. */
const campaignTimeoutMs = 12 * 60_000;
const work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-smoke-'));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('the smoke campaign', () => {
  it(
    'passes: every verdict is the expected one, and index.html, junit.xml and every linked report exist',
    async () => {
      const result = await execa(
        process.execPath,
        [cli, 'campaign', path.join(root, 'campaigns/smoke.json'), '--store', path.join(work, 'store')],
        {
          cwd: root,
          reject: false,
          timeout: campaignTimeoutMs,
        },
      );
      const match = /^index: (.*)\/index\.html$/m.exec(result.stdout);
      expect(match, `${result.stdout}\n${result.stderr}`).not.toBeNull();
      const dir = match![1]!;
      const summary = JSON.parse(readFileSync(path.join(dir, 'summary.json'), 'utf8')) as CampaignSummary;
      const mismatches = summary.tests
        .filter((test) => test.matches !== true)
        .map((test) => `${test.id}: expected ${test.expect}, got ${test.verdict}: ${test.message}`);
      expect(mismatches).toEqual([]);
      expect(result.exitCode).toBe(0);
      expect(summary.tests.some((test) => test.expect === 'invalid' && test.verdict === 'invalid')).toBe(true);
      expect(existsSync(path.join(dir, 'junit.xml'))).toBe(true);
      expect(readFileSync(path.join(dir, 'junit.xml'), 'utf8')).not.toContain('<failure ');
      const index = readFileSync(path.join(dir, 'index.html'), 'utf8');
      const links = [...index.matchAll(/<a href="([^"]+)">report<\/a>/g)].map((link) => decodeURIComponent(link[1]!));
      expect(links).toHaveLength(summary.total);
      for (const link of links) expect(existsSync(path.join(dir, link)), link).toBe(true);
    },
    campaignTimeoutMs + 30_000,
  );
});
