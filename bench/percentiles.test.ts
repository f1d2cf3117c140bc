import { describe, expect, it } from 'vitest';
import { formatSummary, percentile, summarize } from './percentiles.js';

describe('nearest-rank percentiles', () => {
  // 1..100: rank ⌈q·100⌉ is the value itself.
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1);

  it('takes the value at rank ⌈q·n⌉', () => {
    expect(percentile(hundred, 0.5)).toBe(50);
    expect(percentile(hundred, 0.95)).toBe(95);
    expect(percentile(hundred, 0.99)).toBe(99);
    expect(percentile(hundred, 1)).toBe(100);
    // q = 0 is rank 1 (the minimum), not rank 0.
    expect(percentile(hundred, 0)).toBe(1);
  });

  it('never interpolates: p99 of ten values is the largest, p50 the fifth', () => {
    const ten = [10, 20, 30, 40, 50, 60, 70, 80, 90, 1000];
    // ⌈0.99·10⌉ = 10 → 1000; ⌈0.5·10⌉ = 5 → 50
    expect(percentile(ten, 0.99)).toBe(1000);
    expect(percentile(ten, 0.5)).toBe(50);
  });

  it('keeps 0.07·100 (7.000…01 in floating point) at rank 7', () => {
    expect(percentile(hundred, 0.07)).toBe(7);
  });

  it('rejects a q outside 0..1 and is NaN on no data', () => {
    expect(() => percentile(hundred, 1.5)).toThrow(/q: must be from 0 to 1/);
    expect(percentile([], 0.5)).toBeNaN();
  });

  it('summarises unsorted input without changing it', () => {
    const input = [5, 1, 4, 2, 3];
    const s = summarize(input);
    expect(input).toEqual([5, 1, 4, 2, 3]);
    // sorted 1..5: p50 rank ⌈2.5⌉ = 3 → 3; p95 rank ⌈4.75⌉ = 5 → 5; mean 15 / 5 = 3
    expect(s).toEqual({ n: 5, min: 1, p50: 3, p95: 5, p99: 5, max: 5, mean: 3 });
    expect(formatSummary(s)).toBe('n=5 p50 3.0 ms, p95 5.0 ms, p99 5.0 ms, max 5.0 ms');
  });
});
