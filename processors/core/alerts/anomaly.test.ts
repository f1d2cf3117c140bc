import { describe, expect, it } from 'vitest';
import { AnomalyDetector, type AnomalyOptions } from './anomaly.js';
import { Ewma } from './baseline.js';
import { WindowSums } from './window-sums.js';

// Small numbers so every band can be worked out by hand.
const opts: AnomalyOptions = {
  alpha: 0.5, profileMinSamples: 1e9, k: 3, relSdFloor: 0, absSdFloor: 1, poisson: false,
  sustainMinutes: 3, clearMinutes: 2, warmupSamples: 5,
};

describe('EWMA', () => {
  it('averages the first samples plainly, then weighs by alpha', () => {
    const e = new Ewma(0.5);
    e.update(10);
    e.update(20); // a = max(0.5, 1/2): mean 15, variance (1 − .5)(0 + 10 × 5) = 25
    expect([e.mean, e.variance]).toEqual([15, 25]);
    e.update(15); // a = 0.5: d = 0 → mean 15, variance 12.5
    expect([e.mean, e.variance]).toEqual([15, 12.5]);
  });
});

describe('anomaly detector', () => {
  it('is quiet during warm-up, fires after 3 minutes above the band, resolves after 2 within it', () => {
    const d = new AnomalyDetector(opts);
    // Warm-up: five samples, even absurd ones, never fire (they only teach the baseline).
    for (const v of [10, 10, 10, 10, 10]) expect(d.step(v, 0)).toBeNull();
    // Baseline mean 10, variance 0 → sd floor 1 → upper = 10 + 3 × 1 = 13.
    expect(d.step(14, 0)).toBeNull();
    expect(d.step(14, 0)).toBeNull();
    expect(d.step(14, 0)).toEqual({ status: 'firing', value: 14, mean: 10, upper: 13 });
    // Out-of-band minutes were not learnt: the band is still 10 ± 3.
    expect(d.step(12, 0)).toBeNull();
    // 12 was learnt: mean 11, variance 0.5 × (0 + 2 × 1) = 1 → upper 11 + 3 = 14.
    expect(d.step(12, 0)).toEqual({ status: 'resolved', value: 12, mean: 11, upper: 14 });
  });

  it('a blip shorter than the sustain time fires nothing, and null minutes change nothing', () => {
    const d = new AnomalyDetector(opts);
    for (let i = 0; i < 5; i++) d.step(10, 0);
    expect([d.step(50, 0), d.step(50, 0), d.step(10, 0), d.step(null, 0), d.step(50, 0), d.step(null, 0), d.step(50, 0)]).toEqual([null, null, null, null, null, null, null]);
    expect(d.firing).toBe(false);
    expect(d.step(50, 0)?.status).toBe('firing');
  });

  it('counts use at least the Poisson spread √mean', () => {
    const d = new AnomalyDetector({ ...opts, poisson: true, absSdFloor: 0 });
    for (let i = 0; i < 5; i++) d.step(16, 0);
    // mean 16, variance 0 → sd = √16 = 4 → upper 16 + 12 = 28.
    expect(d.upperBound(0)).toEqual({ mean: 16, upper: 28 });
  });

  it('switches to the hour-of-day profile once that hour has enough samples', () => {
    // Learnt during warm-up, so every sample counts.
    const d = new AnomalyDetector({ ...opts, profileMinSamples: 2, warmupSamples: 3 });
    d.step(100, 3);
    d.step(100, 3);
    d.step(10, 4);
    // Hour 3 has 2 samples (mean 100); hour 5 has none and falls back to the global
    // mean: 100, 100, then 10 weighed by 0.5 → 55.
    expect(d.upperBound(3).mean).toBe(100);
    expect(d.upperBound(5).mean).toBe(55);
  });
});

describe('window sums', () => {
  it('keeps trailing sums exact as minutes roll out of each window', () => {
    const w = new WindowSums([2, 3]);
    const seen: number[][] = [];
    for (const v of [1, 2, 4, 8, 16]) {
      w.push(v);
      seen.push([w.sum(2), w.sum(3)]);
    }
    expect(seen).toEqual([[1, 1], [3, 3], [6, 7], [12, 14], [24, 28]]);
    expect(() => w.sum(5)).toThrow(/5-minute/);
    expect(() => w.push(1.5)).toThrow(/integers/);
  });
});
