// The latency sketch of an open window, in the form the hot path wants. The buckets
// are those of sketch.ts; only the storage differs, and toSketch() gives the compact
// form rows carry (CONTRACT.md section 4 quantiles).
//  - dense: an array of counts over the key range seen so far; adding a probe is one
//    array increment (a Map get + set, or an integer-keyed object, costs several times
//    more). Busy windows live here.
//  - sparse: up to SPARSE_MAX distinct keys in two small arrays, for quiet windows, so
//    a scope with a probe a minute holds bytes, not kilobytes, per window.
import { EMPTY_SKETCH, ZERO_KEY, type Sketch, type SketchRecord } from './sketch.js';

const EMPTY_F64 = new Float64Array(0);
const EMPTY_I32 = new Int32Array(0);
/** Distinct keys kept sparse before switching to dense. */
const SPARSE_MAX = 32;
/** Scratch for sums of several bins (single-threaded, reused: a drain allocates no buckets). */
let sumBuf = new Float64Array(1024);

export class LatencyBins {
  /** Count of the zero bucket. */
  zero = 0;
  /** Dense mode: bucket key of counts[0]. */
  lo = 0;
  /** Dense counts (empty while sparse). Float64: exact counts up to 2^53. */
  counts: Float64Array = EMPTY_F64;
  /** Sparse mode: keys and counts of the first `sn` entries. */
  private skeys: Int32Array = EMPTY_I32;
  private svals: Float64Array = EMPTY_F64;
  private sn = 0;

  add(key: number, n = 1): void {
    const i = key - this.lo;
    if (i >= 0 && i < this.counts.length) this.counts[i]! += n;
    else this.slowAdd(key, n);
  }

  private slowAdd(key: number, n: number): void {
    if (key === ZERO_KEY) {
      this.zero += n;
      return;
    }
    if (this.counts.length === 0) {
      for (let j = 0; j < this.sn; j++) {
        if (this.skeys[j] === key) {
          this.svals[j]! += n;
          return;
        }
      }
      if (this.sn < SPARSE_MAX) {
        if (this.sn === this.skeys.length) this.growSparse();
        this.skeys[this.sn] = key;
        this.svals[this.sn++] = n;
        return;
      }
      this.densify();
    }
    this.grow(key);
    this.counts[key - this.lo]! += n;
  }

  private growSparse(): void {
    const size = Math.max(4, this.skeys.length * 2);
    const keys = new Int32Array(size);
    const vals = new Float64Array(size);
    keys.set(this.skeys);
    vals.set(this.svals);
    this.skeys = keys;
    this.svals = vals;
  }

  /** Moves the sparse entries into a dense array over their key range. */
  private densify(): void {
    let lo = Infinity;
    let hi = -Infinity;
    for (let j = 0; j < this.sn; j++) {
      lo = Math.min(lo, this.skeys[j]!);
      hi = Math.max(hi, this.skeys[j]!);
    }
    const keys = this.skeys;
    const vals = this.svals;
    const n = this.sn;
    this.skeys = EMPTY_I32;
    this.svals = EMPTY_F64;
    this.sn = 0;
    if (n === 0) return;
    this.lo = lo - 8;
    this.counts = new Float64Array(hi - lo + 17);
    for (let j = 0; j < n; j++) this.counts[keys[j]! - this.lo]! += vals[j]!;
  }

  /** Widens the dense range to hold key, with slack in the direction of growth (amortised). */
  private grow(key: number): void {
    const old = this.counts;
    if (old.length === 0) {
      this.lo = key - 4;
      this.counts = new Float64Array(16);
      return;
    }
    const hi = this.lo + old.length - 1;
    if (key >= this.lo && key <= hi) return;
    const lo = Math.min(this.lo, key);
    const top = Math.max(hi, key);
    const pad = Math.max(8, (top - lo + 1) >> 2);
    const newLo = key < this.lo ? lo - pad : lo;
    const newHi = key > hi ? top + pad : top;
    const next = new Float64Array(newHi - newLo + 1);
    next.set(old, this.lo - newLo);
    this.lo = newLo;
    this.counts = next;
  }

  addBins(from: LatencyBins): void {
    this.zero += from.zero;
    for (let j = 0; j < from.sn; j++) this.add(from.skeys[j]!, from.svals[j]!);
    const c = from.counts;
    const n = c.length;
    if (n === 0) return;
    // Cover from's whole range once, then one tight loop (zeros included: cheaper than skipping).
    if (this.counts.length === 0) this.densify();
    this.grow(from.lo);
    this.grow(from.lo + n - 1);
    const into = this.counts;
    const off = from.lo - this.lo;
    for (let i = 0; i < n; i++) into[i + off]! += c[i]!;
  }

