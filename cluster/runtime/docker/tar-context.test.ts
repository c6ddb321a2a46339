// The tar archive a build context is sent as, read back by the system's tar:
// modes, a file streamed from disk, and a name longer than ustar holds.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import { afterEach, expect, test } from 'vitest';
import { tarStream } from './tar-context.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

test('the build context tar, long names and modes included, reads back with the system tar', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'quorumlab-tar-'));
  dirs.push(dir);
  const hostFile = path.join(dir, 'big.bin');
  writeFileSync(hostFile, Buffer.alloc(70_000, 7));
  const longName = `app/node_modules/${'deep/'.repeat(30)}index.js`;
  const archive = await buffer(
    tarStream([
      { kind: 'dir', name: 'rootfs/tmp', mode: 0o1777 },
      { kind: 'file', name: 'Dockerfile', mode: 0o644, data: Buffer.from('FROM scratch\n') },
      { kind: 'host-file', name: 'rootfs/usr/local/bin/node', mode: 0o755, hostPath: hostFile },
      { kind: 'file', name: longName, mode: 0o644, data: Buffer.from('export {};\n') },
    ]),
  );
  const tarPath = path.join(dir, 'context.tar');
  writeFileSync(tarPath, archive);
  const listing = execFileSync('tar', ['-tvf', tarPath], { encoding: 'utf8' }).trim().split('\n');
  expect(listing.map((line) => line.split(/\s+/)[0])).toEqual(['drwxrwxrwt', '-rw-r--r--', '-rwxr-xr-x', '-rw-r--r--']);
  expect(listing.map((line) => line.split(/\s+/).at(-1))).toEqual([
    'rootfs/tmp/',
    'Dockerfile',
    'rootfs/usr/local/bin/node',
    longName,
  ]);
  expect(listing[2]).toContain(' 70000 ');
});
