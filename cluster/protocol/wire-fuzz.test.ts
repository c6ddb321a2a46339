// Seeded fuzz of the frame decoder and of every parser behind it (storage
// requests, gossip replies, the writer's client requests and storage replies):
// no input throws, a decoder that failed refuses the rest, and valid frames cut
// at random places still decode to exactly what was sent.

import { expect, test } from 'vitest';
import { prngCreate, type Prng } from '../../core/prng.js';
import { gossipReplyParse, storageRequestParse } from '../storage/message-parse.js';
import { requestParse } from '../writer/request-parse.js';
import { storageReplyParse } from '../writer/storage-reply-parse.js';
import { recordKeyValueBytesMax } from '../disk/record-codec.js';
import { FrameDecoder, frameEncode } from './frame.js';
import { fuzzFrame, fuzzScale, storageSeedsAll, writerSeeds } from './test-support/wire-fuzz.js';

const casesPerScale = 3000;
/** Bound on one run's time whatever the scale: the cases stop there. */
const budgetMsPerScale = 3000;
const limits = { pgCount: 4, blockBytes: 4096 };
const seeds = [...storageSeedsAll, ...writerSeeds.map((seed) => frameEncode(seed))];

test.each([1, 2, 3])('seed %i: no stream of fuzzed frames makes a decoder or a parser throw', (seed) => {
  const prng = prngCreate(seed);
  const scale = fuzzScale();
  const deadline = performance.now() + budgetMsPerScale * scale;
  let messages = 0;
  let errors = 0;
  for (let i = 0; i < casesPerScale * scale && performance.now() < deadline; i++) {
    const stream = Buffer.concat(Array.from({ length: prng.between(1, 3) }, () => fuzzFrame(prng, seeds).bytes));
    const decoder = new FrameDecoder(prng.chance(0.5) ? 64 * 1024 : undefined);
    let failed = false;
    for (const chunk of chunksCut(prng, stream)) {
      const pushed = decoder.push(chunk);
      if (failed) expect(pushed.messages).toEqual([]);
      for (const message of pushed.messages) {
        messages++;
        parseAll(message);
      }
      if (pushed.error !== null) {
        errors += failed ? 0 : 1;
        failed = true;
        expect(pushed.error.code).toMatch(/^frame-(oversized|checksum|json|binary)$/);
      }
    }
  }
  // Both sides of the decoder were reached: frames that decode and frames that are refused.
  expect(messages).toBeGreaterThan(100);
  expect(errors).toBeGreaterThan(100);
});

test('valid frames cut at random places decode to exactly the messages sent', () => {
  const prng = prngCreate(7);
  for (let i = 0; i < 500 * fuzzScale(); i++) {
    const sent = Array.from({ length: prng.between(1, 5) }, () => prng.pick(writerSeeds));
    const decoder = new FrameDecoder();
    const received: unknown[] = [];
    for (const chunk of chunksCut(prng, Buffer.concat(sent.map((m) => frameEncode(m))))) {
      const pushed = decoder.push(chunk);
      expect(pushed.error).toBeNull();
      received.push(...pushed.messages);
    }
    expect(received).toEqual(sent);
  }
});

function parseAll(message: unknown): void {
  const storage = storageRequestParse(message, limits);
  expect(typeof storage.ok).toBe('boolean');
  expect(typeof gossipReplyParse(message, limits).ok).toBe('boolean');
  expect(typeof storageReplyParse(message).ok).toBe('boolean');
  expect(requestParse(message, recordKeyValueBytesMax).t).toMatch(/^(request|invalid|bad-request)$/);
}

/** The stream in 1 to 5 pieces at random places (pieces of 0 bytes included). */
function chunksCut(prng: Prng, stream: Buffer): Buffer[] {
  const cuts = Array.from({ length: prng.int(5) }, () => prng.int(stream.length + 1)).sort((a, b) => a - b);
  const out: Buffer[] = [];
  let at = 0;
  for (const cut of [...cuts, stream.length]) {
    out.push(stream.subarray(at, cut));
    at = cut;
  }
  return out;
}
