// Mergeable latency sketch (DDSketch-style log buckets) for probe latency
// quantiles (CONTRACT.md section 4: p50/p95/p99 within 1 % relative error).
// Bucket i holds values in (γ^(i−1), γ^i]; reporting 2γ^i/(γ+1) is within α of
// every value in it, whatever number of sketches were merged, because merging
// adds counts of identical buckets. Keys are 32-bit ints (ClickHouse Map(Int32, UInt64)).

export type Sketch = Record<number, number>;

/** Relative accuracy α: 0.5 %, so the 1 % contract bound holds with margin. */
export const SKETCH_ALPHA = 0.005;
const GAMMA = (1 + SKETCH_ALPHA) / (1 - SKETCH_ALPHA);
const LN_GAMMA = Math.log(GAMMA);
/** Values below this (ms) are counted as zero. */
export const SKETCH_MIN_VALUE = 1e-3;
/** Bucket of zero latency; far below any real index (1e-3 ms → about −691). */
export const ZERO_KEY = -100_000;

export function sketchKey(valueMs: number): number {
  // `| 0` keeps the key a small integer, which Maps hash much faster than a double.
  return valueMs < SKETCH_MIN_VALUE ? ZERO_KEY : Math.ceil(Math.log(valueMs) / LN_GAMMA) | 0;
}

/** The value a bucket reports. */
export function sketchValue(key: number): number {
  return key === ZERO_KEY ? 0 : (2 * GAMMA ** key) / (GAMMA + 1);
}

export function sketchAdd(s: Sketch, valueMs: number, count = 1): void {
  const k = sketchKey(valueMs);
  s[k] = (s[k] ?? 0) + count;
}

export function sketchMerge(into: Sketch, from: Sketch): Sketch {
  for (const k in from) into[k as unknown as number] = (into[k as unknown as number] ?? 0) + from[k as unknown as number]!;
  return into;
}

export function sketchCount(s: Sketch): number {
  let n = 0;
  for (const k in s) n += s[k as unknown as number]!;
  return n;
}

/**
 * Nearest-rank quantile: the value at rank ⌈q·n⌉ (at least 1) in ascending order,
 * the definition the ground truth uses on exact values. null when empty.
 */
export function sketchQuantile(s: Sketch, q: number): number | null {
  const keys = Object.keys(s).map(Number).sort((a, b) => a - b);
  let n = 0;
  for (const k of keys) n += s[k]!;
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(q * n));
  let seen = 0;
  for (const k of keys) {
    seen += s[k]!;
    if (seen >= rank) return sketchValue(k);
  }
  return sketchValue(keys[keys.length - 1]!);
}

/** Several quantiles with one sort. */
export function sketchQuantiles(s: Sketch, qs: readonly number[]): (number | null)[] {
  return qs.map((q) => sketchQuantile(s, q));
}
