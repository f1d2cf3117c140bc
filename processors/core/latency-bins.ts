// The latency sketch of an open window, in the form the hot path wants. The buckets
// are those of sketch.ts; only the storage differs, and toSketch() gives the compact
// form rows carry (CONTRACT.md section 4 quantiles).
//  - dense: an array of counts over the key range seen so far; adding a probe is one
//    array increment (a Map get + set, or an integer-keyed object, costs several times
//    more). Busy windows live here.
//  - sparse: up to SPARSE_MAX distinct keys in one small plain array of (key, count)
//    pairs, for quiet windows, so a scope with a probe a minute holds bytes, not
//    kilobytes, per window. Plain, not typed: with 10,000 scopes nearly every minute
//    window is sparse, and two typed arrays (~300 bytes, ~45 ns each to allocate) per
//    window were a fifth of what the scavenger promoted (docs/benchmarks.md 2026-11-29).
import { EMPTY_SKETCH, ZERO_KEY, type Sketch, type SketchRecord } from './sketch.js';

const EMPTY_F64 = new Float64Array(0);
/** The sparse array of bins with none (never written: the first key allocates). */
const NO_PAIRS: number[] = [];
/** Distinct keys kept sparse before switching to dense. */
const SPARSE_MAX = 32;
/**
 * Scratch for sums of several bins (single-threaded, reused: a drain allocates no
 * buckets). All zeros between calls: sumToSketch zeroes what it read as it reads it.
 */
let sumBuf = new Float64Array(1024);
/** Scratch for the non-zero buckets of one row, gathered in one pass before the exact-size arrays. */
let rowKeys = new Int32Array(1024);
let rowCounts = new Float64Array(1024);

function rowScratch(n: number): void {
  if (rowKeys.length >= n) return;
  rowKeys = new Int32Array(2 * n);
  rowCounts = new Float64Array(2 * n);
}

/** The sketch of the zero bucket's count `zero` then the first m gathered buckets (rowKeys, rowCounts). */
function gathered(zero: number, m: number): Sketch {
  const z = zero !== 0 ? 1 : 0;
  if (m + z === 0) return EMPTY_SKETCH;
  const keys = new Array<number>(m + z);
  const counts = new Array<number>(m + z);
  if (z === 1) {
    keys[0] = ZERO_KEY;
    counts[0] = zero;
  }
  for (let j = 0; j < m; j++) {
    keys[j + z] = rowKeys[j]!;
    counts[j + z] = rowCounts[j]!;
  }
  return { keys, counts };
}

export class LatencyBins {
  /** Count of the zero bucket. */
  zero = 0;
  /** Dense mode: bucket key of counts[0]. */
  lo = 0;
  /** Dense counts (empty while sparse). Float64: exact counts up to 2^53. */
  counts: Float64Array = EMPTY_F64;
  /** Sparse mode: [key, count, key, count, …], keys distinct, in insertion order. */
  private pairs: number[] = NO_PAIRS;

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
      const pairs = this.pairs;
      for (let j = 0; j < pairs.length; j += 2) {
        if (pairs[j] === key) {
          pairs[j + 1]! += n;
          return;
        }
      }
      if (pairs.length < 2 * SPARSE_MAX) {
        if (pairs === NO_PAIRS) this.pairs = [key, n];
        else pairs.push(key, n);
        return;
      }
      this.densify();
    }
    this.grow(key);
    this.counts[key - this.lo]! += n;
  }

  /** Moves the sparse entries into a dense array over their key range. */
  private densify(): void {
    let lo = Infinity;
    let hi = -Infinity;
    const pairs = this.pairs;
    for (let j = 0; j < pairs.length; j += 2) {
      lo = Math.min(lo, pairs[j]!);
      hi = Math.max(hi, pairs[j]!);
    }
    this.pairs = NO_PAIRS;
    if (pairs.length === 0) return;
    this.lo = lo - 8;
    this.counts = new Float64Array(hi - lo + 17);
    for (let j = 0; j < pairs.length; j += 2) this.counts[pairs[j]! - this.lo]! += pairs[j + 1]!;
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
    const pairs = from.pairs;
    for (let j = 0; j < pairs.length; j += 2) this.add(pairs[j]!, pairs[j + 1]!);
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
    if (c.length > 0) {
      // Dense: one pass over the range into the scratch, then the exact-size arrays.
      rowScratch(c.length);
      const rk = rowKeys;
      const rc = rowCounts;
      let m = 0;
      for (let i = 0; i < c.length; i++) {
        const v = c[i]!;
        if (v !== 0) {
          rk[m] = lo + i;
          rc[m++] = v;
        }
      }
      return gathered(this.zero, m);
    }
    // Sparse (or empty): the entries in insertion order, insertion-sorted straight
    // into the output (at most SPARSE_MAX distinct keys; Array.sort with a comparator
    // allocated more than the row itself: docs/benchmarks.md 2026-11-29).
    const z = this.zero !== 0 ? 1 : 0;
    let n = z;
    const pairs = this.pairs;
    for (let x = 1; x < pairs.length; x += 2) if (pairs[x] !== 0) n++;
    if (n === 0) return EMPTY_SKETCH;
    const keys = new Array<number>(n);
    const counts = new Array<number>(n);
    if (z === 1) {
      keys[0] = ZERO_KEY;
      counts[0] = this.zero;
    }
    let j = z;
    for (let x = 0; x < pairs.length; x += 2) {
      const v = pairs[x + 1]!;
      if (v === 0) continue;
      const k = pairs[x]!;
      let y = j++;
      for (; y > z && keys[y - 1]! > k; y--) {
        keys[y] = keys[y - 1]!;
        counts[y] = counts[y - 1]!;
      }
      keys[y] = k;
      counts[y] = v;
    }
    return { keys, counts };
  }

  /**
   * Makes room for keys [lo, hi] up front (a new window sized like the previous busy
   * one), in `spare` (zeroed) when it is large enough: windows recycle their arrays.
   */
  reserve(lo: number, hi: number, spare: Float64Array | null = null): void {
    if (this.counts.length > 0 || this.pairs.length > 0 || hi < lo) return;
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
      const pairs = b.pairs;
      for (let j = 0; j < pairs.length; j += 2) {
        lo = Math.min(lo, pairs[j]!);
        hi = Math.max(hi, pairs[j]!);
      }
    }
    if (!(lo <= hi)) return gathered(zero, 0);
    const n = hi - lo + 1;
    if (sumBuf.length < n) sumBuf = new Float64Array(2 * n);
    const buf = sumBuf;
    for (const b of parts) {
      const c = b.counts;
      const off = b.lo - lo;
      for (let i = 0; i < c.length; i++) buf[i + off]! += c[i]!;
      const pairs = b.pairs;
      for (let j = 0; j < pairs.length; j += 2) buf[pairs[j]! - lo]! += pairs[j + 1]!;
    }
    // One pass: gather the non-zero buckets and leave the scratch zeroed for the next call.
    rowScratch(n);
    const rk = rowKeys;
    const rc = rowCounts;
    let m = 0;
    for (let i = 0; i < n; i++) {
      const v = buf[i]!;
      if (v !== 0) {
        rk[m] = lo + i;
        rc[m++] = v;
        buf[i] = 0;
      }
    }
    return gathered(zero, m);
  }

  count(): number {
    let n = this.zero;
    for (let i = 0; i < this.counts.length; i++) n += this.counts[i]!;
    for (let j = 1; j < this.pairs.length; j += 2) n += this.pairs[j]!;
    return n;
  }
}
