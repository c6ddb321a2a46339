import { describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';

describe('crc32c', () => {
  it('matches the standard check value for "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('gives the same result in pieces as in one call', () => {
    const bytes = Buffer.from('the quick brown fox jumps over the lazy dog, twice over');
    const whole = crc32c(bytes);
    const first = crc32c(bytes, 0, 13);
    expect(crc32c(bytes, 13, bytes.length, first)).toBe(whole);
  });

  it('changes when one bit flips', () => {
    const bytes = Buffer.alloc(4096, 7);
    const before = crc32c(bytes);
    bytes[1234] = bytes[1234]! ^ 0x10;
    expect(crc32c(bytes)).not.toBe(before);
  });
});
