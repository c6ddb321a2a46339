// A node process refuses bad input at start in one line and exit 3: a config
// file that is not JSON or lacks a field, a cluster config out of range, an
// environment variable out of range. The runtime writes these files, so this
// is about a damaged or hand-edited one, never a stack trace.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { afterEach, expect, test } from 'vitest';
import { projectRootFind } from './runtime/shared/project-root.js';
import { Harness } from './storage/test-support/harness.js';

const harness = new Harness();
afterEach(() => harness.cleanup());

const mains = { storage: 'dist/cluster/storage/main.js', writer: 'dist/cluster/writer/main.js' } as const;
const startOptions = { reject: false, timeout: 15_000, stdin: 'ignore' } as const;

type Config = Record<string, Record<string, unknown>>;

/** A valid node config, as the runtime writes it, turned into a file's text by `text`. */
async function configFile(text: (config: Config) => string): Promise<string> {
  const [config] = await harness.configs(1);
  const file = path.join(await harness.dir(), 'node.json');
  await writeFile(file, text(config as unknown as Config));
  return file;
}

const json = (edit: (config: Config) => unknown) => (config: Config) => JSON.stringify(edit(config));

test.each([
  ['storage', 'not JSON', () => '{"node":', /: not a node config: .*JSON/],
  ['writer', 'not JSON', () => 'nope', /: not a node config: .*JSON/],
  ['storage', 'no node', json((c) => ({ ...c, node: undefined })), /: node: expected an object/],
  [
    'writer',
    'a port out of range',
    json((c) => ({ ...c, node: { ...c['node'], listen: { host: '127.0.0.1', port: 70000 } } })),
    /: node\.listen\.port: expected an integer from 0 to 65535, got 70000/,
  ],
  ['storage', 'peers not a list', json((c) => ({ ...c, peers: 5 })), /: peers: expected a list/],
  [
    'storage',
    'an interval of 0',
    json((c) => ({ ...c, cluster: { ...c['cluster'], storage: { gossipIntervalMs: 0 } } })),
    /cluster\.storage\.gossipIntervalMs: must be an integer from 10 to/,
  ],
] as const)('a %s node refuses a config file with %s: one line, exit 3', async (role, _what, text, message) => {
  const file = await configFile(text);
  const result = await execa(process.execPath, [path.join(projectRootFind(), mains[role]), file], startOptions);
  expect(result.exitCode, result.stderr).toBe(3);
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toMatch(message);
});

test.each(['abc', '-5', '1e12', '5001'])(
  'a storage node refuses QUORUMLAB_STORAGE_SYNC_DELAY_MS=%s: exit 3',
  async (value) => {
    const file = await configFile((config) => JSON.stringify(config));
    const result = await execa(process.execPath, [path.join(projectRootFind(), mains.storage), file], {
      ...startOptions,
      env: { QUORUMLAB_STORAGE_SYNC_DELAY_MS: value },
    });
    expect(result.exitCode, result.stdout).toBe(3);
    expect(result.stderr.trim()).toBe(
      `QUORUMLAB_STORAGE_SYNC_DELAY_MS: expected an integer from 0 to 5000 (ms), got "${value}"`,
    );
  },
);
