import { describe, expect, it } from 'vitest';
import { alertView, applyAlerts, RECENT_RESOLVED_MS } from './alerts.js';
import type { Alert } from './types.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (min: number) => new Date(NOW + min * 60_000).toISOString();
const alert = (fingerprint: string, over: Partial<Alert> & { severity?: Alert['labels']['severity'] } = {}): Alert => {
  const { severity = 'ticket', ...rest } = over;
  return {
    fingerprint, status: 'firing', summary: '', startsAt: at(-10), endsAt: null, values: {},
    labels: { alertname: 'SloBurnRate', service: 'voice', region: 'north', kind: 'burn_rate', subject: 'availability', severity },
    ...rest,
  };
};

describe('alerts', () => {
  it('a later state of the same alert replaces the earlier one', () => {
    const m = applyAlerts(new Map(), [alert('a'), alert('b'), alert('a', { status: 'resolved', endsAt: at(-1) })]);
    expect(m.get('a')?.status).toBe('resolved');
    expect(m.size).toBe(2);
  });
  it('firing by severity then newest; resolved within the hour, newest end first', () => {
    const v = alertView([
      alert('old-ticket', { startsAt: at(-50) }),
      alert('new-ticket', { startsAt: at(-5) }),
      alert('page', { severity: 'page', startsAt: at(-90) }),
      alert('r-recent', { status: 'resolved', endsAt: at(-2) }),
      alert('r-older', { status: 'resolved', endsAt: at(-30) }),
      alert('r-gone', { status: 'resolved', endsAt: new Date(NOW - RECENT_RESOLVED_MS - 1).toISOString() }),
    ], NOW);
    expect(v.firing.map((a) => a.fingerprint)).toEqual(['page', 'new-ticket', 'old-ticket']);
    expect(v.resolved.map((a) => a.fingerprint)).toEqual(['r-recent', 'r-older']);
  });
});
