import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { clockCreate } from '../../core/clock.js';
import { BlockFile, type SyncDelay } from './block-file.js';

let dir = '';
const files: BlockFile[] = [];
afterEach(async () => {
  for (const file of files.splice(0)) await file.close();
  await rm(dir, { recursive: true, force: true });
});

async function fileOpen(volatileWriteCache: boolean, syncDelay: SyncDelay = { ms: 0 }): Promise<BlockFile> {
  dir = await mkdtemp(path.join(os.tmpdir(), 'quorumlab-blockfile-'));
  const file = await BlockFile.open(path.join(dir, 'f.seg'), { blockBytes: 512, volatileWriteCache, syncDelay });
  files.push(file);
  return file;
}

describe('a block file', () => {
  test.each(['sync', 'syncOffThread'] as const)(
    'with the volatile write cache, written blocks reach the file only at %s, though reads see them at once',
    async (method) => {
      const file = await fileOpen(true);
      await file.write(0, Buffer.alloc(1024, 7));
      expect((await stat(file.path)).size).toBe(0);
      expect((await file.read(1, 1))[0]).toBe(7);
      await file[method]();
      expect((await readFile(file.path)).length).toBe(1024);
    },
  );

  test('without it, written blocks are in the file before sync', async () => {
    const file = await fileOpen(false);
    await file.write(0, Buffer.alloc(512, 9));
    expect((await readFile(file.path))[0]).toBe(9);
  });

  test('closing without sync loses unsynced volatile blocks, as a power cut would', async () => {
    const file = await fileOpen(true);
    await file.write(0, Buffer.alloc(512, 1));
    await file.sync();
    await file.write(1, Buffer.alloc(512, 2));
    await file.close();
    expect((await readFile(file.path)).length).toBe(512);
  });

  test('a change of the shared sync delay holds for the next sync of a file already open', async () => {
    const delay: SyncDelay = { ms: 0 };
    const file = await fileOpen(false, delay);
    const clock = clockCreate();
    const syncMs = async (): Promise<number> => {
      await file.write(0, Buffer.alloc(512, 3));
      const startMs = clock.nowMs();
      await file.sync();
      return clock.nowMs() - startMs;
    };
    delay.ms = 150;
    expect(await syncMs()).toBeGreaterThanOrEqual(145);
    delay.ms = 0;
    expect(await syncMs()).toBeLessThan(100);
  });
});
