// Duplicate event ids of one scope (CONTRACT.md section 1: a repeated `id`, a
// producer retry, is counted once). Ids must be remembered while their event time
// is at or after the watermark; older ones can go, since such an event would be
// late anyway.
//
// Two generations, no per-id pruning: ids added since the last rotation are the
// current generation. When the watermark passes `rotateAt` (the newest event time
// at the last rotation), every id of the previous generation is older than the
// watermark: the table is rebuilt with the current generation only, which becomes
// the previous one. Each id is so remembered for one to two lateness periods of
// event time, and copied once in its life (with its stored hash: no rehashing).
//
// Storage holds no JavaScript strings: open addressing over an Int32Array of
// (hash, offset) slots, the characters copied into a Uint16Array arena in arrival
// order. A Set<string> would retain every id string for minutes, and the garbage
// collector's copying and marking of them cost more than the rest of the per-event
// work; one table (not one per generation) means one cache miss per event.
// Membership is exact: a hash match is confirmed by comparing the characters.

const EMPTY_SLOTS = new Int32Array(0);
const EMPTY_CHARS = new Uint16Array(0);
/** Tables at least this long (2 × slots) are kept for reuse at the next rotation. */
const SPARE_MIN_SLOTS = 2048;

/**
 * Arrays let go by quiet scopes (a rotation, a growth), for the next scope that needs
 * one of the same size. A table or arena over 64 bytes lives outside the JS heap and
 * costs ~0.5 µs to allocate and free; with 10,000 quiet scopes each rotating every
 * couple of lateness periods that was 5 % of the core's time (docs/benchmarks.md
 * 2026-11-29). Module-wide (the core is single-threaded), a ring of POOL_SIZE per
 * kind, arrays of at most POOL_MAX_LEN elements: at most ~1.5 MB held.
 */
const POOL_SIZE = 32;
const POOL_MAX_LEN = 8192;
const freeSlots: (Int32Array | null)[] = new Array<Int32Array | null>(POOL_SIZE).fill(null);
const freeChars: (Uint16Array | null)[] = new Array<Uint16Array | null>(POOL_SIZE).fill(null);
let nextSlots = 0;
let nextChars = 0;

/** A zeroed table of exactly `len` elements. */
export function takeSlots(len: number): Int32Array {
  for (let i = 0; i < POOL_SIZE; i++) {
    const a = freeSlots[i]!;
    if (a !== null && a.length === len) {
      freeSlots[i] = null;
      a.fill(0);
      return a;
    }
  }
  return new Int32Array(len);
}

/** An arena of `length` units holds `need` and is not over 4 × as large (nor 256 units for small needs). */
function arenaFits(length: number, need: number): boolean {
  return length >= need && length <= 4 * Math.max(64, need);
}

/** An arena that fits `need` code units (arenaFits; contents undefined: written before read). */
export function takeChars(need: number): Uint16Array {
  for (let i = 0; i < POOL_SIZE; i++) {
    const a = freeChars[i]!;
    if (a !== null && arenaFits(a.length, need)) {
      freeChars[i] = null;
      return a;
    }
  }
  return new Uint16Array(Math.max(64, 2 * need));
}

/** Hands back an array nothing refers to any more (the oldest free one makes room). */
export function giveSlots(a: Int32Array): void {
  if (a.length === 0 || a.length > POOL_MAX_LEN) return;
  freeSlots[nextSlots] = a;
  nextSlots = (nextSlots + 1) % POOL_SIZE;
}

export function giveChars(a: Uint16Array): void {
  if (a.length === 0 || a.length > POOL_MAX_LEN) return;
  freeChars[nextChars] = a;
  nextChars = (nextChars + 1) % POOL_SIZE;
}

/** 32-bit FNV-1a over UTF-16 code units, finished with murmur3's mix for the low bits; never 0. */
export function idHash(id: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) h = Math.imul(h ^ id.charCodeAt(i), 0x01000193);
  return finish(h);
}

/** idHash of the `len` code units of an id stored at `from` (the same value as for its string). */
function rangeHash(c: Uint16Array, from: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < from + len; i++) h = Math.imul(h ^ c[i]!, 0x01000193);
  return finish(h);
}

