// The cache of configurations the search has already reached: a set of
// (linearized operations, model state) pairs. Bitsets live back to back in one
// growing Uint32Array; an open-addressing table maps a 32-bit hash of both
// halves to entries, so the hot loop allocates nothing but the states. Each
// slot holds the entry's hash beside its index, so a probe that meets another
// configuration costs one memory access, not a trip into the arena.

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
  /** Slot s: table[2s] the entry's hash, table[2s + 1] the entry index + 1 (0: empty). */
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
    this.table = new Int32Array(tableSlotsInitial * 2);
    this.mask = tableSlotsInitial - 1;
  }

  get size(): number {
    return this.count;
  }

  bytes(): number {
    return (
      this.arena.byteLength +
      this.hashes.byteLength +
      this.table.byteLength +
      this.states.length * 8 +
      this.stateBytesTotal
    );
  }

  /** Adds (bits, state) under hash unless an equal pair is present, or the memory bound forbids growing. */
  add(hash: number, bits: Uint32Array, state: S): CacheAdd {
    const mask = this.mask;
    const table = this.table;
    const hashSigned = hash | 0;
    let slot = hash & mask;
    for (let held = table[slot * 2 + 1]!; held !== 0; held = table[slot * 2 + 1]!) {
      if (
        table[slot * 2] === hashSigned &&
        this.bitsEqual(held - 1, bits) &&
        this.model.equal(this.states[held - 1]!, state)
      )
        return 'present';
      slot = (slot + 1) & mask;
    }
    if (!this.room()) return 'full';
    const entry = this.count++;
    this.arena.set(bits, entry * this.words);
    this.hashes[entry] = hash;
    this.states.push(state);
    this.stateBytesTotal += this.model.stateBytes?.(state) ?? stateBytesDefault;
    if (this.count * 2 > this.mask + 1) this.rehash();
    else this.slotSet(slot, hashSigned, entry);
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

  private slotSet(slot: number, hashSigned: number, entry: number): void {
    this.table[slot * 2] = hashSigned;
    this.table[slot * 2 + 1] = entry + 1;
  }

  private rehash(): void {
    const slots = (this.mask + 1) * 2;
    this.table = new Int32Array(slots * 2);
    this.mask = slots - 1;
    for (let entry = 0; entry < this.count; entry++) {
      const hash = this.hashes[entry]!;
      let slot = hash & this.mask;
      while (this.table[slot * 2 + 1] !== 0) slot = (slot + 1) & this.mask;
      this.slotSet(slot, hash | 0, entry);
    }
  }
}
