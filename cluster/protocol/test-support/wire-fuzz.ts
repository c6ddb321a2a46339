// Seeded frames for fuzzing the wire: random bytes, and valid frames of the
// storage and writer protocols mutated at the byte level (with and without a
// fresh checksum, so the parsers behind the checksum are reached), in a field
// (a JSON value swapped for a hostile one), or in the header's length.
// QUORUMLAB_FUZZ_SCALE multiplies the case counts (1 in `npm test`, more nightly).

import { crc32c } from '../../../core/crc32c.js';
import type { Prng } from '../../../core/prng.js';
import { frameEncode, frameEncodeBinary, frameHeaderBytes } from '../frame.js';
import type { LogRecord } from '../storage-messages.js';

/** Bound on the scale, so a typo in the variable cannot make a run endless. */
const fuzzScaleMax = 1000;

/** The case multiplier from QUORUMLAB_FUZZ_SCALE (a positive integer; 1 when unset). */
export function fuzzScale(): number {
  const text = process.env['QUORUMLAB_FUZZ_SCALE'];
  if (text === undefined || text === '') return 1;
  const scale = Number(text);
  if (!Number.isInteger(scale) || scale < 1 || scale > fuzzScaleMax)
    throw new Error(`QUORUMLAB_FUZZ_SCALE: expected an integer from 1 to ${fuzzScaleMax}, got "${text}"`);
  return scale;
}

export interface FuzzFrame {
  readonly bytes: Buffer;
  /** Whether the decoder sees a whole frame (or a bad header): a server owes it an answer or a close. */
  readonly complete: boolean;
  readonly how: string;
}

// Cast once here: the identifiers of the protocol types may be branded.
const record = {
  lsn: 1,
  pg: 0,
  prev: 0,
  volumeEpoch: 3,
  membershipEpoch: 1,
  key: 'k',
  kind: 'put',
  value: 1,
  cpl: true,
} as LogRecord;

/** A message written with plain numbers, as the wire carries it, typed as the encoder's branded message. */
function wire(message: object): Parameters<typeof frameEncodeBinary>[0] {
  return message as Parameters<typeof frameEncodeBinary>[0];
}

/** Requests a storage node may get from anyone without its state changing (a state-read adopts its epoch). */
export const storageSeedsReadOnly: readonly object[] = [
  { t: 'health', rid: 1 },
  { t: 'read', rid: 2, pg: 0, key: 'k', readPoint: 0 },
  { t: 'gossip-pull', rid: 3, from: 's99', pg: 0, afterLsn: 0, lsns: [1, 2], limit: 10 },
];

/** Every storage message, the write path's binary ones included: for the decoders and parsers alone. */
export const storageSeedsAll: readonly Buffer[] = [
  ...storageSeedsReadOnly.map((seed) => frameEncode(seed)),
  frameEncode({ t: 'state-read', rid: 4, writerId: 'w9', epoch: 0, pg: 0, afterLsn: 0, limit: 10 }),
  frameEncode({ t: 'epoch-claim', rid: 5, writerId: 'w0', epoch: 3 }),
  frameEncode({
    t: 'truncate',
    rid: 6,
    writerId: 'w0',
    epoch: 3,
    truncation: { epoch: 3, pg: 0, afterLsn: 1, uptoLsn: 9 },
  }),
  frameEncode({ t: 'tune', rid: 7, syncDelayMs: 5 }),
  frameEncode({ t: 'scrub', rid: 8 }),
  frameEncodeBinary(
    wire({ t: 'append', rid: 9, writerId: 'w0', epoch: 3, pg: 0, records: [record, { ...record, lsn: 2, prev: 1 }] }),
  ),
  frameEncodeBinary(wire({ t: 'ack', rid: 10, epoch: 3, pg: 0, scl: 2 })),
];

/** Client requests to the writer whose effect is at most a key written. */
export const writerSeeds: readonly object[] = [
  { t: 'health', id: 1 },
  { t: 'read', id: 2, key: 'fuzz-k' },
  { t: 'write', id: 3, key: 'fuzz-k', value: 7 },
  { t: 'cas', id: 4, key: 'fuzz-k', from: 7, to: 8 },
  { t: 'append', id: 5, key: 'fuzz-l', value: 'x' },
  { t: 'read-list', id: 6, key: 'fuzz-l' },
];

const hostileValues: readonly unknown[] = [
  null,
  -1,
  0,
  1.5,
  2 ** 53,
  1e300,
  -1e300,
  '',
  'x'.repeat(70_000),
  '\u0000\ud800',
  [],
  [1, 'a', null],
  {},
  { t: 'health' },
  true,
];

/** One frame: random bytes, or a seed mutated one of five ways. */
export function fuzzFrame(prng: Prng, seeds: readonly Buffer[]): FuzzFrame {
  const seed = prng.pick(seeds);
  switch (prng.int(6)) {
    case 0:
      return { bytes: randomBytes(prng, prng.between(1, 64)), complete: false, how: 'random bytes' };
    case 1:
      return { bytes: withChecksum(bodyFlipped(prng, seed)), complete: true, how: 'body byte, fresh checksum' };
    case 2:
      return { bytes: bodyFlipped(prng, seed), complete: true, how: 'body byte, stale checksum' };
    case 3:
      return fieldSwapped(prng, seed);
    case 4:
      return lengthChanged(prng, seed);
    default:
      return { bytes: seed.subarray(0, prng.int(seed.length)), complete: false, how: 'truncated' };
  }
}

function randomBytes(prng: Prng, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = prng.int(256);
  return out;
}

function bodyFlipped(prng: Prng, seed: Buffer): Buffer {
  const out = Buffer.from(seed);
  const flips = prng.between(1, 4);
  for (let i = 0; i < flips && out.length > frameHeaderBytes; i++) {
    const at = prng.between(frameHeaderBytes, out.length - 1);
    out[at] = out[at]! ^ (1 << prng.int(8));
  }
  return out;
}

function withChecksum(frame: Buffer): Buffer {
  frame.writeUInt32BE(crc32c(frame, frameHeaderBytes), 4);
  return frame;
}

/** A JSON seed with one field set to a hostile value (or removed, or one added); binary seeds get a byte flipped. */
function fieldSwapped(prng: Prng, seed: Buffer): FuzzFrame {
  const body = seed.subarray(frameHeaderBytes);
  if (body[0] !== 0x7b) return { bytes: withChecksum(bodyFlipped(prng, seed)), complete: true, how: 'binary byte' };
  const message = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
  const keys = Object.keys(message);
  const key = prng.chance(0.15) ? 'extra' : prng.pick(keys);
  if (prng.chance(0.15)) delete message[key];
  else message[key] = prng.pick(hostileValues);
  return { bytes: frameEncode(message), complete: true, how: `field ${key}` };
}

/** The header's length made shorter (a checksum mismatch) or longer (a frame that never completes) or huge. */
function lengthChanged(prng: Prng, seed: Buffer): FuzzFrame {
  const out = Buffer.from(seed);
  const length = out.readUInt32BE(0);
  const choice = prng.int(3);
  const changed = choice === 0 ? prng.int(length) : choice === 1 ? length + prng.between(1, 64) : 0xffff_ff00;
  out.writeUInt32BE(changed, 0);
  return { bytes: out, complete: choice !== 1, how: `length ${length} -> ${changed}` };
}
