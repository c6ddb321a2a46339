import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { clusterDirClaim, clusterDirMarkerFileName } from './cluster-dir.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(entries: Record<string, string | null>): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-cluster-dir-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(entries)) {
    if (text === null) mkdirSync(path.join(dir, name));
    else writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

test.each([
  ['an empty directory', {}],
  ['a directory it marked, whatever else is in it', { [clusterDirMarkerFileName]: '', nodes: null, notes: 'x' }],
  ['a cluster directory of a build before the marker', { nodes: null, 'state.json': '{}', 'state.json.7.tmp': '' }],
])('claims %s and marks it', (_name, entries) => {
  const dir = tempDir(entries);
  expect(clusterDirClaim(dir)).toEqual({ ok: true });
  expect(existsSync(path.join(dir, clusterDirMarkerFileName))).toBe(true);
});

test('claims a directory that does not exist yet by making it', () => {
  const dir = path.join(tempDir({}), 'a', 'b');
  expect(clusterDirClaim(dir)).toEqual({ ok: true });
  expect(readdirSync(dir)).toEqual([clusterDirMarkerFileName]);
});

test('refuses a stored run, naming what it holds, and writes nothing into it', () => {
  const dir = tempDir({ nodes: null, 'results.json': '{}', 'history.jsonl': '', 'test.json': '', 'latency.hdr': '' });
  const claim = clusterDirClaim(dir);
  expect(claim).toEqual({ ok: false, error: expect.stringMatching(/^--dir .*: not a cluster directory/) as unknown });
  expect(!claim.ok && claim.error).toMatch(/it holds history\.jsonl, latency\.hdr, results\.json and 1 more/);
  expect(existsSync(path.join(dir, clusterDirMarkerFileName))).toBe(false);
});

test('refuses a path that is a file', () => {
  const file = path.join(tempDir({ f: 'x' }), 'f');
  expect(clusterDirClaim(file)).toEqual({
    ok: false,
    error: expect.stringMatching(/^--dir .*f: not usable as a cluster directory: /) as unknown,
  });
});
