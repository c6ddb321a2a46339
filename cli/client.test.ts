import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';

// `quorumlab client` refuses what cannot work before it dials: nothing listens
// on the address these tests give, so a refusal that came later would say so.

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist/cli/main.js');
/** A port nothing listens on: the refusals below must come before any dial. */
const nowhere = '127.0.0.1:1';

function client(...args: string[]) {
  return execa(process.execPath, [cli, 'client', '--addr', nowhere, ...args], { reject: false, timeout: 30_000 });
}

describe('quorumlab client: bad input', () => {
  it('a key and value over the frame limit are refused before sending, naming the limit', async () => {
    const result = await client('write', 'k', 'x'.repeat(70_000));
    expect(result.exitCode).toBe(3);
    expect(result.stderr).toMatch(
      /^quorumlab: write: the request is about \d+ bytes, over the writer's frame limit of 65536 bytes/,
    );
    expect(result.stderr).toContain('nothing was sent');
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.each([['9999999h'], ['2h']])('--timeout %s is refused naming the flag and the largest value', async (value) => {
    const result = await client('--timeout', value, 'read', 'k');
    expect(result.exitCode).toBe(3);
    expect(result.stderr.trim()).toBe(`quorumlab: --timeout: at most 1h, got "${value}"`);
  });

  it('a request within the limit is sent (and here finds nobody listening)', async () => {
    const result = await client('--timeout', '2s', 'write', 'k', 'x'.repeat(1000));
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toContain('cannot reach the writer');
  });
});
