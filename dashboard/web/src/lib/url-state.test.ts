import { describe, expect, it } from 'vitest';
import { parseOps, parseSla, serializeOps, serializeSla } from './url-state.js';

const T = (s: string) => Date.parse(s);

describe('ops view state in the URL', () => {
  it('restores scope, rolling period and incident', () => {
    expect(parseOps('?service=voice&region=north&period=1h&incident=inc-7')).toEqual({
      service: 'voice', region: 'north', period: '1h', from: null, to: null, incident: 'inc-7',
    });
  });
  it('defaults to all regions over 24 h', () => {
    expect(parseOps('?service=voice')).toMatchObject({ service: 'voice', region: null, period: '24h', incident: null });
  });
  it('reads from/to as a custom period (UTC, whole minutes on the way out)', () => {
    const s = parseOps('?service=voice&from=2026-03-01T10:00:00Z&to=2026-03-01T12:00:00Z');
    expect(s).toMatchObject({ period: 'custom', from: T('2026-03-01T10:00:00Z'), to: T('2026-03-01T12:00:00Z') });
    expect(serializeOps(s)).toContain('from=2026-03-01T10%3A00%3A00Z');
  });
  it('falls back from a custom period without a valid range', () => {
    expect(parseOps('?period=custom&from=2026-03-01T12:00:00Z&to=2026-03-01T10:00:00Z').period).toBe('24h');
    expect(parseOps('?period=7y').period).toBe('24h');
  });
  it('round-trips', () => {
    for (const q of ['?service=voice&region=north&period=7d', '?service=sms&period=custom&from=2026-03-01T10%3A00%3A00Z&to=2026-03-02T10%3A00%3A00Z&incident=x']) {
      expect(serializeOps(parseOps(q))).toBe(serializeOps(parseOps(serializeOps(parseOps(q)))));
      expect(parseOps(serializeOps(parseOps(q)))).toEqual(parseOps(q));
    }
  });
});

describe('SLA view state in the URL', () => {
  it('defaults to this month', () => expect(parseSla('?service=voice')).toMatchObject({ service: 'voice', period: 'this-month' }));
  it('round-trips a custom period', () => {
    const s = parseSla('?service=voice&from=2026-02-01T00:00:00Z&to=2026-03-01T00:00:00Z');
    expect(s.period).toBe('custom');
    expect(parseSla(serializeSla(s))).toEqual(s);
  });
});
