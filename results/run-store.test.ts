import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
  existsSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runDirCreate, runFilePath, runJsonWrite, runLatestPoint, runNodeLogsCopy } from './run-store.js';

let store: string;

beforeEach(() => {
  store = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-store-'));
});

afterEach(() => {
  rmSync(store, { recursive: true, force: true });
});

describe('run store', () => {
  it('puts a run at <store>/<test-name>/<timestamp> with a file-name safe stamp', () => {
    const run = runDirCreate(store, 'register-none', '2025-01-02T03:04:05.678Z');
    expect(run.path).toBe(path.join(store, 'register-none', '2025-01-02T03-04-05.678Z'));
    expect(existsSync(run.path)).toBe(true);
  });

  it('gives two runs started in the same millisecond their own directories', () => {
    const a = runDirCreate(store, 't', '2025-01-02T03:04:05.678Z');
    const b = runDirCreate(store, 't', '2025-01-02T03:04:05.678Z');
    expect(b.path).not.toBe(a.path);
    expect(b.stamp).toBe('2025-01-02T03-04-05.678Z-1');
  });

  it('points latest at the newest run, replacing the link', () => {
    const first = runDirCreate(store, 'a', '2025-01-02T03:04:05.000Z');
    runLatestPoint(first);
    runJsonWrite(first, 'test.json', { seed: 1 });
    const second = runDirCreate(store, 'b', '2025-01-02T03:04:06.000Z');
    runLatestPoint(second);
    runJsonWrite(second, 'test.json', { seed: 2 });
    expect(readlinkSync(path.join(store, 'latest'))).toBe(path.join('b', '2025-01-02T03-04-06.000Z'));
    expect(JSON.parse(readFileSync(path.join(store, 'latest', 'test.json'), 'utf8'))).toEqual({ seed: 2 });
  });

  it('leaves a directory where the latest link should be as it is, and says so', () => {
    mkdirSync(path.join(store, 'latest', 'mine'), { recursive: true });
    const run = runDirCreate(store, 'a', '2025-01-02T03:04:05.000Z');
    const pointed = runLatestPoint(run);
    expect(pointed.ok).toBe(false);
    expect(existsSync(path.join(store, 'latest', 'mine'))).toBe(true);
    expect(readdirSync(store).sort()).toEqual(['a', 'latest']);
  });

  it('copies node logs to nodes/<id>.log and reports the ones that do not exist', () => {
    const run = runDirCreate(store, 't', '2025-01-02T03:04:05.000Z');
    const source = path.join(store, 'w0-source.log');
    writeFileSync(source, '2025-01-02T03:04:05.000Z INFO w0 ready\n');
    const copied = runNodeLogsCopy(run, [
      { node: 'w0', path: source },
      { node: 's00', path: path.join(store, 'nowhere.log') },
    ]);
    expect(copied).toEqual({ copied: ['w0'], missing: ['s00'] });
    expect(readFileSync(path.join(runFilePath(run, 'nodes'), 'w0.log'), 'utf8')).toContain('INFO w0 ready');
  });
});
