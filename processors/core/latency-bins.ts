// The latency sketch of an open window, in the form the hot path wants: a dense
// array of counts over the key range seen so far, plus the zero bucket. Adding a
// probe is one array increment (a Map get + set, or an integer-keyed plain object,
// costs several times more). The buckets are those of sketch.ts; only the storage
// differs, and toRecord() gives the exchange form (CONTRACT.md section 4 quantiles).
import { ZERO_KEY, type Sketch } from './sketch.js';

const EMPTY = new Float64Array(0);

export class LatencyBins {
  /** Count of the zero bucket. */
  zero = 0;
  /** Bucket key of counts[0]. */
  lo = 0;
  /** Float64: exact counts up to 2^53, far above any window's probe count. */
  counts: Float64Array = EMPTY;

  add(key: number, n = 1): void {
    if (key === ZERO_KEY) {
      this.zero += n;
      return;
    }
    const i = key - this.lo;
    if (i >= 0 && i < this.counts.length) this.counts[i]! += n;
    else this.slowAdd(key, n);
  }

  private slowAdd(key: number, n: number): void {
    this.grow(key);
    this.counts[key - this.lo]! += n;
  }

  /** Widens the range to hold key, with slack in the direction of growth (amortised). */
  private grow(key: number): void {
    const old = this.counts;
    if (old.length === 0) {
      this.lo = key - 4;
      this.counts = new Float64Array(16);
      return;
    }
    const hi = this.lo + old.length - 1;
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
    const c = from.counts;
    const n = c.length;
    if (n === 0) return;
    // Cover from's whole range once, then one tight loop (zeros included: cheaper than skipping).
    if (this.counts.length === 0 || from.lo < this.lo) this.grow(from.lo);
    if (from.lo + n - 1 > this.lo + this.counts.length - 1) this.grow(from.lo + n - 1);
    const into = this.counts;
    const off = from.lo - this.lo;
    for (let i = 0; i < n; i++) into[i + off]! += c[i]!;
  }

  addRecord(s: Sketch): void {
    for (const k in s) this.add(Number(k), s[Number(k)]!);
  }

  /** The non-zero buckets as a new Sketch record. */
  toRecord(): Sketch {
    const out: Sketch = {};
    const c = this.counts;
    const lo = this.lo;
    // Highest key first: the object's element store is then allocated once, not grown
    // key by key. (Integer keys enumerate in ascending order whatever the insertion order.)
    for (let i = c.length - 1; i >= 0; i--) if (c[i] !== 0) out[lo + i] = c[i]!;
    if (this.zero !== 0) out[ZERO_KEY] = this.zero;
    return out;
  }

  /** Adds the non-zero buckets into an existing Sketch record. */
  addToRecord(into: Sketch): void {
    if (this.zero !== 0) into[ZERO_KEY] = (into[ZERO_KEY] ?? 0) + this.zero;
    const c = this.counts;
    const lo = this.lo;
    for (let i = 0; i < c.length; i++) if (c[i] !== 0) into[lo + i] = (into[lo + i] ?? 0) + c[i]!;
  }

  /**
   * Makes room for keys [lo, hi] up front (a new window sized like the previous one),
   * in `spare` (zeroed) when it is exactly that size: windows recycle their arrays.
   */
  reserve(lo: number, hi: number, spare: Float64Array | null = null): void {
    if (this.counts.length > 0 || hi < lo) return;
    this.lo = lo;
    if (spare !== null && spare.length === hi - lo + 1) {
      spare.fill(0);
      this.counts = spare;
    } else {
      this.counts = new Float64Array(hi - lo + 1);
    }
  }

  /** The key range in use (with slack), for sizing the next window; null when empty. */
  range(): [number, number] | null {
    return this.counts.length === 0 ? null : [this.lo, this.lo + this.counts.length - 1];
  }

  /** Empties the counts, keeping the allocation (for a reused scratch accumulator). */
  clear(): void {
    this.zero = 0;
    this.counts.fill(0);
  }

  count(): number {
    let n = this.zero;
    for (let i = 0; i < this.counts.length; i++) n += this.counts[i]!;
    return n;
  }

  /** Bytes held by the counts (for stats). */
  bytes(): number {
    return this.counts.byteLength;
  }
}
