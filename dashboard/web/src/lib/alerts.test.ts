import { describe, expect, it } from 'vitest';
import { alertView, applyAlerts, RECENT_RESOLVED_MS } from './alerts.js';
import type { Alert } from './types.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const at = (min: number) => new Date(NOW + min * 60_000).toISOString();
const alert = (fingerprint: string, over: Partial<Alert> = {}): Alert => ({
  fingerprint, state: 'firing', kind: 'slo', severity: 'major', service: 'voice', region: 'north', summary: '', startsAt: at(-10), endsAt: null, ...over,
});

describe('alerts', () => {
  it('a later state of the same alert replaces the earlier one', () => {
    const m = applyAlerts(new Map(), [alert('a'), alert('b'), alert('a', { state: 'resolved', endsAt: at(-1) })]);
    expect(m.get('a')?.state).toBe('resolved');
    expect(m.size).toBe(2);
  });
  it('firing by severity then newest; resolved within the hour, newest end first', () => {
    const v = alertView([
      alert('old-major', { startsAt: at(-50) }),
      alert('new-major', { startsAt: at(-5) }),
      alert('crit', { severity: 'critical', startsAt: at(-90) }),
      alert('r-recent', { state: 'resolved', endsAt: at(-2) }),
      alert('r-older', { state: 'resolved', endsAt: at(-30) }),
      alert('r-gone', { state: 'resolved', endsAt: new Date(NOW - RECENT_RESOLVED_MS - 1).toISOString() }),
    ], NOW);
    expect(v.firing.map((a) => a.fingerprint)).toEqual(['crit', 'new-major', 'old-major']);
    expect(v.resolved.map((a) => a.fingerprint)).toEqual(['r-recent', 'r-older']);
  });
});
