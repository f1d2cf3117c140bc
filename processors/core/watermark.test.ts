// Per-scope watermark and late bound (CONTRACT.md section 3).
import { describe, expect, it } from 'vitest';
import { Watermark } from './watermark.js';

const T = Date.UTC(2026, 2, 1, 10, 0);
const min = (m: number, s = 0) => T + m * 60_000 + s * 1000;

describe('watermark', () => {
  it('is the newest event time minus the lateness; older events are late, equal ones are not', () => {
    const w = new Watermark(120_000);
    expect(w.isLate(0)).toBe(false); // nothing seen yet: nothing is late
    expect(w.observe(min(10))).toBe(true);
    // newest 10:10 → watermark 10:08
    expect(w.watermark).toBe(min(8));
    expect([w.isLate(min(8)), w.isLate(min(7, 59.999))]).toEqual([false, true]);
    // an older event does not move it back
    expect(w.observe(min(9))).toBe(false);
    expect(w.watermark).toBe(min(8));
  });

  it('after an idle close, everything before the end of the newest minute is late', () => {
    const w = new Watermark(120_000);
    w.observe(min(5, 30));
    w.closeIdle();
    // newest 10:05:30 → closed before 10:06, though the watermark is only 10:03:30
    expect(w.lateBefore).toBe(min(6));
    expect([w.isLate(min(5, 59)), w.isLate(min(6))]).toEqual([true, false]);
    // later events move the watermark on from there
    w.observe(min(20));
    expect(w.lateBefore).toBe(min(18));
  });

  it('restores to the same bound', () => {
    const w = new Watermark(60_000);
    w.load(min(3), min(4));
    expect(w.lateBefore).toBe(min(4)); // max(10:02, 10:04)
  });
});
