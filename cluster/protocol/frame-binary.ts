// Binary frame bodies for the two messages of the write path, `append` and its
// `ack`. The records travel in the encoding of hot-log blocks (record-codec.ts),
// so a batch is encoded once for every replica and decoded without JSON; every
// other message stays JSON. A binary body starts with a tag byte that no JSON
// object body can start with, and decodes to the same plain object JSON would
// give, so the receivers validate both alike.

import { assert } from '../../core/assert.js';
import { recordEncode, recordEncodedBytes, recordsDecode } from '../disk/record-codec.js';
import { epochOf, pgIdOf } from './ids.js';
import type { StorageReply, StorageRequest } from './storage-messages.js';

export const bodyTagAppend = 0x01;
export const bodyTagAck = 0x02;

/** tag u8, rid f64, epoch u32, pg u32, writerId bytes u16, record count u32; then writerId (UTF-8) and the records. */
const appendFixedBytes = 1 + 8 + 4 + 4 + 2 + 4;
/** tag u8, present fields u8 (bit 0 pg, bit 1 scl), rid f64, epoch u32, pg u32, scl f64. */
const ackBytes = 1 + 1 + 8 + 4 + 4 + 8;
const ackHasPg = 1;
const ackHasScl = 2;

type AppendBody = Extract<StorageRequest, { t: 'append' }>;
type AckBody = Extract<StorageReply, { t: 'ack' }>;
/** The messages that have a binary body. */
export type BinaryMessage = AppendBody | AckBody;

export type BinaryDecode =
  { readonly ok: true; readonly message: unknown } | { readonly ok: false; readonly reason: string };

/** The frame of `message` with its body encoded at `offset`; the caller writes the header before it. */
export function binaryFrameEncode(message: BinaryMessage, offset: number): Buffer {
  return message.t === 'append' ? appendEncode(message, offset) : ackEncode(message, offset);
}

/** Whether a body is binary (by its first byte); JSON bodies start with '{'. */
export function bodyIsBinary(body: Buffer): boolean {
  return body.length > 0 && (body[0] === bodyTagAppend || body[0] === bodyTagAck);
}

/** Decodes a binary body; a malformed one is a reason, never an exception. */
export function binaryBodyDecode(body: Buffer): BinaryDecode {
  return body[0] === bodyTagAppend ? appendDecode(body) : ackDecode(body);
}

function appendEncode(message: AppendBody, offset: number): Buffer {
  const writerIdBytes = Buffer.byteLength(message.writerId, 'utf8');
  assert(writerIdBytes <= 0xffff, `writer id of ${writerIdBytes} bytes is too long for an append frame`);
  let recordsBytes = 0;
  for (const record of message.records) recordsBytes += recordEncodedBytes(record);
  const frame = Buffer.allocUnsafe(offset + appendFixedBytes + writerIdBytes + recordsBytes);
  let at = offset;
  frame.writeUInt8(bodyTagAppend, at);
  frame.writeDoubleLE(message.rid, at + 1);
  frame.writeUInt32LE(message.epoch, at + 9);
  frame.writeUInt32LE(message.pg, at + 13);
  frame.writeUInt16LE(writerIdBytes, at + 17);
  frame.writeUInt32LE(message.records.length, at + 19);
  at += appendFixedBytes;
  at += frame.write(message.writerId, at, 'utf8');
  for (const record of message.records) {
    assert(record.pg === message.pg, `record ${record.lsn} of pg ${record.pg} in an append for pg ${message.pg}`);
    at = recordEncode(record, frame, at);
  }
  assert(at === frame.length, `append frame encoded ${at} of ${frame.length} bytes`);
  return frame;
}

function appendDecode(body: Buffer): BinaryDecode {
  if (body.length < appendFixedBytes)
    return { ok: false, reason: `append body of ${body.length} bytes is shorter than its fixed part` };
  const rid = body.readDoubleLE(1);
  const epoch = epochOf(body.readUInt32LE(9));
  const pg = pgIdOf(body.readUInt32LE(13));
  const writerIdEnd = appendFixedBytes + body.readUInt16LE(17);
  const count = body.readUInt32LE(19);
  if (writerIdEnd > body.length) return { ok: false, reason: 'append writer id runs past the body' };
  const decoded = recordsDecode(body, writerIdEnd, body.length, count, pg);
  if (!decoded.ok) return { ok: false, reason: `append records: ${decoded.reason}` };
  const writerId = body.toString('utf8', appendFixedBytes, writerIdEnd);
  return { ok: true, message: { t: 'append', rid, writerId, epoch, pg, records: decoded.records } };
}

function ackEncode(message: AckBody, offset: number): Buffer {
  const frame = Buffer.alloc(offset + ackBytes);
  const fields = (message.pg === undefined ? 0 : ackHasPg) | (message.scl === undefined ? 0 : ackHasScl);
  frame.writeUInt8(bodyTagAck, offset);
  frame.writeUInt8(fields, offset + 1);
  frame.writeDoubleLE(message.rid, offset + 2);
  frame.writeUInt32LE(message.epoch, offset + 10);
  frame.writeUInt32LE(message.pg ?? 0, offset + 14);
  frame.writeDoubleLE(message.scl ?? 0, offset + 18);
  return frame;
}

function ackDecode(body: Buffer): BinaryDecode {
  if (body.length !== ackBytes) return { ok: false, reason: `ack body of ${body.length} bytes, expected ${ackBytes}` };
  const fields = body.readUInt8(1);
  if ((fields & ~(ackHasPg | ackHasScl)) !== 0)
    return { ok: false, reason: `ack has unknown field bits 0x${fields.toString(16)}` };
  const ack: { t: 'ack'; rid: number; epoch: number; pg?: number; scl?: number } = {
    t: 'ack',
    rid: body.readDoubleLE(2),
    epoch: body.readUInt32LE(10),
  };
  if ((fields & ackHasPg) !== 0) ack.pg = body.readUInt32LE(14);
  if ((fields & ackHasScl) !== 0) ack.scl = body.readDoubleLE(18);
  return { ok: true, message: ack };
}
