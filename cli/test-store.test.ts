import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

// `quorumlab test` against a run store it cannot or must not use: each refusal
// is one line with exit 3, and nothing already in the store is touched.

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
let work: string;

beforeEach(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-test-store-'));
});

afterEach(() => {
  chmodSync(work, 0o755);
  for (const entry of readdirSync(work)) chmodSync(path.join(work, entry), 0o755);
  rmSync(work, { recursive: true, force: true });
});

function quorumlab(store: string, ...args: string[]) {
  return execa(process.execPath, [cli, 'test', '--runtime', 'memory', '--ops-limit', '5', '--store', store, ...args], {
    cwd: work,
    reject: false,
    timeout: 30_000,
  });
}

function expectOneLineRefusal(result: { exitCode?: number | undefined; stderr: string }, text: string): void {
  expect(result.exitCode, result.stderr).toBe(3);
  expect(result.stderr).toContain(text);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).not.toMatch(/^\s+at /m);
}

describe('quorumlab test: the run store', () => {
  it.each(['latest', 'cluster', 'campaigns', 'latest.1.tmp'])(
    '--name %s is a name the store keeps for itself: refused, and later runs still work',
    async (name) => {
      const store = path.join(work, 'store');
      expectOneLineRefusal(await quorumlab(store, '--name', name), '--name');
      const later = await quorumlab(store);
      expect(later.exitCode, later.stderr).toBe(0);
      expect(lstatSync(path.join(store, 'latest')).isSymbolicLink()).toBe(true);
    },
  );

  it.each([
    ['a directory', (at: string) => mkdirSync(path.join(at, 'keep'), { recursive: true })],
    ['a file', (at: string) => writeFileSync(at, 'mine')],
  ])('a store whose latest is %s is refused, and what is there is kept', async (_kind, plant) => {
    const store = path.join(work, 'store');
    mkdirSync(store);
    plant(path.join(store, 'latest'));
    expectOneLineRefusal(await quorumlab(store), `${path.join(store, 'latest')}`);
    expect(lstatSync(path.join(store, 'latest')).isSymbolicLink()).toBe(false);
    expect(readdirSync(store)).toEqual(['latest']);
  });

  it('a symlink planted inside the store is not followed', async () => {
    const store = path.join(work, 'store');
    const outside = path.join(work, 'outside');
    mkdirSync(store);
    mkdirSync(outside);
    symlinkSync('../outside', path.join(store, 'register-none'));
    expectOneLineRefusal(await quorumlab(store), `${path.join(store, 'register-none')}: is a symbolic link`);
    expect(readdirSync(outside)).toEqual([]);
  });

  it('a store under /proc is refused at once (no spin)', async () => {
    const started = Date.now();
    expectOneLineRefusal(await quorumlab('/proc/self/x'), '--store /proc/self/x');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('a store that is a regular file is refused', async () => {
    const file = path.join(work, 'afile');
    writeFileSync(file, 'mine');
    expectOneLineRefusal(await quorumlab(file), `--store ${file}`);
  });

  it.skipIf(process.getuid?.() === 0)('an unwritable store is refused', async () => {
    const store = path.join(work, 'store');
    mkdirSync(store);
    chmodSync(store, 0o555);
    expectOneLineRefusal(await quorumlab(store), `--store ${store}`);
  });

  it('a store below an unwritable directory is refused', async () => {
    const store = path.join(work, 'afile', 'store');
    writeFileSync(path.join(work, 'afile'), 'mine');
    expectOneLineRefusal(await quorumlab(store), `--store ${store}`);
  });
});

describe('quorumlab cleanup: the run store', () => {
  it('--store naming a regular file is refused in one line', async () => {
    const file = path.join(work, 'afile');
    writeFileSync(file, 'mine');
    const result = await execa(process.execPath, [cli, 'cleanup', '--store', file], {
      cwd: work,
      reject: false,
      timeout: 30_000,
    });
    expectOneLineRefusal(result, `--store ${file}`);
  });
});

describe('quorumlab campaign: the run store', () => {
  it.each([
    ['under /proc', () => '/proc/self/x', '--store /proc/self/x'],
    [
      'a regular file',
      () => {
        writeFileSync(path.join(work, 'afile'), 'mine');
        return path.join(work, 'afile');
      },
      '--store ',
    ],
    [
      'one whose campaigns folder is a link',
      () => {
        mkdirSync(path.join(work, 'outside'));
        mkdirSync(path.join(work, 'store'));
        symlinkSync('../outside', path.join(work, 'store', 'campaigns'));
        return path.join(work, 'store');
      },
      'campaigns: is a symbolic link',
    ],
  ])('a store %s is refused in one line before any test', async (_what, storeOf, message) => {
    const file = path.join(work, 'c.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'c',
        defaults: { runtime: 'memory', opsLimit: 5 },
        matrix: [{ workloads: ['register'] }],
      }),
    );
    const result = await execa(process.execPath, [cli, 'campaign', file, '--store', storeOf()], {
      cwd: work,
      reject: false,
      timeout: 30_000,
    });
    expectOneLineRefusal(result, message);
  });
});
