/**
 * Per-parse tables of plain numbers, so that the hot path allocates little beyond what it returns.
 *
 * `InternTable` gives every distinct label name and value of a payload one id and one string: a
 * payload repeats its values (1,100 distinct among 24,000 in the benchmark's), so samples share
 * them instead of each holding a copy, which cut what a parse allocates by a third.
 * `SeriesTable` finds duplicate series by their tuple of ids, in typed arrays.
 *
 * The hashes start from a random offset basis, drawn once per process: results never depend on
 * them, and a payload cannot be written to make them collide and every lookup crawl.
 */
import { canonical, isAt, sameText } from './prometheus-lexer.js';

export const FNV_OFFSET = (0x811c9dc5 ^ Math.floor(Math.random() * 2 ** 32)) | 0;
const FNV_PRIME = 0x01000193;
/** One step of FNV-1a: the hash of a string is the fold of this over its UTF-16 code units from `FNV_OFFSET`. */
export const hashStep = (h: number, c: number): number => Math.imul(h ^ c, FNV_PRIME);

/** The FNV-1a hash of a string, as `InternTable` computes it (exported for tests that need two strings with one hash). */
export function hashString(s: string): number {
  let h = FNV_OFFSET;
  for (let i = 0; i < s.length; i += 1) h = hashStep(h, s.charCodeAt(i));
  return h;
}

/** MurmurHash3's finaliser: spreads FNV's low bits, which pick the slot. */
function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return h ^ (h >>> 16);
}

function grown(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

/** Open addressing over an Int32Array of `id + 1` (0: empty), grown at half full. */
function probeTable(capacity: number): Int32Array {
  let size = 256;
  while (size < capacity * 2) size *= 2;
  return new Int32Array(size);
}

export class InternTable {
  /** Id → string: a flat copy, so that it keeps no payload alive. */
  readonly strings = Array.of<string>(); // `Array.of()`: see FamilyBuilder.samples
  private hashes = new Int32Array(256);
  /** Id → where its text was last seen, compared in place by `fromText`; -1 while only `fromString` has seen it. */
  private starts = new Int32Array(256);
  private slots = probeTable(256);

  constructor() {
    this.fromString(''); // id 0, which callers may use as a placeholder
  }

  /** The id of `text[start, end)` (`codes` its code units), whose FNV-1a hash (`hashStep` folded over it) is `rawHash`. */
  fromText(text: string, codes: Uint16Array, start: number, end: number, rawHash: number): number {
    const hash = mix(rawHash);
    const { slots, strings } = this;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot]! - 1;
      if (id < 0) return this.add(text.slice(start, end), hash, slot, start);
      if (this.hashes[id] !== hash || strings[id]!.length !== length) continue;
      const at = this.starts[id]!;
      if (at >= 0 ? sameText(codes, at, start, length) : isAt(codes, strings[id]!, start)) {
        this.starts[id] = start; // the latest copy, likely still in the CPU's cache next time
        return id;
      }
    }
  }

  /** The id of `s` (a label name or an unescaped value, read by the general scanner). */
  fromString(s: string): number {
    const hash = mix(hashString(s));
    const { slots, strings } = this;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const id = slots[slot]! - 1;
      if (id < 0) return this.add(s, hash, slot, -1);
      if (this.hashes[id] === hash && strings[id] === s) return id;
    }
  }

  private add(s: string, hash: number, slot: number, start: number): number {
    const id = this.strings.length;
    this.strings.push(canonical(s));
    if (id === this.hashes.length) {
      this.hashes = grown(this.hashes);
      this.starts = grown(this.starts);
    }
    this.hashes[id] = hash;
    this.starts[id] = start;
    this.slots[slot] = id + 1;
    if ((id + 1) * 2 > this.slots.length) this.rehash();
    return id;
  }

  private rehash(): void {
    const slots = probeTable(this.slots.length);
    const mask = slots.length - 1;
    for (let id = 0; id < this.strings.length; id += 1) {
      let slot = this.hashes[id]! & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = id + 1;
    }
    this.slots = slots;
  }
}

/**
 * The series kept so far, each as a tuple of ints (its sample name's `Series.id`, then its label
 * ids as the caller spells the set: see prometheus-series.ts) stored end to end in one Int32Array.
 */
export class SeriesTable {
  private pool: Int32Array;
  private poolEnd = 0;
  private count = 0;
  /** Slot → pool offset + 1, and the tuple's hash, compared before the tuple. */
  private slots: Int32Array;
  private slotHashes: Int32Array;

  /** Sized from the payload for half its lines (a line is rarely under 32 characters): zeroing a table costs too. */
  constructor(textLength: number) {
    const expected = Math.ceil(textLength / 64);
    this.pool = new Int32Array(Math.max(1024, expected * 4));
    this.slots = probeTable(expected);
    this.slotHashes = new Int32Array(this.slots.length);
  }

  /** Adds the tuple `head, ids[0, length)`; false if it was there already. */
  add(head: number, ids: readonly number[], length: number): boolean {
    let h = hashStep(FNV_OFFSET, head);
    for (let i = 0; i < length; i += 1) h = hashStep(h, ids[i]!);
    const hash = mix(h);
    const { slots, slotHashes, pool } = this;
    const mask = slots.length - 1;
    let slot = hash & mask;
    for (let at = slots[slot]!; at !== 0; at = slots[slot]!) {
      if (slotHashes[slot] === hash && this.equals(at - 1, head, ids, length)) return false;
      slot = (slot + 1) & mask;
    }
    if (this.poolEnd + length + 2 > pool.length) this.growPool(length + 2);
    const offset = this.poolEnd;
    this.pool[offset] = head;
    this.pool[offset + 1] = length;
    for (let i = 0; i < length; i += 1) this.pool[offset + 2 + i] = ids[i]!;
    this.poolEnd += length + 2;
    slots[slot] = offset + 1;
    slotHashes[slot] = hash;
    this.count += 1;
    if (this.count * 2 > slots.length) this.rehash();
    return true;
  }

  private equals(offset: number, head: number, ids: readonly number[], length: number): boolean {
    const { pool } = this;
    if (pool[offset] !== head || pool[offset + 1] !== length) return false;
    for (let i = 0; i < length; i += 1) if (pool[offset + 2 + i] !== ids[i]) return false;
    return true;
  }

  private growPool(needed: number): void {
    const pool = new Int32Array(Math.max(this.pool.length * 2, this.poolEnd + needed));
    pool.set(this.pool);
    this.pool = pool;
  }

  private rehash(): void {
    const old = this.slots;
    const oldHashes = this.slotHashes;
    this.slots = new Int32Array(old.length * 2);
    this.slotHashes = new Int32Array(old.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < old.length; i += 1) {
      if (old[i] === 0) continue;
      let slot = oldHashes[i]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = old[i]!;
      this.slotHashes[slot] = oldHashes[i]!;
    }
  }
}
