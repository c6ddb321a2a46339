import { describe, expect, it } from 'vitest';
import { FrameDecoder, frameEncode, frameHeaderBytes } from './frame.js';

describe('wire frames', () => {
  it('decodes what it encodes, however the bytes are split', () => {
    const messages = [
      { t: 'write', id: 1, key: 'k', value: 7 },
      { t: 'read', id: 2, key: 'ключ' },
      { t: 'health', id: 3 },
    ];
    const bytes = Buffer.concat(messages.map((message) => frameEncode(message)));
    for (const step of [1, 3, 7, bytes.length]) {
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

  it('refuses a frame whose body fails its checksum, and everything after it', () => {
    const frame = frameEncode({ t: 'write', id: 1, key: 'k', value: 7 });
    frame[frameHeaderBytes + 3] = frame[frameHeaderBytes + 3]! ^ 0x01;
    const decoder = new FrameDecoder();
    const first = decoder.push(Buffer.concat([frameEncode({ t: 'health', id: 0 }), frame]));
    expect(first.messages).toEqual([{ t: 'health', id: 0 }]);
    expect(first.error?.code).toBe('frame-checksum');
    const after = decoder.push(frameEncode({ t: 'health', id: 9 }));
    expect(after.messages).toEqual([]);
    expect(after.error?.code).toBe('frame-checksum');
  });

  it('refuses an oversized length before reading the body', () => {
    const header = Buffer.alloc(frameHeaderBytes);
    header.writeUInt32BE(1024 * 1024, 0);
    const { messages, error } = new FrameDecoder(64 * 1024).push(header);
    expect(messages).toEqual([]);
    expect(error?.code).toBe('frame-oversized');
    expect(error?.message).toContain('exceeds the limit of 65536');
  });

  it('refuses a body that passes its checksum but is not JSON', async () => {
    const body = Buffer.from('{not json', 'utf8');
    const { crc32c } = await import('../../core/crc32c.js');
    const frame = Buffer.alloc(frameHeaderBytes + body.length);
    frame.writeUInt32BE(body.length, 0);
    frame.writeUInt32BE(crc32c(body), 4);
    body.copy(frame, frameHeaderBytes);
    expect(new FrameDecoder().push(frame).error?.code).toBe('frame-json');
  });
});
