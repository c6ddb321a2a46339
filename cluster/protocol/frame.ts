// Wire frames shared by every connection of the store: an 8-byte header (body
// length, CRC32C of the body, both u32 big-endian) and a UTF-8 JSON body, or a
// binary one for the write path's append and ack (frame-binary.ts).
// A decoder error is final for its connection: the caller logs the reason and
// closes the socket; nothing of a bad frame reaches the node's state.

import type { Socket } from 'node:net';
import { crc32c } from '../../core/crc32c.js';
import { binaryBodyDecode, binaryFrameEncode, bodyIsBinary, type BinaryMessage } from './frame-binary.js';

export const frameHeaderBytes = 8;
/** Default bound on one frame's body; recovery transfers are the largest messages. */
export const frameBodyBytesMaxDefault = 16 * 1024 * 1024;

/** A JSON frame: any message, well-formed or not (tests send broken ones on purpose). */
export function frameEncode(message: unknown): Buffer {
  const json = JSON.stringify(message);
  const frame = Buffer.allocUnsafe(frameHeaderBytes + Buffer.byteLength(json, 'utf8'));
  const length = frame.write(json, frameHeaderBytes, 'utf8');
  frame.writeUInt32BE(length, 0);
  frame.writeUInt32BE(crc32c(frame, frameHeaderBytes), 4);
  return frame;
}

/** Sockets with writes held back until the current turn of the event loop ends. */
const socketsCorked = new WeakSet<Socket>();

/**
 * Writes an encoded frame. Every frame written to one socket in one turn of the
 * event loop leaves in a single system call when the turn's callbacks are done:
 * a batch of answers costs one send, and the peer one wake-up, instead of one each.
 */
export function frameWrite(socket: Socket, frame: Buffer): void {
  if (!socketsCorked.has(socket)) {
    socketsCorked.add(socket);
    socket.cork();
    process.nextTick(socketUncork, socket);
  }
  socket.write(frame);
}

function socketUncork(socket: Socket): void {
  socketsCorked.delete(socket);
  socket.uncork();
}

/** A binary frame for the write path's append or ack: encoded once per batch, decoded without JSON. */
export function frameEncodeBinary(message: BinaryMessage): Buffer {
  const frame = binaryFrameEncode(message, frameHeaderBytes);
  frame.writeUInt32BE(frame.length - frameHeaderBytes, 0);
  frame.writeUInt32BE(crc32c(frame, frameHeaderBytes), 4);
  return frame;
}

export type FrameError = {
  readonly code: 'frame-oversized' | 'frame-checksum' | 'frame-json' | 'frame-binary';
  readonly message: string;
};

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

  /** Bytes held of a frame not yet complete: a server closes a connection whose partial frame stops arriving. */
  get bufferedBytes(): number {
    return this.buffered;
  }

  push(chunk: Buffer): { messages: unknown[]; error: FrameError | null } {
    const messages: unknown[] = [];
    if (this.failed) return { messages, error: this.failed };
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    while (this.buffered >= frameHeaderBytes) {
      const head = this.peek(frameHeaderBytes);
      const length = head.readUInt32BE(0);
      if (length > this.bodyBytesMax) {
        return this.fail(
          messages,
          'frame-oversized',
          `frame body of ${length} bytes exceeds the limit of ${this.bodyBytesMax}`,
        );
      }
      if (this.buffered < frameHeaderBytes + length) break;
      const frame = this.take(frameHeaderBytes + length);
      const body = frame.subarray(frameHeaderBytes);
      const expected = frame.readUInt32BE(4);
      const actual = crc32c(body);
      if (actual !== expected) {
        return this.fail(
          messages,
          'frame-checksum',
          `frame checksum mismatch: header says ${hex(expected)}, body has ${hex(actual)}`,
        );
      }
      if (bodyIsBinary(body)) {
        const decoded = binaryBodyDecode(body);
        if (!decoded.ok)
          return this.fail(messages, 'frame-binary', `binary frame body is malformed: ${decoded.reason}`);
        messages.push(decoded.message);
        continue;
      }
      try {
        messages.push(JSON.parse(body.toString('utf8')) as unknown);
      } catch (error) {
        return this.fail(messages, 'frame-json', `frame body is not JSON: ${(error as Error).message}`);
      }
    }
    return { messages, error: null };
  }

  private fail(
    messages: unknown[],
    code: FrameError['code'],
    message: string,
  ): { messages: unknown[]; error: FrameError } {
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
