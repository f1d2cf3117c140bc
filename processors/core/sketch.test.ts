// The latency sketch (CONTRACT.md section 4: p50/p95/p99 within 1 % relative error).
import { describe, expect, it } from 'vitest';
import {
  nearestRank, sketchAdd, sketchCount, sketchFromRecord, sketchJson, sketchKey, sketchMerge, sketchMergeAll, sketchOf,
  sketchQuantile, sketchQuantiles, sketchToRecord, sketchValue, EMPTY_SKETCH, SKETCH_GAMMA, ZERO_KEY, type Sketch, type SketchRecord,
} from './sketch.js';
import { rng } from './test-rng.js';

/** The exact nearest-rank quantile, computed independently of the sketch: sorted[⌈q·n⌉ − 1]. */
function exact(sorted: readonly number[], q: number): number {
  // q·n for q = 0.5, 0.95, 0.99 and n = 100 000 is an integer up to rounding error.
  const rank = Math.max(1, Math.ceil(Math.round(q * sorted.length * 1e6) / 1e6));
  return sorted[rank - 1]!;
}

const logNormal = (r: () => number, median: number, sigma: number) => () => {
  const u = Math.max(r(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  return median * Math.exp(sigma * z);
};

const relErr = (got: number | null, want: number) => Math.abs(got! - want) / want;

describe('latency sketch', () => {
  it('answers nearest-rank quantiles on hand-checked values', () => {
    let s: Sketch = EMPTY_SKETCH;
    for (const v of [10, 20, 30, 40]) s = sketchAdd(s, v);
    // n = 4: p50 → rank ⌈2⌉ = 2 → 20; p95 → rank ⌈3.8⌉ = 4 → 40; p0 → rank 1 → 10; p26 → rank ⌈1.04⌉ = 2 → 20
    expect(relErr(sketchQuantile(s, 0.5), 20)).toBeLessThanOrEqual(0.005);
    expect(relErr(sketchQuantile(s, 0.95), 40)).toBeLessThanOrEqual(0.005);
    expect(relErr(sketchQuantile(s, 0), 10)).toBeLessThanOrEqual(0.005);
    expect(relErr(sketchQuantile(s, 0.26), 20)).toBeLessThanOrEqual(0.005);
    expect(sketchCount(s)).toBe(4);
  });

  it('keeps 0.07 × 100 at rank 7 despite floating point (0.07 × 100 = 7.000…01)', () => {
    expect(0.07 * 100).toBeGreaterThan(7);
    expect(nearestRank(0.07, 100)).toBe(7);
    expect(nearestRank(0.55, 100)).toBe(55); // 55.000…01
    expect(nearestRank(0.95, 20)).toBe(19);
    expect(nearestRank(0.5, 3)).toBe(2); // ⌈1.5⌉
    expect(nearestRank(0.99, 100_000)).toBe(99_000);
    expect(nearestRank(0, 7)).toBe(1);
    expect(nearestRank(1, 7)).toBe(7);
    // values 1..100 ms: p7 is the 7th value, 7 ms, not the 8th
    const s = sketchOf(Array.from({ length: 100 }, (_, i) => i + 1));
    expect(relErr(sketchQuantile(s, 0.07), 7)).toBeLessThanOrEqual(0.005);
  });

  it('is null when empty, also for several quantiles at once', () => {
    expect(sketchQuantile(EMPTY_SKETCH, 0.5)).toBeNull();
    expect(sketchQuantiles(EMPTY_SKETCH, [0.5, 0.99])).toEqual([null, null]);
  });

  it('counts zero (and sub-microsecond) latency in the zero bucket, reported as 0', () => {
    const s = sketchAdd(sketchAdd(sketchAdd(EMPTY_SKETCH, 0), 0.0004), 5);
    expect(sketchKey(0)).toBe(ZERO_KEY);
    // the zero bucket is the lowest key, so first
    expect(s).toEqual({ keys: [ZERO_KEY, sketchKey(5)], counts: [2, 1] });
    // n = 3: p50 → rank 2 → the zero bucket; p99 → rank 3 → 5 ms
    expect(sketchQuantile(s, 0.5)).toBe(0);
    expect(relErr(sketchQuantile(s, 0.99), 5)).toBeLessThanOrEqual(0.005);
  });

  it('maps every value to a 32-bit key whose bucket value is within α = 0.5 % of it', () => {
    const r = rng(7);
    for (let i = 0; i < 10_000; i++) {
      const v = 10 ** (r() * 10 - 3); // 1 µs … 10^7 ms
      const k = sketchKey(v);
      expect(Number.isInteger(k) && k >= -(2 ** 31) && k < 2 ** 31).toBe(true);
      expect(relErr(sketchValue(k), v)).toBeLessThanOrEqual(0.005 + 1e-12);
    }
    // the documented extremes: 1e-3 ms → −690, one day (86 400 000 ms) → 1828
    expect([sketchKey(1e-3), sketchKey(86_400_000)]).toEqual([-690, 1828]);
    expect(sketchKey(Infinity)).toBe(sketchKey(1e12));
    expect(sketchKey(Number.NaN)).toBe(ZERO_KEY);
  });

  it('documents its mapping: bucket k holds (γ^(k−1), γ^k] and reports 2γ^k/(γ+1)', () => {
    expect(SKETCH_GAMMA).toBeCloseTo(1.005 / 0.995, 15);
    // 100 ms: ln(100)/ln(γ) = 4.60517/0.0100003 = 460.50… → key 461
    expect(sketchKey(100)).toBe(461);
    expect(sketchValue(461)).toBeCloseTo((2 * SKETCH_GAMMA ** 461) / (SKETCH_GAMMA + 1), 9);
    expect(SKETCH_GAMMA ** 460).toBeLessThan(100);
    expect(SKETCH_GAMMA ** 461).toBeGreaterThanOrEqual(100);
  });

  it('merges by adding counts of equal keys, whatever the order', () => {
    const a = sketchOf([1, 2, 3]);
    const b = sketchOf([3, 4, 0]);
    const ab = sketchMerge(sketchMerge(EMPTY_SKETCH, a), b);
    const ba = sketchMerge(sketchMerge(EMPTY_SKETCH, b), a);
    expect(ab).toEqual(ba);
    expect(ab).toEqual(sketchMergeAll([b, EMPTY_SKETCH, a]));
    expect(sketchCount(ab)).toBe(6);
    expect(sketchToRecord(ab)[sketchKey(3)]).toBe(2);
    // the operands are unchanged
    expect(a).toEqual(sketchOf([1, 2, 3]));
  });

  it.each([
    ['log-normal (median 45 ms, σ 0.8)', (r: () => number) => logNormal(r, 45, 0.8)],
    ['uniform 0..2000 ms', (r: () => number) => () => r() * 2000],
  ])('is within 1 %% of the exact p50/p95/p99 on 100k %s values, also after merging 100 sketches of 1k', (_n, make) => {
    const next = make(rng(42));
    const values = Array.from({ length: 100_000 }, next);
    const sorted = [...values].sort((x, y) => x - y);
    const whole = sketchOf(values);
    let merged = EMPTY_SKETCH;
    for (let i = 0; i < 100; i++) merged = sketchMerge(merged, sketchOf(values.slice(i * 1000, (i + 1) * 1000)));
    const [w50, w95, w99] = sketchQuantiles(whole, [0.5, 0.95, 0.99]);
    const [m50, m95, m99] = sketchQuantiles(merged, [0.5, 0.95, 0.99]);
    const truth = [exact(sorted, 0.5), exact(sorted, 0.95), exact(sorted, 0.99)];
    for (const [got, want] of [[w50, truth[0]], [w95, truth[1]], [w99, truth[2]], [m50, truth[0]], [m95, truth[1]], [m99, truth[2]]] as const) {
      expect(relErr(got, want!)).toBeLessThan(0.01);
    }
    expect(merged).toEqual(whole);
  });

  it('converts to and from the record form (ClickHouse Map JSON, snapshots) without loss', () => {
    const s = sketchOf([0, 0, 1, 7, 7, 7, 250, 86_400_000]);
    const rec = sketchToRecord(s);
    // (negative keys are not array indices: a record enumerates them after the others)
    expect(Object.keys(rec).map(Number).sort((x, y) => x - y)).toEqual(s.keys);
    expect(sketchFromRecord(rec)).toEqual(s);
    // the JSON text written for ClickHouse is the record's JSON, keys ascending
    expect(JSON.parse(sketchJson(s))).toEqual(JSON.parse(JSON.stringify(rec)));
    expect(sketchJson(sketchOf([0, 0, 100]))).toBe(`{"${ZERO_KEY}":2,"461":1}`);
    expect(JSON.parse(sketchJson(EMPTY_SKETCH))).toEqual({});
    // ClickHouse JSON: string keys, maybe string counts, any order; zero counts dropped (as sumMap does)
    expect(sketchFromRecord({ '461': '3', '-100000': 1, '-5': 0, '12': 2 })).toEqual({ keys: [ZERO_KEY, 12, 461], counts: [1, 2, 3] });
    expect(sketchFromRecord({})).toEqual(EMPTY_SKETCH);
  });

  it('gives the same quantiles as the record form did (keys sorted per call, zero counts skipped)', () => {
    // The record implementation this form replaced, kept here as the reference.
    const recordQuantiles = (rec: SketchRecord, qs: number[]) => {
      const keys: number[] = [];
      let n = 0;
      for (const k in rec) if (rec[Number(k)]! > 0) { keys.push(Number(k)); n += rec[Number(k)]!; }
      if (n === 0) return qs.map(() => null);
      keys.sort((x, y) => x - y);
      return qs.map((q) => {
        const rank = nearestRank(q, n);
        let seen = 0;
        for (const k of keys) { seen += rec[k]!; if (seen >= rank) return sketchValue(k); }
        return sketchValue(keys[keys.length - 1]!);
      });
    };
    const r = rng(11);
    const qs = [0, 0.01, 0.07, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1];
    for (let t = 0; t < 200; t++) {
      const n = Math.floor(r() * 300);
      const values = Array.from({ length: n }, () => (r() < 0.05 ? 0 : 10 ** (r() * 6 - 2)));
      const s = sketchOf(values);
      expect(sketchQuantiles(s, qs)).toEqual(recordQuantiles(sketchToRecord(s), qs));
    }
  });
});