function finish(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h === 0 ? 1 : h;
}

/** Smallest power of two ≥ 16 with room for n ids at a load of at most 1/4 (it grows to 1/2). */
function tableSize(n: number): number {
  let size = 16;
  while (size < n * 4) size *= 2;
  return size;
}

export class IdDedup {
  /** Pairs [hash (0 = empty), offset into chars]; 2 × a power of two long. */
  private slots: Int32Array = EMPTY_SLOTS;
  /** Per id, in arrival order: its length, then its UTF-16 code units. */
  private chars: Uint16Array = EMPTY_CHARS;
  /** The arrays of the generation before, reused by the next rotation. */
  private spareSlots: Int32Array = EMPTY_SLOTS;
  private spareChars: Uint16Array = EMPTY_CHARS;
  private used = 0;
  /** Ids stored below this offset are the previous generation. */
  private prevEnd = 0;
  private prevCount = 0;
  private mask = -1;
  private count = 0;
  /** The previous generation can go once the watermark passes this. */
  rotateAt = -Infinity;
  /** Number of the current generation (the previous one is generation − 1); counts rotations. */
  generation = 0;

  /** Records the id; false when it was seen before (a duplicate). */
  add(id: string): boolean {
    if (this.count * 2 >= this.mask + 1) this.grow();
    const h = idHash(id);
    const slots = this.slots;
    let i = h & this.mask;
    for (;;) {
      const sh = slots[2 * i]!;
      if (sh === 0) break;
      if (sh === h && this.equals(id, slots[2 * i + 1]!)) return false;
      i = (i + 1) & this.mask;
    }
    slots[2 * i] = h;
    slots[2 * i + 1] = this.store(id);
    this.count++;
    return true;
  }

  /** Call when the watermark moves; `maxTs` is the scope's newest event time (≥ any accepted id's ts). */
  advance(watermark: number, maxTs: number): void {
    if (watermark <= this.rotateAt) return;
    this.rotateAt = maxTs;
    if (this.count === 0) return;
    const oldSlots = this.slots;
    const old = this.chars;
    const from = this.prevEnd;
    const keep = this.count - this.prevCount;
    // Rebuild with the current generation only (stored hashes, no rehashing), into the
    // arrays of the generation before when they fit. Its ids move as one block, in
    // arrival order: the generation's arena stays the same stream of code units, so
    // snapshot segments written before the rotation still describe it.
    const n = tableSize(keep);
    let slots = this.spareSlots;
    if (slots.length === 2 * n) slots.fill(0);
    else {
      giveSlots(slots);
      slots = takeSlots(2 * n);
    }
    const need = this.used - from;
    let chars = this.spareChars;
    if (!arenaFits(chars.length, need)) {
      giveChars(chars);
      chars = takeChars(need);
    }
    // Keep the arrays for the next rotation only for busy scopes; quiet ones hand them
    // to the pool after the copy below (any scope's next rotation takes them).
    const busy = oldSlots.length >= SPARE_MIN_SLOTS;
    this.spareSlots = busy ? oldSlots : EMPTY_SLOTS;
    this.spareChars = busy ? old : EMPTY_CHARS;
    chars.set(old.subarray(from, this.used), 0);
    const mask = n - 1;
    for (let j = 0; j < oldSlots.length; j += 2) {
      const h = oldSlots[j]!;
      const off = oldSlots[j + 1]!;
      if (h === 0 || off < from) continue;
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = off - from;
    }
    if (!busy) {
      giveSlots(oldSlots);
      giveChars(old);
    }
    this.slots = slots;
    this.chars = chars;
    this.mask = mask;
    this.used = this.prevEnd = need;
    this.count = this.prevCount = keep;
    this.generation++;
  }

  size(): number {
    return this.count;
  }

  /** The ids of each generation (for snapshots); the current one in arrival order. */
  ids(): { cur: string[]; prev: string[] } {
    const cur: string[] = [];
    const prev: string[] = [];
    const c = this.chars;
    for (let off = 0; off < this.used; off += 1 + c[off]!) {
      (off < this.prevEnd ? prev : cur).push(String.fromCharCode(...c.subarray(off + 1, off + 1 + c[off]!)));
    }
    return { cur, prev };
  }

