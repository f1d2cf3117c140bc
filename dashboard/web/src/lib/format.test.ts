import { describe, expect, it } from 'vitest';
import { age, clock, count, duration, durationShort, ms, pct, pctNumber, score, utc, NO_DATA } from './format.js';

describe('format', () => {
  it('percentages', () => {
    expect(pct(0.99953)).toBe('99.953 %');
    expect(pct(1, 1)).toBe('100.0 %');
    expect(pct(null)).toBe(NO_DATA);
    expect(pctNumber(0.5, 0)).toBe('50');
    expect(pctNumber(Number.NaN)).toBe(NO_DATA);
  });
  it('latency', () => {
    expect(ms(87.4)).toBe('87 ms');
    expect(ms(1240)).toBe('1.24 s');
    expect(ms(12_500)).toBe('12.5 s');
    expect(ms(undefined)).toBe(NO_DATA);
  });
  it('durations', () => {
    expect(duration(45)).toBe('45s');
    expect(duration(725)).toBe('12m 05s');
    expect(duration(3 * 3600 + 240)).toBe('3h 04m');
    expect(duration(2 * 86400 + 3 * 3600)).toBe('2d 03h');
    expect(duration(-90)).toBe('−1m 30s');
    expect(duration(null)).toBe(NO_DATA);
    expect(durationShort(45)).toBe('45s');
    expect(durationShort(2520)).toBe('42m');
    expect(durationShort(3600 + 7 * 60)).toBe('1h07m');
    expect(durationShort(2 * 86400 + 3 * 3600)).toBe('2d03h');
  });
  it('ages tick from a start instant', () => {
    const start = '2026-11-28T10:00:00Z';
    expect(age(start, Date.parse(start) + 3723_000)).toBe('1:02:03');
    expect(age(start, Date.parse(start) + 86_400_000 + 5000)).toBe('1d 0:00:05');
    expect(age(start, Date.parse(start) - 5000)).toBe('0:00:00');
    expect(age(null, 0)).toBe(NO_DATA);
    expect(age('nonsense', 0)).toBe(NO_DATA);
  });
  it('counts, scores, UTC times', () => {
    expect(count(12345)).toBe('12,345');
    expect(count(null)).toBe(NO_DATA);
    expect(score(32)).toBe('+32');
    expect(score(-12.26)).toBe('-12.3');
    expect(score(0)).toBe('0');
    expect(utc('2026-11-28T10:20:30.000Z')).toBe('2026-11-28 10:20:30Z');
    expect(utc(Date.parse('2026-11-28T10:20:30Z'), false)).toBe('2026-11-28 10:20Z');
    expect(clock(Date.parse('2026-11-28T10:20:30Z'))).toBe('10:20:30');
  });
});
