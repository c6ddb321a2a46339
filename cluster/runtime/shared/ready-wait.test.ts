// A readiness wait on simulated time: it returns the health once it is ready,
// and otherwise fails with a NodeStartError whose fields (code, reason, log
// tail, port in use) say why, rendered into one message.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import { clockVirtualCreate } from '../../../core/clock.js';
import type { NodeId } from '../../topology.js';
import type { Probe } from './node-health.js';
import { NodeStartError } from './node-start-error.js';
import { readyWait } from './ready-wait.js';
import type { ReadyWait } from './ready-wait.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function logWith(text: string): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-ready-'));
  dirs.push(dir);
  const logPath = path.join(dir, 's00.log');
  writeFileSync(logPath, text);
  return logPath;
}

function wait(overrides: Partial<ReadyWait<{ ready: boolean }>>): ReadyWait<{ ready: boolean }> {
  return {
    nodeId: 's00' as NodeId,
    what: 'storage node s00 ready',
    probe: () => Promise.resolve<Probe<{ ready: boolean }>>({ ok: true, health: { ready: false } }),
    ready: (health) => health.ready,
    timeoutMs: 1000,
    pollMs: 100,
    logPath: logWith('starting\n'),
    where: null,
    exited: () => Promise.resolve(null),
    logRefresh: () => Promise.resolve(),
    ...overrides,
  };
}

test('returns the health once the node answers ready', async () => {
  const clock = clockVirtualCreate();
  let probes = 0;
  const probe = (): Promise<Probe<{ ready: boolean }>> =>
    Promise.resolve({ ok: true, health: { ready: ++probes >= 3 } });
  expect(await clock.runUntil(readyWait(clock, wait({ probe })), 5000)).toEqual({ ready: true });
  expect(probes).toBe(3);
});

test('a node that never gets ready fails with ready-timeout, the last health and its log tail', async () => {
  const clock = clockVirtualCreate();
  const error = await clock.runUntil(
    readyWait(clock, wait({})).catch((thrown: unknown) => thrown),
    5000,
  );
  expect(error).toBeInstanceOf(NodeStartError);
  const failure = (error as NodeStartError).failure;
  expect(failure.code).toBe('ready-timeout');
  expect(failure.why).toBe('not within 1000 ms; last: health {"ready":false}');
  expect(failure.log?.tail).toBe('starting');
  expect((error as NodeStartError).portInUse).toBe(false);
  expect((error as Error).message).toBe(
    `storage node s00 ready: not within 1000 ms; last: health {"ready":false}\n--- last lines of ${failure.log?.path} ---\nstarting`,
  );
});

test('a node whose process ended fails at once with node-exited, and a taken port shows in portInUse', async () => {
  const clock = clockVirtualCreate();
  let refreshed = 0;
  const logPath = logWith('Error: listen EADDRINUSE: address already in use 127.0.0.1:4000\n');
  const error = await clock.runUntil(
    readyWait(
      clock,
      wait({
        logPath,
        where: 'container ql-t-s00',
        probe: () => Promise.resolve({ ok: false, error: 'connection refused' }),
        exited: () => Promise.resolve('exit code 1'),
        logRefresh: () => Promise.resolve(void refreshed++),
      }),
    ).catch((thrown: unknown) => thrown),
    5000,
  );
  expect(error).toBeInstanceOf(NodeStartError);
  expect((error as NodeStartError).code).toBe('node-exited');
  expect((error as NodeStartError).portInUse).toBe(true);
  expect(refreshed).toBe(1);
  expect((error as Error).message).toMatch(
    /^storage node s00 ready: the process exited \(exit code 1\) \(container ql-t-s00\)\n--- last lines of .*s00\.log ---\nError: listen EADDRINUSE/,
  );
  expect(clock.nowMs()).toBe(0);
});
