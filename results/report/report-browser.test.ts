import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumPath, reportOpen } from './report-browser.js';
import { fixtureWrite, invalidRunFixture } from './test-support/run-fixture.js';

const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'dist/cli/main.js');
const shots = path.join(root, 'test-output');
// CI installs Chromium (see .ci/run); elsewhere the test says it was skipped rather than failing for a missing browser.
const browserMissing = !existsSync(chromiumPath) && process.env['CI'] === undefined;
if (browserMissing) process.stderr.write(`report browser test skipped: no Chromium at ${chromiumPath}\n`);

const viewports = { laptop: { width: 1366, height: 768 }, phone: { width: 390, height: 844 } } as const;
let work: string;
const reports: Record<'valid' | 'invalid', string> = { valid: '', invalid: '' };

beforeAll(async () => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-report-browser-'));
  if (browserMissing) return;
  mkdirSync(shots, { recursive: true });
  const store = path.join(work, 'store');
  const valid = await execa(
    process.execPath,
    [
      cli,
      'test',
      '--runtime',
      'memory',
      '--workload',
      'append',
      '--ops-limit',
      '3000',
      '--time-limit',
      '5s',
      '--seed',
      '3',
      '--store',
      store,
    ],
    { reject: false, timeout: 60_000 },
  );
  expect(valid.exitCode, valid.stderr).toBe(0);
  reports.valid = path.join(store, 'latest', 'report.html');
  const invalidDir = fixtureWrite(invalidRunFixture(), path.join(work, 'invalid-run'));
  const rebuilt = await execa(process.execPath, [cli, 'report', invalidDir], { reject: false, timeout: 60_000 });
  expect(rebuilt.exitCode, rebuilt.stderr).toBe(0);
  reports.invalid = path.join(invalidDir, 'report.html');
}, 90_000);

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(browserMissing)('reports in headless Chromium', () => {
  it.each([
    ['valid', 'laptop'],
    ['valid', 'phone'],
    ['invalid', 'laptop'],
    ['invalid', 'phone'],
  ] as const)(
    'the %s run report on a %s screen draws every chart, with no console error and no request',
    async (kind, screen) => {
      const opened = await reportOpen(reports[kind], viewports[screen], {
        screenshotPath: path.join(shots, `report-${kind}-${screen}.png`),
        hoverBreaking: true,
      });
      if (!opened.ok) throw new Error(opened.error);
      expect(opened.errors).toEqual([]);
      expect(opened.requests).toEqual([]);
      expect(opened.canvasPixels).toHaveLength(3);
      for (const pixels of opened.canvasPixels) expect(pixels).toBeGreaterThan(2000);
      expect(opened.failureViews).toEqual({ linearizability: kind === 'invalid', durability: kind === 'invalid' });
    },
    60_000,
  );

  it('the invalid report names the failing key and the lost value in the page itself', () => {
    const html = readFileSync(reports.invalid, 'utf8');
    expect(html).toContain('failing key r1');
    expect(html).toContain('class="problem-lost"');
  });
});
