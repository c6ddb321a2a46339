import { describe, expect, it } from 'vitest';
import { crc32c } from '../../core/crc32c.js';
import { FrameDecoder, frameEncode, frameEncodeBinary, frameHeaderBytes } from './frame.js';
import { epochOf, lsnOf, pgIdOf } from './ids.js';
import type { LogRecord, StorageReply, StorageRequest } from './storage-messages.js';

const record = (lsn: number, key: string, value: LogRecord['value'], kind: LogRecord['kind'] = 'put'): LogRecord => ({
  lsn: lsnOf(lsn),
  pg: pgIdOf(2),
  prev: lsnOf(lsn - 1),
  volumeEpoch: epochOf(3),
  membershipEpoch: epochOf(1),
  key,
  kind,
  value,
  cpl: lsn % 2 === 0,
});

const append: StorageRequest = {
  t: 'append',
  rid: 2 ** 40 + 7,
  writerId: 'w1',
  epoch: epochOf(3),
  pg: pgIdOf(2),
  records: [
    record(10, 'a', 1.5),
    record(11, 'ключ', 'значение', 'append'),
    record(12, '', null, 'noop'),
    record(13, 'n', -1e300),
  ],
};
const acks: StorageReply[] = [
  { t: 'ack', rid: 9, epoch: epochOf(3), pg: pgIdOf(2), scl: lsnOf(2 ** 47) },
  { t: 'ack', rid: 0, epoch: epochOf(0) },
];

function withBody(body: Buffer): Buffer {
  const frame = Buffer.alloc(frameHeaderBytes + body.length);
  frame.writeUInt32BE(body.length, 0);
  frame.writeUInt32BE(crc32c(body), 4);
  body.copy(frame, frameHeaderBytes);
  return frame;
}

describe('binary frames of the write path', () => {
  it('decode to the messages encoded, interleaved with JSON frames and however the bytes are split', () => {
    const messages: unknown[] = [append, { t: 'health', rid: 4 }, ...acks];
    const bytes = Buffer.concat([
      frameEncodeBinary(append),
      frameEncode({ t: 'health', rid: 4 }),
      ...acks.map((ack) => frameEncodeBinary(ack as Extract<StorageReply, { t: 'ack' }>)),
    ]);
    for (const step of [1, 5, bytes.length]) {
      const decoder = new FrameDecoder();
      const out: unknown[] = [];
      for (let i = 0; i < bytes.length; i += step) {
        const { messages: got, error } = decoder.push(bytes.subarray(i, i + step));
        expect(error).toBeNull();
        out.push(...got);
      }
      expect(out).toEqual(messages);
    }
  });

  it('are smaller than the JSON frame of the same batch', () => {
    expect(frameEncodeBinary(append).length).toBeLessThan(frameEncode(append).length);
  });

  it.each([
    ['a truncated append', (): Buffer => frameEncodeBinary(append).subarray(frameHeaderBytes, frameHeaderBytes + 30)],
    [
      'an append whose record count overstates its records',
      (): Buffer => {
        const body = Buffer.from(frameEncodeBinary(append).subarray(frameHeaderBytes));
        body.writeUInt32LE(5, 19);
        return body;
      },
    ],
    ['an ack of the wrong length', (): Buffer => Buffer.from([0x02, 0, 0, 0])],
    [
      'an ack with unknown field bits',
      (): Buffer => {
        const body = Buffer.from(frameEncodeBinary({ t: 'ack', rid: 1, epoch: epochOf(1) }).subarray(frameHeaderBytes));
        body.writeUInt8(0x80, 1);
        return body;
      },
    ],
  ])('refuse %s with a reason, though its checksum is right', (_, body) => {
    const { messages, error } = new FrameDecoder().push(withBody(body()));
    expect(messages).toEqual([]);
    expect(error?.code).toBe('frame-binary');
    expect(error?.message).toMatch(/binary frame body is malformed: \w/);
  });
});
