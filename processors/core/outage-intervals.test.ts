import { describe, expect, it } from 'vitest';
import { unionIntervals, unionLength } from './outage-intervals.js';

const m = (min: number) => min * 60_000;

describe('downtime as the union of outage intervals', () => {
  it('counts overlapping and nested outages once', () => {
    // 10–25 ∪ 20–30 = 10–30 (20 min); 12–15 nested inside; 40–45 apart → 25 min
    const iv = [{ start: m(10), end: m(25) }, { start: m(20), end: m(30) }, { start: m(12), end: m(15) }, { start: m(40), end: m(45) }];
    expect(unionLength(iv, 0, m(60))).toBe(m(25));
    expect(unionIntervals(iv, 0, m(60))).toEqual([{ start: m(10), end: m(30) }, { start: m(40), end: m(45) }]);
  });

  it('clips to the period and runs open outages to its end', () => {
    // 50–70 clipped to 60 → 10 min; open from 55 → 5 min, overlapping the first → 50–60 = 10 min
    expect(unionLength([{ start: m(50), end: m(70) }, { start: m(55), end: null }], 0, m(60))).toBe(m(10));
    // entirely before the period
    expect(unionLength([{ start: m(-30), end: m(-10) }], 0, m(60))).toBe(0);
    // touching intervals merge: 0–10 ∪ 10–20 = 20 min
    expect(unionLength([{ start: 0, end: m(10) }, { start: m(10), end: m(20) }], 0, m(60))).toBe(m(20));
  });
});
