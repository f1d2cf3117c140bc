// Downtime = length of the union of outage intervals clipped to the period (CONTRACT.md section 4).
import { describe, expect, it } from 'vitest';
import { unionIntervals, unionLength } from './outage-intervals.js';

const m = (min: number) => min * 60_000;

describe('downtime as the union of outage intervals', () => {
  it('counts overlapping and nested outages once', () => {
    // 10–25 ∪ 20–30 = 10–30 (20 min); 12–15 nested inside; 40–45 apart (5 min) → 25 min
    const iv = [{ start: m(10), end: m(25) }, { start: m(20), end: m(30) }, { start: m(12), end: m(15) }, { start: m(40), end: m(45) }];
    expect(unionLength(iv, 0, m(60))).toBe(m(25));
    expect(unionIntervals(iv, 0, m(60))).toEqual([{ start: m(10), end: m(30) }, { start: m(40), end: m(45) }]);
    // availability of that hour: 1 − 1500 s / 3600 s
    expect(1 - unionLength(iv, 0, m(60)) / m(60)).toBeCloseTo(1 - 1500 / 3600, 12);
  });

  it('clips to the period and runs open outages to its end', () => {
    // 50–70 clipped to 60 → 10 min; open from 55 → 5 min, inside the first → 50–60 = 10 min
    expect(unionLength([{ start: m(50), end: m(70) }, { start: m(55), end: null }], 0, m(60))).toBe(m(10));
    // entirely before the period
    expect(unionLength([{ start: m(-30), end: m(-10) }], 0, m(60))).toBe(0);
    // touching intervals merge: 0–10 ∪ 10–20 = 20 min, one interval
    expect(unionLength([{ start: 0, end: m(10) }, { start: m(10), end: m(20) }], 0, m(60))).toBe(m(20));
    expect(unionIntervals([{ start: 0, end: m(10) }, { start: m(10), end: m(20) }], 0, m(60))).toEqual([{ start: 0, end: m(20) }]);
  });

  it('splits an outage across midnight between the two days', () => {
    const day = 86_400_000;
    // 23:30 → 02:15 next day: 30 min on day 1, 2 h 15 min on day 2
    const iv = [{ start: day - m(30), end: day + m(135) }];
    expect(unionLength(iv, 0, day)).toBe(m(30));
    expect(unionLength(iv, day, 2 * day)).toBe(m(135));
    // and over 165 one-minute windows the minutes add up to the whole: 30 + 135
    let sum = 0;
    for (let t = day - m(60); t < day + m(180); t += m(1)) sum += unionLength(iv, t, t + m(1));
    expect(sum).toBe(m(165));
  });

  it('ignores empty and inverted intervals and does not change its input', () => {
    const iv = [{ start: m(5), end: m(5) }, { start: m(9), end: m(3) }, { start: m(1), end: m(2) }];
    const copy = structuredClone(iv);
    expect(unionLength(iv, 0, m(60))).toBe(m(1));
    expect(iv).toEqual(copy);
    expect(unionLength([], 0, m(60))).toBe(0);
  });
});