  addRecord(s: SketchRecord): void {
    for (const k in s) this.add(Number(k), s[Number(k)]!);
  }

  /** The non-zero buckets as a new Sketch: two exact-size arrays, keys ascending. */
  toSketch(): Sketch {
    const c = this.counts;
    const lo = this.lo;
    const z = this.zero !== 0 ? 1 : 0;
    let n = z;
    for (let i = 0; i < c.length; i++) if (c[i] !== 0) n++;
    for (let x = 0; x < this.sn; x++) if (this.svals[x] !== 0) n++;
    if (n === 0) return EMPTY_SKETCH;
    const keys = new Array<number>(n);
    const counts = new Array<number>(n);
    if (z === 1) {
      keys[0] = ZERO_KEY;
      counts[0] = this.zero;
    }
    let j = z;
    if (this.sn === 0) {
      for (let i = 0; i < c.length; i++) {
        if (c[i] !== 0) {
          keys[j] = lo + i;
          counts[j++] = c[i]!;
        }
      }
    } else {
      // Sparse (counts is empty then): the entries in insertion order, insertion-sorted
      // straight into the output (at most SPARSE_MAX distinct keys; Array.sort with a
      // comparator allocated more than the row itself: docs/benchmarks.md 2026-11-29).
      for (let x = 0; x < this.sn; x++) {
        const v = this.svals[x]!;
        if (v === 0) continue;
        const k = this.skeys[x]!;
        let y = j++;
        for (; y > z && keys[y - 1]! > k; y--) {
          keys[y] = keys[y - 1]!;
          counts[y] = counts[y - 1]!;
        }
        keys[y] = k;
        counts[y] = v;
      }
    }
    return { keys, counts };
  }

  /**
   * Makes room for keys [lo, hi] up front (a new window sized like the previous busy
   * one), in `spare` (zeroed) when it is large enough: windows recycle their arrays.
   */
  reserve(lo: number, hi: number, spare: Float64Array | null = null): void {
    if (this.counts.length > 0 || this.sn > 0 || hi < lo) return;
    this.lo = lo;
    if (spare !== null && spare.length >= hi - lo + 1 && spare.length <= 2 * (hi - lo + 1)) {
      spare.fill(0);
      this.counts = spare;
    } else {
      this.counts = new Float64Array(hi - lo + 1);
    }
  }

  /** The dense key range (with slack), for sizing the next window; null while sparse. */
  range(): [number, number] | null {
    return this.counts.length === 0 ? null : [this.lo, this.lo + this.counts.length - 1];
  }

  /** The sum of several bins as a new Sketch, without changing any of them. */
  static sumToSketch(parts: readonly LatencyBins[]): Sketch {
    let lo = Infinity;
    let hi = -Infinity;
    let zero = 0;
    for (const b of parts) {
      zero += b.zero;
      if (b.counts.length > 0) {
        lo = Math.min(lo, b.lo);
        hi = Math.max(hi, b.lo + b.counts.length - 1);
      }
      for (let j = 0; j < b.sn; j++) {
        lo = Math.min(lo, b.skeys[j]!);
        hi = Math.max(hi, b.skeys[j]!);
      }
    }
    const z = zero !== 0 ? 1 : 0;
    if (!(lo <= hi)) return z === 0 ? EMPTY_SKETCH : { keys: [ZERO_KEY], counts: [zero] };
    const n = hi - lo + 1;
    if (sumBuf.length < n) sumBuf = new Float64Array(2 * n);
    const buf = sumBuf;
    buf.fill(0, 0, n);
    for (const b of parts) {
      const c = b.counts;
      const off = b.lo - lo;
      for (let i = 0; i < c.length; i++) buf[i + off]! += c[i]!;
      for (let j = 0; j < b.sn; j++) buf[b.skeys[j]! - lo]! += b.svals[j]!;
    }
    let m = z;
    for (let i = 0; i < n; i++) if (buf[i] !== 0) m++;
    const keys = new Array<number>(m);
    const counts = new Array<number>(m);
    if (z === 1) {
      keys[0] = ZERO_KEY;
      counts[0] = zero;
    }
    let j = z;
    for (let i = 0; i < n; i++) {
      if (buf[i] !== 0) {
        keys[j] = lo + i;
        counts[j++] = buf[i]!;
      }
    }
    return { keys, counts };
  }

  count(): number {
    let n = this.zero;
    for (let i = 0; i < this.counts.length; i++) n += this.counts[i]!;
    for (let j = 0; j < this.sn; j++) n += this.svals[j]!;
    return n;
  }
}
