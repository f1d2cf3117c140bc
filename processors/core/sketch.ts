// Mergeable latency sketch (DDSketch-style log buckets) for the probe latency
// quantiles of CONTRACT.md section 4: p50/p95/p99 within 1 % relative error.
//
// The bucket mapping is the whole definition, so anyone (ClickHouse SQL, the query
// API, a notebook) can recompute quantiles from stored counts:
//   γ = (1 + α) / (1 − α), α = 0.005
//   key(v)   = ⌈ln(v) / ln(γ)⌉  for v ≥ 1e-3 ms      (bucket key k holds (γ^(k−1), γ^k])
//   key(v)   = ZERO_KEY (−100000) for 0 ≤ v < 1e-3 ms (zero bucket, reported as 0)
//   value(k) = 2·γ^k / (γ + 1)                        (within α of every value in bucket k)
// Merging adds the counts of equal keys, so a merged sketch is identical to the sketch
// of all the values: the α bound holds after merging any number of sketches. Keys are
// 32-bit signed integers (ClickHouse Map(Int32, UInt64)): 1e-3 ms → −690, 1 day → 1828.

/**
 * A sketch: the non-zero buckets as two parallel arrays, keys strictly ascending
 * (ZERO_KEY, the lowest, first) and their counts (all > 0). Immutable: every
 * operation below returns a new sketch, so rows, merges and EMPTY_SKETCH may share one.
 *
 * Why not `Record<number, number>` (the ClickHouse Map's shape, used until 2026-11-29):
 * V8 stores integer-keyed properties in an elements array sized to the highest key,
 * so each record took 4–7 KB (keys run to ~600) whatever its bucket count, and the
 * drained batches kept them alive for the scavenger to copy (docs/benchmarks.md).
 * Two exact-size plain arrays are a few hundred bytes at most; plain rather than typed
 * arrays because they are cheaper to allocate when small, print as JSON, and compare
 * with toEqual. The record form (SketchRecord) lives only at the edges: the ClickHouse
 * row (sketchJson), rows read back (sketchFromRecord), snapshots (sketchToRecord).
 */
export interface Sketch {
  readonly keys: readonly number[];
  readonly counts: readonly number[];
}

/** Bucket key → count: the exchange form (ClickHouse `Map(Int32, UInt64)`, JSON, snapshots). */
export type SketchRecord = Record<number, number>;

export const EMPTY_SKETCH: Sketch = Object.freeze({ keys: Object.freeze([]), counts: Object.freeze([]) });

/** Relative accuracy α: 0.5 %, so the contract's 1 % bound holds with margin. */
export const SKETCH_ALPHA = 0.005;
export const SKETCH_GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(SKETCH_GAMMA);
/** Values below this (ms) count as zero latency. */
export const SKETCH_MIN_VALUE = 1e-3;
/** Values above this (ms, ~31 years) are clamped, so keys stay small and finite. */
export const SKETCH_MAX_VALUE = 1e12;
/** Key of the zero bucket: far below any real key (the smallest is −690). */
export const ZERO_KEY = -100_000;
const MAX_KEY = Math.ceil(Math.log(SKETCH_MAX_VALUE) / LN_GAMMA);

/** The bucket key of a latency in ms. Monotone in the value, so ranks are preserved. */
export function sketchKey(valueMs: number): number {
  if (!(valueMs >= SKETCH_MIN_VALUE)) return ZERO_KEY; // also catches NaN
  if (valueMs >= SKETCH_MAX_VALUE) return MAX_KEY;
  // `| 0`: a small integer key, which arrays and Maps handle much faster than a double.
  return Math.ceil(Math.log(valueMs) / LN_GAMMA) | 0;
}

/** The value a bucket reports. */
export function sketchValue(key: number): number {
  return key === ZERO_KEY ? 0 : (2 * SKETCH_GAMMA ** key) / (SKETCH_GAMMA + 1);
}

/** s with `count` more values of valueMs. Linear in the buckets: for tests and fixtures, not hot paths. */
export function sketchAdd(s: Sketch, valueMs: number, count = 1): Sketch {
  return sketchMerge(s, { keys: [sketchKey(valueMs)], counts: [count] });
}

/** The sketch of a list of values (ms). */
export function sketchOf(valuesMs: Iterable<number>): Sketch {
  const rec: SketchRecord = {};
  for (const v of valuesMs) {
    const k = sketchKey(v);
    rec[k] = (rec[k] ?? 0) + 1;
  }
  return sketchFromRecord(rec);
}

