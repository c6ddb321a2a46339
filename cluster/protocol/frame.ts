// Wire frames shared by every connection of the store: an 8-byte header (body
// length, CRC32C of the body, both u32 big-endian) and a UTF-8 JSON body.
// A decoder error is final for its connection: the caller logs the reason and
// closes the socket; nothing of a bad frame reaches the node's state.

import { crc32c } from '../../core/crc32c.js';

export const frameHeaderBytes = 8;
/** Default bound on one frame's body; recovery transfers are the largest messages. */
export const frameBodyBytesMaxDefault = 16 * 1024 * 1024;

export function frameEncode(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  const frame = Buffer.allocUnsafe(frameHeaderBytes + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.writeUInt32BE(crc32c(body), 4);
  body.copy(frame, frameHeaderBytes);
  return frame;
}

export type FrameError = { readonly code: 'frame-oversized' | 'frame-checksum' | 'frame-json'; readonly message: string };

/**
 * Incremental decoder for one connection. `push` returns the messages that are
 * complete so far, or the first error; after an error the decoder refuses all
 * further input.
 */
export class FrameDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private failed: FrameError | null = null;

  constructor(private readonly bodyBytesMax: number = frameBodyBytesMaxDefault) {}

  push(chunk: Buffer): { messages: unknown[]; error: FrameError | null } {
    const messages: unknown[] = [];
    if (this.failed) return { messages, error: this.failed };
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= frameHeaderBytes) {
      const head = this.peek(frameHeaderBytes);
      const length = head.readUInt32BE(0);
      if (length > this.bodyBytesMax) {
        return this.fail(messages, 'frame-oversized', `frame body of ${length} bytes exceeds the limit of ${this.bodyBytesMax}`);
      }
      if (this.buffered < frameHeaderBytes + length) break;
      const frame = this.take(frameHeaderBytes + length);
      const body = frame.subarray(frameHeaderBytes);
      const expected = frame.readUInt32BE(4);
      const actual = crc32c(body);
      if (actual !== expected) {
        return this.fail(messages, 'frame-checksum', `frame checksum mismatch: header says ${hex(expected)}, body has ${hex(actual)}`);
      }
      try {
        messages.push(JSON.parse(body.toString('utf8')) as unknown);
      } catch (error) {
        return this.fail(messages, 'frame-json', `frame body is not JSON: ${(error as Error).message}`);
      }
    }
    return { messages, error: null };
  }

  private fail(messages: unknown[], code: FrameError['code'], message: string): { messages: unknown[]; error: FrameError } {
    this.failed = { code, message };
    this.chunks = [];
    this.buffered = 0;
    return { messages, error: this.failed };
  }

  private peek(bytes: number): Buffer {
    const first = this.chunks[0]!;
    if (first.length >= bytes) return first;
    this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0]!;
  }

  private take(bytes: number): Buffer {
    const joined = this.peek(bytes);
    const out = joined.subarray(0, bytes);
    const rest = joined.subarray(bytes);
    this.chunks.shift();
    if (rest.length > 0) this.chunks.unshift(rest);
    this.buffered -= bytes;
    return out;
  }
}

function hex(n: number): string {
  return `0x${n.toString(16).padStart(8, '0')}`;
}
