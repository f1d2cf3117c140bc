import { describe, expect, it } from 'vitest';
import { layoutTimeline, markerKind, niceTickStep, toMs } from './timeline.js';
import type { IncidentDetail } from './types.js';

const T = (hm: string) => `2026-03-01T${hm}:00.000Z`;

const detail: IncidentDetail = {
  incident: { id: 'i1', service: 'voice', region: 'north', elements: ['cell-7'], severity: 'critical', start: T('10:00'), acknowledged: T('10:05'), resolved: T('10:30'), durationSeconds: 1800, flapping: false, alarmCount: 2, complaintCount: 1 },
  alarms: [
    { alarmId: 'A1', element: 'cell-7', severity: 'critical', raised: T('10:00'), acked: T('10:05'), cleared: T('10:30') },
    { alarmId: 'A2', element: 'cell-8', severity: 'major', raised: T('10:10'), acked: null, cleared: null },
  ],
  events: [
    { id: 'e1', type: 'alarm', ts: T('10:00'), service: 'voice', region: 'north', state: 'raised' },
    { id: 'e2', type: 'complaint', ts: Date.parse(T('10:15')), service: 'voice', region: 'north', state: 'opened' },
    { id: 'e3', type: 'probe', ts: T('10:20'), service: 'voice', region: 'north', ok: false },
  ],
};

describe('incident timeline layout', () => {
  const L = layoutTimeline(detail, Date.parse(T('11:00')));
  it('spans the incident with a 3 % margin each side', () => {
    // 10:00–10:30 = 30 min; 3 % = 54 s.
    expect(L.from).toBe(Date.parse(T('10:00')) - 54_000);
    expect(L.to).toBe(Date.parse(T('10:30')) + 54_000);
  });
  it('one lane per alarm, then one per event type', () => {
    expect(L.lanes.map((l) => l.label)).toEqual(['A1 · cell-7', 'A2 · cell-8', 'alarm events', 'complaint events', 'probe events']);
    expect(L.markers.map((m) => [m.lane, m.kind])).toEqual([[2, 'alarm-raised'], [3, 'complaint-opened'], [4, 'probe-fail']]);
  });
  it('an uncleared alarm of a resolved incident runs to the end of the axis', () => {
    const [a1, a2] = L.bars;
    expect(a1!.open).toBe(false);
    expect(a2!.open).toBe(true);
    expect(a2!.x1).toBeCloseTo(1, 6);
    // A1: 10:00 → 10:30 on a 31.8-min axis starting 54 s before 10:00.
    expect(a1!.x0).toBeCloseTo(54 / 1908, 6);
    expect(a1!.ack).toBeCloseTo((54 + 300) / 1908, 6);
  });
  it('ticks every 5 minutes on a half-hour axis', () => {
    expect(niceTickStep(31.8 * 60_000)).toBe(5 * 60_000);
    expect(L.ticks.map((t) => t.label)).toEqual(['10:00', '10:05', '10:10', '10:15', '10:20', '10:25', '10:30']);
  });
  it('reads ISO and epoch-ms times', () => {
    expect(toMs(1_000)).toBe(1_000);
    expect(toMs('2026-03-01T00:00:00Z')).toBe(Date.parse('2026-03-01T00:00:00Z'));
    expect(toMs('nope')).toBeNull();
    expect(markerKind({ id: 'x', type: 'survey', ts: 0, service: 's', region: 'r' })).toBe('survey');
  });
});
