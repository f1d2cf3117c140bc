import { describe, expect, it } from 'vitest';
import { Rng } from './prng.js';

const draws = (rng: Rng, n: number, f: (r: Rng) => number) => Array.from({ length: n }, () => f(rng));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe('Rng', () => {
  it('repeats its stream for a seed and differs across seeds', () => {
    expect(draws(new Rng(7), 100, (r) => r.next())).toEqual(draws(new Rng(7), 100, (r) => r.next()));
    expect(draws(new Rng(7), 100, (r) => r.next())).not.toEqual(draws(new Rng(8), 100, (r) => r.next()));
  });

  it('stays in range', () => {
    const rng = new Rng(1);
    for (let i = 0; i < 10_000; i++) {
      const u = rng.next();
      expect(u >= 0 && u < 1).toBe(true);
      const k = rng.int(3, 5);
      expect(k >= 3 && k <= 5 && Number.isInteger(k)).toBe(true);
      expect(rng.pareto(2, 1.3, 100)).toBeGreaterThanOrEqual(2);
      expect(rng.pareto(2, 1.3, 100)).toBeLessThanOrEqual(100);
    }
  });

  it('draws from the intended distributions', () => {
    const rng = new Rng(42);
    const n = 50_000;
    expect(avg(draws(rng, n, (r) => r.normal(10, 2)))).toBeCloseTo(10, 1);
    expect(median(draws(rng, n, (r) => r.logNormal(45, 0.35)))).toBeGreaterThan(43);
    expect(median(draws(rng, n, (r) => r.logNormal(45, 0.35)))).toBeLessThan(47);
    expect(avg(draws(rng, n, (r) => r.exponential(3)))).toBeCloseTo(3, 1);
    expect(avg(draws(rng, n, (r) => r.poisson(2.5)))).toBeCloseTo(2.5, 1);
    expect(avg(draws(rng, n, (r) => r.poisson(100)))).toBeCloseTo(100, 0);
    // Pareto(xm, α) has median xm · 2^(1/α).
    const pm = median(draws(rng, n, (r) => r.pareto(2, 1.3)));
    expect(pm / (2 * 2 ** (1 / 1.3))).toBeCloseTo(1, 1);
    const counts = [0, 0, 0];
    for (let i = 0; i < n; i++) counts[rng.weightedIndex([1, 2, 7])]!++;
    expect(counts[2]! / n).toBeCloseTo(0.7, 1);
  });
});
