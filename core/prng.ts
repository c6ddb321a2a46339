// The one seeded pseudo-random generator of the workbench. Every random choice
// of a run (generator, nemesis schedule, targets) comes from a Prng derived
// from the run's seed, so `--seed` replays a run's choices.

export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, bound). */
  int(bound: number): number;
  /** An integer in [low, high] inclusive. */
  between(low: number, high: number): number;
  /** true with the given probability. */
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  shuffle<T>(items: readonly T[]): T[];
  /** An independent generator for a named sub-stream (e.g. 'nemesis'). */
  fork(label: string): Prng;
}

/** xoshiro128** seeded through splitmix32; fast, 2^128-1 period, good equidistribution. */
export function prngCreate(seed: number): Prng {
  let state = splitmix32(seed >>> 0);
  const s = new Uint32Array(4);
  for (let i = 0; i < 4; i++) {
    state = (state + 0x9e3779b9) >>> 0;
    s[i] = mix32(state);
  }
  if (s[0] === 0 && s[1] === 0 && s[2] === 0 && s[3] === 0) s[0] = 1;
  const nextU32 = (): number => {
    const s0 = s[0]!,
      s1 = s[1]!,
      s2 = s[2]!,
      s3 = s[3]!;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = (s1 << 9) >>> 0;
    s[2] = s2 ^ s0;
    s[3] = s3 ^ s1;
    s[1] = s1 ^ s[2];
    s[0] = s0 ^ s[3];
    s[2] = s[2] ^ t;
    s[3] = rotl(s[3], 11);
    return result;
  };
  const prng: Prng = {
    next: () => nextU32() / 4294967296,
    int: (bound) => {
      if (!(bound >= 1)) throw new RangeError(`Prng.int bound must be >= 1, got ${bound}`);
      return Math.floor((nextU32() / 4294967296) * bound);
    },
    between: (low, high) => low + prng.int(high - low + 1),
    chance: (probability) => nextU32() / 4294967296 < probability,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('Prng.pick from an empty list');
      return items[prng.int(items.length)]!;
    },
    shuffle: (items) => {
      const out = items.slice();
      for (let i = out.length - 1; i > 0; i--) {
        const j = prng.int(i + 1);
        [out[i], out[j]] = [out[j]!, out[i]!];
      }
      return out;
    },
    fork: (label) => prngCreate((nextU32() ^ stringHash32(label)) >>> 0),
  };
  return prng;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function splitmix32(seed: number): number {
  return mix32((seed + 0x9e3779b9) >>> 0);
}

function mix32(z0: number): number {
  let z = z0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** FNV-1a over UTF-16 code units; stable across runs and platforms. */
export function stringHash32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
