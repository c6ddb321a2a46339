// The run store: every run gets store/<test-name>/<timestamp>/ with its config,
// history, results and node logs, and store/latest points at the newest run.
// JSON files and the `latest` link are replaced atomically (write aside, then
// rename), so a reader never sees half a file or a missing link.

import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { assert } from '../core/assert.js';
import { storeLatestCheck, storeNameReserved, type StoreCheck } from './store-dir.js';

export const runFiles = Object.freeze({
  test: 'test.json',
  history: 'history.jsonl',
  results: 'results.json',
  latency: 'latency.hdr',
  nodes: 'nodes',
  /** The nodes' data and logs while the run lasts (removed at its end; left by a killed run). */
  nodeData: 'node-data',
});

/** Bound on suffixed names tried when two runs of one test start within the same millisecond. */
const runDirAttemptsMax = 100;

export interface RunDir {
  readonly storeDir: string;
  readonly testName: string;
  /** The directory name: the start's wall time, file-name safe, sortable. */
  readonly stamp: string;
  /** store/<test-name>/<stamp> */
  readonly path: string;
}

/**
 * Creates a fresh, empty run directory in a store checked by store-dir.ts. Throws on I/O errors (the run
 * cannot start without it), and when store/<test-name> turned into a link or a file since the check.
 */
export function runDirCreate(storeDir: string, testName: string, wallIso: string): RunDir {
  assert(/^[A-Za-z0-9][A-Za-z0-9._+-]*$/.test(testName), `test name must be a safe directory name, got "${testName}"`);
  assert(!storeNameReserved(testName), `test name "${testName}" is one the store keeps for itself`);
  const testDir = path.join(storeDir, testName);
  try {
    mkdirSync(testDir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if (!lstatSync(testDir).isDirectory()) throw new Error(`${testDir}: is not a directory (a link or a file)`);
  const base = wallIso.replaceAll(':', '-');
  for (let attempt = 0; attempt < runDirAttemptsMax; attempt++) {
    const stamp = attempt === 0 ? base : `${base}-${attempt}`;
    const dir = path.join(testDir, stamp);
    try {
      mkdirSync(dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue;
      throw error;
    }
    return Object.freeze({ storeDir, testName, stamp, path: dir });
  }
  throw new Error(`${testDir}: ${runDirAttemptsMax} run directories named ${base} already exist`);
}

export function runFilePath(run: RunDir, file: string): string {
  return path.join(run.path, file);
}

/**
 * Points store/latest at this run: a relative symlink made aside and renamed over the old one. A directory
 * or a file where the link should be is left as it is, and said.
 */
export function runLatestPoint(run: RunDir): StoreCheck {
  const check = storeLatestCheck(run.storeDir);
  if (!check.ok) return check;
  const link = path.join(run.storeDir, 'latest');
  const aside = `${link}.${process.pid}.tmp`;
  rmSync(aside, { force: true });
  symlinkSync(path.join(run.testName, run.stamp), aside);
  try {
    renameSync(aside, link);
  } catch (error) {
    rmSync(aside, { force: true });
    return { ok: false, error: `${link}: not pointed at the newest run: ${(error as Error).message}` };
  }
  return check;
}

/** Writes a file of the run atomically. */
export function runFileWrite(run: RunDir, file: string, content: string): void {
  const target = runFilePath(run, file);
  const aside = `${target}.tmp`;
  writeFileSync(aside, content);
  renameSync(aside, target);
}

export function runJsonWrite(run: RunDir, file: string, value: unknown): void {
  runFileWrite(run, file, `${JSON.stringify(value, null, 2)}\n`);
}

export interface NodeLogSource {
  readonly node: string;
  readonly path: string;
}

/** Copies node logs to nodes/<id>.log; a log that does not exist is reported, not an error. */
export function runNodeLogsCopy(
  run: RunDir,
  logs: readonly NodeLogSource[],
): { readonly copied: readonly string[]; readonly missing: readonly string[] } {
  const dir = runFilePath(run, runFiles.nodes);
  mkdirSync(dir, { recursive: true });
  const copied: string[] = [];
  const missing: string[] = [];
  for (const log of logs) {
    if (!existsSync(log.path)) {
      missing.push(log.node);
      continue;
    }
    copyFileSync(log.path, path.join(dir, `${log.node}.log`));
    copied.push(log.node);
  }
  return { copied, missing };
}
