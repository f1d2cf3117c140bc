// The dense hot-path sketch must hold exactly what the compact Sketch of the same values holds.
import { describe, expect, it } from 'vitest';
import { LatencyBins } from './latency-bins.js';
import { EMPTY_SKETCH, sketchKey, sketchOf, sketchToRecord, ZERO_KEY } from './sketch.js';

describe('latency bins', () => {
  it('hold the same buckets as a Sketch, growing in both directions', () => {
    const values = [40, 41, 0, 3, 900, 0.5, 12_000, 40, 0.0001, 86_400_000];
    const bins = new LatencyBins();
    for (const v of values) bins.add(sketchKey(v));
    expect(bins.toSketch()).toEqual(sketchOf(values));
    // 10 values; 0 and 0.0001 share the zero bucket; 40 twice
    expect(bins.count()).toBe(10);
    expect(sketchToRecord(bins.toSketch())[ZERO_KEY]).toBe(2);
    expect(sketchToRecord(bins.toSketch())[sketchKey(40)]).toBe(2);
  });

  it('give ascending keys while sparse too, whatever the insertion order', () => {
    const bins = new LatencyBins();
    [900, 3, 0, 40, 3].forEach((v) => bins.add(sketchKey(v)));
    expect(bins.toSketch()).toEqual(sketchOf([0, 3, 3, 40, 900]));
    expect(new LatencyBins().toSketch()).toEqual(EMPTY_SKETCH);
    // Descending insertion, the zero bucket in the middle: keys come out ascending, ZERO_KEY first.
    const desc = new LatencyBins();
    [5000, 900, 0, 40, 3, 1, 900].forEach((v) => desc.add(sketchKey(v)));
    const k = [1, 3, 40, 900, 5000].map(sketchKey);
    expect(desc.toSketch()).toEqual({ keys: [ZERO_KEY, ...k], counts: [1, 1, 1, 1, 2, 1] });
  });

  it('add into each other by bucket', () => {
    const a = new LatencyBins();
    const b = new LatencyBins();
    [1, 2, 3].forEach((v) => a.add(sketchKey(v)));
    [3, 5000, 0].forEach((v) => b.add(sketchKey(v)));
    a.addBins(b);
    expect(a.toSketch()).toEqual(sketchOf([1, 2, 3, 3, 5000, 0]));
    // 3 ms twice: once from each
    expect(sketchToRecord(a.toSketch())[sketchKey(3)]).toBe(2);
  });

  it('reuse a spare array when it is large enough (but not twice too large), and zero it', () => {
    const spare = new Float64Array(11).fill(7);
    const a = new LatencyBins();
    a.reserve(100, 110, spare);
    expect(a.counts).toBe(spare);
    expect(a.count()).toBe(0);
    const b = new LatencyBins();
    b.reserve(100, 120, new Float64Array(11)); // 21 keys do not fit in 11
    expect(b.counts.length).toBe(21);
    const c = new LatencyBins();
    c.reserve(100, 104, new Float64Array(11)); // 5 keys: 11 is more than twice that
    expect(c.counts.length).toBe(5);
    expect(a.range()).toEqual([100, 110]);
    expect(new LatencyBins().range()).toBeNull(); // sparse (empty) bins have no dense range
  });

  it('round-trip through the Record form (snapshots)', () => {
    const a = new LatencyBins();
    [0, 7, 7, 7, 250].forEach((v) => a.add(sketchKey(v)));
    const b = new LatencyBins();
    b.addRecord(sketchToRecord(a.toSketch()));
    expect(b.toSketch()).toEqual(a.toSketch());
  });
});

describe('sums of bins', () => {
  it('equal the merged sketches, dense and sparse alike, leaving the parts unchanged', () => {
    const dense = new LatencyBins();
    for (let v = 1; v <= 200; v++) dense.add(sketchKey(v)); // 200 values: dense
    const sparse = new LatencyBins();
    [0, 0.5, 7000].forEach((v) => sparse.add(sketchKey(v))); // 3 values: sparse
    const want = sketchOf([...Array.from({ length: 200 }, (_, i) => i + 1), 0, 0.5, 7000]);
    const before = [dense.toSketch(), sparse.toSketch()];
    expect(LatencyBins.sumToSketch([dense, sparse])).toEqual(want);
    expect([dense.toSketch(), sparse.toSketch()]).toEqual(before);
    expect(LatencyBins.sumToSketch([new LatencyBins()])).toEqual(EMPTY_SKETCH);
    const zeroOnly = new LatencyBins();
    zeroOnly.add(ZERO_KEY, 2);
    expect(LatencyBins.sumToSketch([zeroOnly, new LatencyBins()])).toEqual({ keys: [ZERO_KEY], counts: [2] });
    // 200 + 3 values
    expect(dense.count() + sparse.count()).toBe(203);
  });

  it('leave nothing behind in their scratch for the next sum', () => {
    const a = new LatencyBins();
    [10, 20, 30].forEach((v) => a.add(sketchKey(v)));
    const b = new LatencyBins();
    b.add(sketchKey(20));
    // a then b alone: b's row has 20 ms once, not twice, and no 10 or 30 from a's sum
    expect(LatencyBins.sumToSketch([a, a])).toEqual({ keys: [10, 20, 30].map(sketchKey), counts: [2, 2, 2] });
    expect(LatencyBins.sumToSketch([b])).toEqual({ keys: [sketchKey(20)], counts: [1] });
  });
});
