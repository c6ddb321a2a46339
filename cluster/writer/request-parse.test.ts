import { describe, expect, it } from 'vitest';
import { requestParse } from './request-parse.js';

describe('requestParse', () => {
  it.each([
    [{ t: 'write', id: 1, key: 'a', value: 3 }, 'request'],
    [{ t: 'cas', id: 2, key: 'a', from: null, to: 'x' }, 'request'],
    [{ t: 'promote', id: 3 }, 'request'],
    [{ t: 'frobnicate', id: 4 }, 'bad-request'],
    [{ t: 'write', id: 5, key: 7, value: 3 }, 'bad-request'],
    [{ t: 'write', id: 6, key: 'a', value: { nested: true } }, 'bad-request'],
    [{ t: 'append', id: 7, key: 'a', value: Number.NaN }, 'bad-request'],
    [{ t: 'read', id: 8, key: 'a', extra: 1 }, 'bad-request'],
    [{ t: 'tune', id: 10, storageReadsMs: 5000, readSpread: 'round-robin' }, 'request'],
    [{ t: 'tune', id: 11 }, 'request'],
    [{ t: 'tune', id: 12, storageReadsMs: 60_001 }, 'bad-request'],
    [{ t: 'tune', id: 13, storageReadsMs: -1 }, 'bad-request'],
    [{ t: 'tune', id: 14, storageReadsMs: 1.5 }, 'bad-request'],
    [{ t: 'tune', id: 15, readSpread: 'random' }, 'bad-request'],
    [{ t: 'tune', id: 16, syncDelayMs: 10 }, 'bad-request'],
    [{ t: 'read', key: 'a' }, 'invalid'],
    [[1, 2], 'invalid'],
  ])('classifies %j as %s', (raw, expected) => {
    expect(requestParse(raw, 1024).t).toBe(expected);
  });

  it('refuses a value larger than a storage block holds, naming the sizes', () => {
    const parsed = requestParse({ t: 'write', id: 9, key: 'k', value: 'x'.repeat(2000) }, 1024);
    expect(parsed.t).toBe('bad-request');
    expect(parsed.t === 'bad-request' && parsed.message).toMatch(/2001 bytes.*1024/);
  });
});
