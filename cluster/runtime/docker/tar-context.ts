// A build context for the engine, streamed as a tar archive without writing it
// to disk: POSIX ustar headers, with a PAX header for names longer than ustar
// holds. Files are read when their turn comes, so a large binary is never held
// in memory whole. Modes are kept; owners and times are fixed, so the same
// inputs give the same archive.

import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';

export type TarEntry =
  | { readonly kind: 'dir'; readonly name: string; readonly mode: number }
  | { readonly kind: 'file'; readonly name: string; readonly mode: number; readonly data: Buffer }
  | { readonly kind: 'host-file'; readonly name: string; readonly mode: number; readonly hostPath: string };

const blockBytes = 512;
const ustarNameMax = 100;

export function tarStream(entries: readonly TarEntry[]): Readable {
  return Readable.from(tarChunks(entries));
}

async function* tarChunks(entries: readonly TarEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    const name = entry.kind === 'dir' && !entry.name.endsWith('/') ? `${entry.name}/` : entry.name;
    const size = entrySize(entry);
    if (Buffer.byteLength(name) > ustarNameMax) yield* paxPath(name);
    yield header(name.slice(0, ustarNameMax), entry.mode, size, entry.kind === 'dir' ? '5' : '0');
    if (entry.kind === 'file') yield entry.data;
    if (entry.kind === 'host-file') yield* fileChunks(entry.hostPath, size);
    if (size % blockBytes !== 0) yield Buffer.alloc(blockBytes - (size % blockBytes));
  }
  yield Buffer.alloc(2 * blockBytes);
}

function entrySize(entry: TarEntry): number {
  switch (entry.kind) {
    case 'dir':
      return 0;
    case 'file':
      return entry.data.length;
    case 'host-file':
      return statSync(entry.hostPath).size;
  }
}

async function* fileChunks(hostPath: string, size: number): AsyncGenerator<Buffer> {
  let read = 0;
  for await (const chunk of createReadStream(hostPath)) {
    const buffer = chunk as Buffer;
    read += buffer.length;
    if (read > size) throw new Error(`${hostPath} grew while it was being archived`);
    yield buffer;
  }
  if (read !== size) throw new Error(`${hostPath} shrank while it was being archived (${read} of ${size} bytes)`);
}

/** A PAX extended header carrying the full path of the entry that follows. */
function* paxPath(name: string): Generator<Buffer> {
  const body = `path=${name}\n`;
  // The record starts with its own length in decimal, which counts its own digits.
  let length = Buffer.byteLength(body) + 2;
  while (String(length).length + 1 + Buffer.byteLength(body) !== length)
    length = String(length).length + 1 + Buffer.byteLength(body);
  const record = Buffer.from(`${length} ${body}`);
  yield header('././@PaxHeader', 0o644, record.length, 'x');
  yield record;
  if (record.length % blockBytes !== 0) yield Buffer.alloc(blockBytes - (record.length % blockBytes));
}

function header(name: string, mode: number, size: number, type: string): Buffer {
  const block = Buffer.alloc(blockBytes);
  block.write(name, 0, ustarNameMax, 'utf8');
  octal(block, 100, 8, mode);
  octal(block, 108, 8, 0);
  octal(block, 116, 8, 0);
  octal(block, 124, 12, size);
  octal(block, 136, 12, 0);
  block.write(type, 156, 1, 'ascii');
  block.write('ustar\u0000', 257, 6, 'ascii');
  block.write('00', 263, 2, 'ascii');
  // The checksum is computed with its own field read as spaces.
  block.fill(0x20, 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  octal(block, 148, 7, sum);
  return block;
}

function octal(block: Buffer, offset: number, width: number, value: number): void {
  block.write(`${value.toString(8).padStart(width - 1, '0')}\u0000`, offset, width, 'ascii');
}