  /**
   * Code units of the arena, as one string: each id after its length, in arrival order.
   * The previous generation is [0, prevEnd), the current one [prevEnd, used). One
   * copy by Node's UTF-16 decoding, which takes every code unit as it is (lone
   * surrogates too); String.fromCharCode over chunks made an argument list per chunk
   * and cost 6× as much.
   */
  units(from: number, to: number): string {
    const c = this.chars;
    return Buffer.from(c.buffer, c.byteOffset + 2 * from, 2 * (to - from)).toString('utf16le');
  }

  /** Code units in each generation's arena: [previous, current]. */
  lengths(): [number, number] {
    return [this.prevEnd, this.used - this.prevEnd];
  }

  /** The whole arena and where the current generation starts (state format v3). */
  save(): { arena: string; prevEnd: number } {
    return { arena: this.units(0, this.used), prevEnd: this.prevEnd };
  }

  /** Takes back what save() gave, rehashing from the arena (no string per id). */
  restore(arena: string, prevEnd: number, rotateAt: number, generation = 0): void {
    const n = arena.length;
    const chars = new Uint16Array(Math.max(64, 2 * n));
    for (let i = 0; i < n; i++) chars[i] = arena.charCodeAt(i);
    let count = 0;
    let prevCount = 0;
    for (let off = 0; off < n; off += 1 + chars[off]!) {
      count++;
      if (off < prevEnd) prevCount++;
    }
    const size = tableSize(count);
    const slots = new Int32Array(2 * size);
    const mask = size - 1;
    for (let off = 0; off < n; off += 1 + chars[off]!) {
      const len = chars[off]!;
      if (off + 1 + len > n) throw new RangeError(`id arena: an id at ${off} runs past the end (${n})`);
      const h = rangeHash(chars, off + 1, len);
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = off;
    }
    this.slots = slots;
    this.chars = chars;
    this.spareSlots = EMPTY_SLOTS;
    this.spareChars = EMPTY_CHARS;
    this.mask = mask;
    this.used = n;
    this.prevEnd = prevEnd;
    this.count = count;
    this.prevCount = prevCount;
    this.rotateAt = rotateAt;
    this.generation = generation;
  }

  load(cur: readonly string[], prev: readonly string[], rotateAt: number): void {
    this.slots = this.spareSlots = EMPTY_SLOTS;
    this.chars = this.spareChars = EMPTY_CHARS;
    this.mask = -1;
    this.count = this.used = 0;
    for (const id of prev) this.add(id);
    this.prevEnd = this.used;
    this.prevCount = this.count;
    for (const id of cur) this.add(id);
    this.rotateAt = rotateAt;
  }

  private grow(): void {
    const old = this.slots;
    const n = Math.max(16, (this.mask + 1) * 2);
    const slots = takeSlots(2 * n);
    const mask = n - 1;
    for (let j = 0; j < old.length; j += 2) {
      const h = old[j]!;
      if (h === 0) continue;
      let i = h & mask;
      while (slots[2 * i] !== 0) i = (i + 1) & mask;
      slots[2 * i] = h;
      slots[2 * i + 1] = old[j + 1]!;
    }
    giveSlots(old);
    this.slots = slots;
    this.mask = mask;
  }

  private equals(id: string, off: number): boolean {
    const c = this.chars;
    if (c[off] !== id.length) return false;
    for (let k = 0; k < id.length; k++) if (c[off + 1 + k] !== id.charCodeAt(k)) return false;
    return true;
  }

  private store(id: string): number {
    const off = this.used;
    // The contract caps ids at 128 characters; the length must fit one code unit.
    const len = Math.min(id.length, 0xffff);
    const need = off + 1 + len;
    if (need > this.chars.length) {
      const next = takeChars(need);
      next.set(this.chars.subarray(0, off));
      giveChars(this.chars);
      this.chars = next;
    }
    const c = this.chars;
    c[off] = len;
    for (let k = 0; k < len; k++) c[off + 1 + k] = id.charCodeAt(k);
    this.used = need;
    return off;
  }
}