/** The sum of two sketches (a new one; either may be returned when the other is empty). */
export function sketchMerge(a: Sketch, b: Sketch): Sketch {
  if (b.keys.length === 0) return a;
  if (a.keys.length === 0) return b;
  const keys: number[] = [];
  const counts: number[] = [];
  const ak = a.keys, ac = a.counts, bk = b.keys, bc = b.counts;
  let i = 0, j = 0;
  while (i < ak.length && j < bk.length) {
    const x = ak[i]!, y = bk[j]!;
    if (x < y) { keys.push(x); counts.push(ac[i++]!); }
    else if (y < x) { keys.push(y); counts.push(bc[j++]!); }
    else {
      const c = ac[i++]! + bc[j++]!;
      if (c !== 0) { keys.push(x); counts.push(c); }
    }
  }
  for (; i < ak.length; i++) { keys.push(ak[i]!); counts.push(ac[i]!); }
  for (; j < bk.length; j++) { keys.push(bk[j]!); counts.push(bc[j]!); }
  return { keys, counts };
}

/** The sum of many sketches, in one pass over a key-indexed record. */
export function sketchMergeAll(list: readonly Sketch[]): Sketch {
  if (list.length === 1) return list[0]!;
  const rec: SketchRecord = {};
  for (const s of list) for (let i = 0; i < s.keys.length; i++) rec[s.keys[i]!] = (rec[s.keys[i]!] ?? 0) + s.counts[i]!;
  return sketchFromRecord(rec);
}

export function sketchCount(s: Sketch): number {
  let n = 0;
  for (const c of s.counts) n += c;
  return n;
}

/**
 * A sketch from the record form: keys as numbers or strings (ClickHouse JSON gives
 * strings, and 64-bit counts may arrive as strings); zero counts dropped, as sumMap does.
 */
export function sketchFromRecord(rec: Readonly<Record<string, unknown>>): Sketch {
  const entries: [number, number][] = [];
  for (const k in rec) {
    const c = Number(rec[k]);
    if (c !== 0) entries.push([Number(k), c]);
  }
  if (entries.length === 0) return EMPTY_SKETCH;
  entries.sort((x, y) => x[0] - y[0]);
  return { keys: entries.map((e) => e[0]), counts: entries.map((e) => e[1]) };
}

/**
 * An integer key above V8's limit for fast elements (2^29 − 1): writing it once puts an
 * object's integer keys in a hash table for good (dictionary elements).
 */
const DICTIONARY_KEY = 2 ** 30;

/**
 * The record form, for JSON (snapshots) and tests. A plain object keeps integer keys in
 * an array indexed from 0 (8 bytes × the highest key, 4–7 KB for latency keys), so a
 * sparse record (fewer than top / 24 keys) is made with a hash table instead: a hash
 * insert costs ~125 ns against ~4 ns, so past about top / 17 keys the array is cheaper
 * (measured on Node 20). Written lowest key first, the array ends between 1 and 1.5 ×
 * the highest key instead of 1.5 ×. Negative keys (the zero bucket, values below 1 ms)
 * are named properties, not indices: a record enumerates them after the others.
 */
export function sketchToRecord(s: Sketch): SketchRecord {
  const out: SketchRecord = {};
  const n = s.keys.length;
  if (n > 0 && n * 24 < s.keys[n - 1]! + 1) {
    out[DICTIONARY_KEY] = 0;
    delete out[DICTIONARY_KEY];
  }
  for (let i = 0; i < n; i++) out[s.keys[i]!] = s.counts[i]!;
  return out;
}

/** The JSON text of the record form (`{"-3":1,"12":4}`), written without building the record. */
export function sketchJson(s: Sketch): string {
  let out = '{';
  for (let i = 0; i < s.keys.length; i++) out += `${i === 0 ? '' : ','}"${s.keys[i]!}":${s.counts[i]!}`;
  return out + '}';
}

/**
 * The nearest rank of quantile q among n values: ⌈q·n⌉, at least 1. The small
 * tolerance keeps 0.07 × 100 (= 7.000…01 in floating point) at rank 7, as the
 * simulator's ground truth does.
 */
export function nearestRank(q: number, n: number): number {
  const x = q * n;
  return Math.min(n, Math.max(1, Math.ceil(x - Math.max(1e-9, Math.abs(x) * 1e-12))));
}

/**
 * Nearest-rank quantiles: for each q, the value (of its bucket) at rank ⌈q·n⌉ of
 * the values in ascending order; null when the sketch is empty. One sort for all qs.
 */
export function sketchQuantiles(s: Sketch, qs: readonly number[]): (number | null)[] {
  const { keys, counts } = s;
  let n = 0;
  for (const c of counts) if (c > 0) n += c;
  if (n === 0) return qs.map(() => null);
  return qs.map((q) => {
    const rank = nearestRank(q, n);
    let seen = 0;
    let last = 0;
    for (let i = 0; i < keys.length; i++) {
      if (!(counts[i]! > 0)) continue;
      last = keys[i]!;
      seen += counts[i]!;
      if (seen >= rank) return sketchValue(last);
    }
    return sketchValue(last);
  });
}

export function sketchQuantile(s: Sketch, q: number): number | null {
  return sketchQuantiles(s, [q])[0]!;
}
