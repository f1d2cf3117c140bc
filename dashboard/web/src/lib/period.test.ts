import { describe, expect, it } from 'vitest';
import { DAY, HOUR, isoMinute, opsRange, parseInstant, slaRange, stepFor } from './period.js';

const now = Date.parse('2026-11-28T21:33:20.500Z');

describe('periods', () => {
  it('rolling ops periods end at the end of the current minute, whole minutes', () => {
    const r = opsRange('1h', now);
    expect(isoMinute(r.to)).toBe('2026-11-28T21:34:00Z');
    expect(r.to - r.from).toBe(HOUR);
    expect(opsRange('30d', now).to - opsRange('30d', now).from).toBe(30 * DAY);
    // Exactly on a minute boundary the current minute is still included.
    expect(isoMinute(opsRange('1h', Date.parse('2026-11-28T21:34:00Z')).to)).toBe('2026-11-28T21:35:00Z');
  });
  it('steps by period', () => {
    expect(stepFor('1h')).toBe('1m');
    expect(stepFor('24h')).toBe('5m');
    expect(stepFor('7d')).toBe('1h');
    expect(stepFor('30d')).toBe('1d');
    expect(stepFor('custom', { from: 0, to: HOUR })).toBe('1m');
    expect(stepFor('custom', { from: 0, to: 3 * DAY })).toBe('1h');
    expect(stepFor('custom', { from: 0, to: 60 * DAY })).toBe('1d');
  });
  it('SLA months in UTC, across a year boundary', () => {
    expect(isoMinute(slaRange('this-month', now).from)).toBe('2026-11-01T00:00:00Z');
    const last = slaRange('last-month', Date.parse('2027-01-15T12:00:00Z'));
    expect(isoMinute(last.from)).toBe('2026-12-01T00:00:00Z');
    expect(isoMinute(last.to)).toBe('2027-01-01T00:00:00Z');
    const r30 = slaRange('30d', now);
    expect(r30.to - r30.from).toBe(30 * DAY);
  });
  it('parses instants as UTC, datetime-local values included', () => {
    expect(parseInstant('2026-11-28T10:00')).toBe(Date.parse('2026-11-28T10:00:00Z'));
    expect(parseInstant('2026-11-28T10:00:00+01:00')).toBe(Date.parse('2026-11-28T09:00:00Z'));
    expect(parseInstant('garbage')).toBeNull();
    expect(parseInstant('')).toBeNull();
  });
});
