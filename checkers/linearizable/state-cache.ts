// The cache of configurations the search has already reached: a set of
// (linearized operations, model state) pairs. Bitsets live back to back in one
// growing Uint32Array; an open-addressing table maps a 32-bit hash of both
// halves to entries, so the hot loop allocates nothing but the states.

import type { Model } from './types.js';

/** Slots in the first hash table; it doubles whenever it is half full. */
const tableSlotsInitial = 1024;
/** Entries the first arena holds; it doubles when full. */
const entriesInitial = 256;
/** Assumed bytes per state when the model gives no estimate. */
const stateBytesDefault = 48;

export type CacheAdd = 'added' | 'present' | 'full';

export class StateCache<S> {
  private readonly words: number;
  private arena: Uint32Array;
  private hashes: Uint32Array;
  private readonly states: S[] = [];
  private table: Int32Array;
  private mask: number;
  private count = 0;
  private stateBytesTotal = 0;

  constructor(
    private readonly model: Model<S, unknown, unknown>,
    private readonly bytesMax: number,
    opCount: number,
  ) {
    this.words = Math.max(1, Math.ceil(opCount / 32));
    this.arena = new Uint32Array(this.words * entriesInitial);
    this.hashes = new Uint32Array(entriesInitial);
    this.table = new Int32Array(tableSlotsInitial).fill(-1);
    this.mask = tableSlotsInitial - 1;
  }

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return this.arena.byteLength + this.hashes.byteLength + this.table.byteLength + this.states.length * 8 + this.stateBytesTotal;
  }

  /** Adds (bits, state) under hash unless an equal pair is present, or the memory bound forbids growing. */
  add(hash: number, bits: Uint32Array, state: S): CacheAdd {
    const mask = this.mask;
    let slot = hash & mask;
    for (let entry = this.table[slot]!; entry !== -1; entry = this.table[slot]!) {
      if (this.hashes[entry] === hash && this.bitsEqual(entry, bits) && this.model.equal(this.states[entry]!, state)) return 'present';
      slot = (slot + 1) & mask;
    }
    if (!this.room()) return 'full';
    const entry = this.count++;
    this.arena.set(bits, entry * this.words);
    this.hashes[entry] = hash;
    this.states.push(state);
    this.stateBytesTotal += this.model.stateBytes?.(state) ?? stateBytesDefault;
    if (this.count * 2 > this.table.length) this.rehash();
    else this.table[slot] = entry;
    return 'added';
  }

  private bitsEqual(entry: number, bits: Uint32Array): boolean {
    const arena = this.arena;
    const base = entry * this.words;
    for (let w = 0; w < this.words; w++) if (arena[base + w] !== bits[w]) return false;
    return true;
  }

  /** Makes room for one more entry; false when that would pass the memory bound. */
  private room(): boolean {
    if (this.bytes() > this.bytesMax) return false;
    if (this.count < this.hashes.length) return true;
    const capacity = this.hashes.length * 2;
    const grownBytes = this.bytes() + (capacity - this.hashes.length) * (this.words + 1) * 4;
    if (grownBytes > this.bytesMax) return false;
    const arena = new Uint32Array(capacity * this.words);
    arena.set(this.arena);
    this.arena = arena;
    const hashes = new Uint32Array(capacity);
    hashes.set(this.hashes);
    this.hashes = hashes;
    return true;
  }

  private rehash(): void {
    const slots = this.table.length * 2;
    this.table = new Int32Array(slots).fill(-1);
    this.mask = slots - 1;
    for (let entry = 0; entry < this.count; entry++) {
      let slot = this.hashes[entry]! & this.mask;
      while (this.table[slot] !== -1) slot = (slot + 1) & this.mask;
      this.table[slot] = entry;
    }
  }
}
