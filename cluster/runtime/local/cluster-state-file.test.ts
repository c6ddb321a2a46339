import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { clusterStatePath, clusterStateRead } from './cluster-state-file.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const node = {
  id: 's00',
  role: 'storage',
  az: 0,
  listen: { host: '127.0.0.1', port: 4000 },
  pid: 123,
  logPath: '/x/s00.log',
  dataDir: '/x/s00',
};
const state = {
  version: 1,
  pid: 100,
  pidStartTicks: 5,
  ownerCommand: 'node cluster up',
  runId: 'cluster-1',
  startedAt: '2026-01-01T00:00:00Z',
  writer: { host: '127.0.0.1', port: 4001 },
  writers: [{ id: 'w0', address: { host: '127.0.0.1', port: 4001 } }],
  nodes: [node],
};

function read(content: unknown): ReturnType<typeof clusterStateRead> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-state-'));
  dirs.push(dir);
  writeFileSync(clusterStatePath(dir), JSON.stringify(content));
  return clusterStateRead(dir);
}

test('reads back a state file as cluster up writes it', () => {
  expect(read(state)).toEqual({ ok: true, state });
});

test.each([
  [{ ...state, nodes: [{}] }, 'nodes[0].id: expected a non-empty string'],
  [{ ...state, nodes: [{ ...node, role: 'boss' }] }, 'nodes[0].role: expected storage or writer, got "boss"'],
  [{ ...state, nodes: [{ ...node, pid: -1 }] }, 'nodes[0].pid: expected a process id or null, got -1'],
  [{ ...state, nodes: [{ ...node, listen: { host: '127.0.0.1', port: 1e6 } }] }, 'nodes[0].listen.port: expected'],
  // A local cluster listens on the loopback only: a file naming another host is not one.
  [{ ...state, writer: { host: '10.1.2.3', port: 53 } }, 'writer.host: expected a loopback address, got "10.1.2.3"'],
  [{ ...state, writers: [{ id: 'w0' }] }, 'writers[0].address: expected an object'],
  [{ ...state, pid: 0 }, 'pid: expected a process id, got 0'],
  [{ ...state, pidStartTicks: 'x' }, 'pidStartTicks: expected a number or null, got "x"'],
  [{ ...state, ownerCommand: 5 }, 'ownerCommand: expected a string, got 5'],
  [{ ...state, runId: 7 }, 'runId: expected a string, got 7'],
  [[1], 'not a cluster state file of this version'],
  [{ ...state, version: 2 }, 'not a cluster state file of this version'],
])('refuses a damaged state file %#, naming the field', (content, error) => {
  const result = read(content);
  expect(result.ok).toBe(false);
  expect(!result.ok && result.error).toContain(error);
});
