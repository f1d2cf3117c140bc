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

/** Bucket key → count. The exchange format: rollup rows, snapshots, query results. */
export type Sketch = Record<number, number>;

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

export function sketchAdd(s: Sketch, valueMs: number, count = 1): Sketch {
  const k = sketchKey(valueMs);
  s[k] = (s[k] ?? 0) + count;
  return s;
}

export function sketchMerge(into: Sketch, from: Sketch): Sketch {
  for (const k in from) {
    const key = Number(k);
    into[key] = (into[key] ?? 0) + from[key]!;
  }
  return into;
}

export function sketchCount(s: Sketch): number {
  let n = 0;
  for (const k in s) n += s[Number(k)]!;
  return n;
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
  const keys: number[] = [];
  let n = 0;
  for (const k in s) {
    const c = s[Number(k)]!;
    if (c > 0) {
      keys.push(Number(k));
      n += c;
    }
  }
  if (n === 0) return qs.map(() => null);
  keys.sort((a, b) => a - b);
  return qs.map((q) => {
    const rank = nearestRank(q, n);
    let seen = 0;
    for (const k of keys) {
      seen += s[k]!;
      if (seen >= rank) return sketchValue(k);
    }
    return sketchValue(keys[keys.length - 1]!);
  });
}

export function sketchQuantile(s: Sketch, q: number): number | null {
  return sketchQuantiles(s, [q])[0]!;
}
