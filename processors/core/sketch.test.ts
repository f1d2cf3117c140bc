import { describe, expect, it } from 'vitest';
import { sketchAdd, sketchMerge, sketchQuantile, sketchCount, sketchValue, sketchKey, ZERO_KEY, type Sketch } from './sketch.js';

// mulberry32: a seeded PRNG so the random values are the same on every run.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function exact(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1]!;
}

const logNormal = (r: () => number, median: number, sigma: number) => () => {
  const u = Math.max(r(), 1e-12);
  const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  return median * Math.exp(sigma * z);
};

describe('latency sketch', () => {
  it('answers nearest-rank quantiles on a few hand-checked values', () => {
    const s: Sketch = {};
    for (const v of [10, 20, 30, 40]) sketchAdd(s, v);
    // n = 4: p50 = rank ⌈2⌉ = 20; p95 = rank ⌈3.8⌉ = 40; p0 → rank 1 = 10
    expect(sketchQuantile(s, 0.5)! / 20).toBeCloseTo(1, 1);
    expect(Math.abs(sketchQuantile(s, 0.5)! - 20) / 20).toBeLessThanOrEqual(0.005);
    expect(Math.abs(sketchQuantile(s, 0.95)! - 40) / 40).toBeLessThanOrEqual(0.005);
    expect(Math.abs(sketchQuantile(s, 0)! - 10) / 10).toBeLessThanOrEqual(0.005);
    expect(sketchCount(s)).toBe(4);
    expect(sketchQuantile({}, 0.5)).toBeNull();
  });

  it('counts zero latency exactly', () => {
    const s: Sketch = {};
    sketchAdd(s, 0);
    sketchAdd(s, 0);
    sketchAdd(s, 5);
    expect(sketchKey(0)).toBe(ZERO_KEY);
    expect(sketchQuantile(s, 0.5)).toBe(0);
    expect(sketchValue(ZERO_KEY)).toBe(0);
  });

  it.each([
    ['log-normal', (r: () => number) => logNormal(r, 45, 0.8)],
    ['uniform 0..2000', (r: () => number) => () => r() * 2000],
  ])('is within 1 %% of the exact p50/p95/p99 on 100k %s values, also after merging 100 sketches', (_n, make) => {
    const next = make(rng(42));
    const values = Array.from({ length: 100_000 }, next);
    const whole: Sketch = {};
    for (const v of values) sketchAdd(whole, v);
    const merged: Sketch = {};
    for (let i = 0; i < 100; i++) {
      const part: Sketch = {};
      for (const v of values.slice(i * 1000, (i + 1) * 1000)) sketchAdd(part, v);
      sketchMerge(merged, part);
    }
    for (const q of [0.5, 0.95, 0.99]) {
      const truth = exact(values, q);
      expect(Math.abs(sketchQuantile(whole, q)! - truth) / truth).toBeLessThan(0.01);
      expect(Math.abs(sketchQuantile(merged, q)! - truth) / truth).toBeLessThan(0.01);
    }
    expect(merged).toEqual(whole);
  });

  it('keeps keys within 32-bit integers for 1 µs to one day', () => {
    for (const v of [0.001, 0.5, 1, 1000, 86_400_000]) {
      const k = sketchKey(v);
      expect(Number.isInteger(k) && k > -(2 ** 31) && k < 2 ** 31).toBe(true);
      expect(Math.abs(sketchValue(k) - v) / v).toBeLessThanOrEqual(0.005 + 1e-12);
    }
  });
});
