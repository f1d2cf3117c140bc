import { describe, expect, it } from 'vitest';
import { incidentSeconds, sortByStartDesc, sortOpenIncidents } from './incidents.js';
import type { Incident } from './types.js';

const inc = (id: string, severity: string, start: string, resolved: string | null = null): Incident => ({
  id, service: 'voice', region: 'north', elements: [], severity, start, acknowledged: null, resolved, durationSeconds: null, flapping: false, alarmCount: 1, complaintCount: 0,
});

describe('incidents', () => {
  const list = [inc('a', 'major', '2026-03-01T10:00:00Z'), inc('b', 'critical', '2026-03-01T11:00:00Z'), inc('c', 'major', '2026-03-01T09:00:00Z')];
  it('open ones: worst severity first, then longest running', () => {
    expect(sortOpenIncidents(list).map((i) => i.id)).toEqual(['b', 'c', 'a']);
  });
  it('the period table: newest first', () => expect(sortByStartDesc(list).map((i) => i.id)).toEqual(['b', 'a', 'c']));
  it('duration: given, resolved − start, or running to now', () => {
    expect(incidentSeconds({ ...list[0]!, durationSeconds: 42 }, 0)).toBe(42);
    expect(incidentSeconds(inc('d', 'minor', '2026-03-01T10:00:00Z', '2026-03-01T10:30:00Z'), 0)).toBe(1800);
    expect(incidentSeconds(list[0]!, Date.parse('2026-03-01T10:01:00Z'))).toBe(60);
  });
});
