// Incidents: outage alarms of a scope correlated with a 5-minute gap (docs/incidents.md).
import { describe, expect, it } from 'vitest';
import { correlateIncidents, incidentId, parseIncidentId, type IncidentAlarm } from './incidents.js';

const T0 = Date.parse('2026-03-01T10:00:00Z');
const m = (min: number) => T0 + min * 60_000;

/** An outage (critical) alarm of voice|north, raised at minute r, cleared at c (null = open). */
function alarm(alarmId: string, r: number, c: number | null, more: Partial<IncidentAlarm> = {}): IncidentAlarm {
  return {
    service: 'voice', region: 'north', alarmId, element: '', severity: 'critical', outage: true,
    raisedTs: m(r), ackTs: null, clearedTs: c === null ? null : m(c), ...more,
  };
}

describe('correlateIncidents', () => {
  it('makes one incident of overlapping alarms, with the first raise, first ack and last clear', () => {
    // A 0–20 (acked 7), B 10–30 (acked 4), C 12–15 nested: one incident 0–30 = 1800 s.
    const [inc, ...rest] = correlateIncidents([
      alarm('B', 10, 30, { ackTs: m(4), element: 'rtr-2', severity: 'major' }),
      alarm('A', 0, 20, { ackTs: m(7), element: 'rtr-1' }),
      alarm('C', 12, 15, { element: 'rtr-1', severity: 'major' }),
    ]);
    expect(rest).toEqual([]);
    expect(inc).toEqual({
      id: `voice|north|${m(0)}`, service: 'voice', region: 'north', elements: ['rtr-1', 'rtr-2'], severity: 'critical',
      start: m(0), acknowledged: m(4), resolved: m(30), durationSeconds: 1800, flapping: false,
      alarmIds: ['A', 'B', 'C'], alarmCount: 3,
    });
  });

  it('joins a raise exactly 5 min after the group ends, and splits one 5 min + 1 ms after', () => {
    // A 0–10; B raised 15:00.000 = 10 + 5 min → same incident 0–20.
    const inside = correlateIncidents([alarm('A', 0, 10), alarm('B', 15, 20)]);
    expect(inside.map((i) => [i.start, i.resolved, i.alarmCount])).toEqual([[m(0), m(20), 2]]);
    // B raised 15:00.001: 1 ms past the gap → two incidents, 0–10 (600 s) and 15:00.001–20 (299.999 s).
    const outside = correlateIncidents([alarm('A', 0, 10), { ...alarm('B', 15, 20), raisedTs: m(15) + 1 }]);
    expect(outside.map((i) => [i.start, i.resolved, i.durationSeconds])).toEqual([[m(0), m(10), 600], [m(15) + 1, m(20), 299.999]]);
    // A custom gap: with 1 min, 10 → 15 is a 5-min gap → split.
    expect(correlateIncidents([alarm('A', 0, 10), alarm('B', 15, 20)], { gapMs: 60_000 })).toHaveLength(2);
  });

  it('measures the gap from the latest clear of the group, not of the last alarm', () => {
    // A 0–30, B 5–10 (inside A), C raised 34: 34 ≤ 30 + 5 → joins although B ended at 10.
    expect(correlateIncidents([alarm('A', 0, 30), alarm('B', 5, 10), alarm('C', 34, 40)])).toHaveLength(1);
  });

  it('keeps an open alarm\'s incident open and absorbs every later alarm', () => {
    // A open from 0; B raised 2 h later and cleared → still one incident, open, no duration.
    const [inc, ...rest] = correlateIncidents([alarm('A', 0, null), alarm('B', 120, 130, { ackTs: m(121) })]);
    expect(rest).toEqual([]);
    expect(inc).toMatchObject({ start: m(0), resolved: null, durationSeconds: null, acknowledged: m(121), alarmIds: ['A', 'B'] });
  });

  it('marks an alarmId that raises again within the gap as flapping', () => {
    // A 0–2, A 4–6, A 8–9 (every clear followed by a raise 2 min later) → one incident 0–9, 3 occurrences.
    const [flap] = correlateIncidents([alarm('A', 0, 2), alarm('A', 4, 6), alarm('A', 8, 9)]);
    expect(flap).toMatchObject({ flapping: true, alarmIds: ['A'], alarmCount: 3, start: m(0), resolved: m(9), durationSeconds: 540 });
    // A raising again 10 min after its clear is a new incident, not flapping.
    const apart = correlateIncidents([alarm('A', 0, 2), alarm('A', 12, 14)]);
    expect(apart.map((i) => i.flapping)).toEqual([false, false]);
    expect(apart.map((i) => i.id)).toEqual([`voice|north|${m(0)}`, `voice|north|${m(12)}`]);
  });

  it('takes major when no alarm is critical, and ignores non-outage alarms entirely', () => {
    const incs = correlateIncidents([
      alarm('M', 0, 10, { severity: 'major' }),
      // Minor, and a critical that is not service affecting (outage false): neither joins nor bridges.
      alarm('N', 5, 60, { severity: 'minor', outage: false, element: 'x' }),
      alarm('X', 12, 20, { outage: false }),
      alarm('P', 30, 40, { severity: 'major' }),
    ]);
    // M 0–10 and P 30–40 are 20 min apart → two major incidents; N would have bridged them.
    expect(incs.map((i) => [i.severity, i.alarmIds, i.elements])).toEqual([['major', ['M'], []], ['major', ['P'], []]]);
    expect(correlateIncidents([alarm('N', 0, 10, { severity: 'warning', outage: false })])).toEqual([]);
  });

  it('correlates scopes apart and sorts by start', () => {
    const incs = correlateIncidents([alarm('S', 5, 10, { region: 'south' }), alarm('A', 0, 10), alarm('B', 7, 9, { region: 'south' })]);
    expect(incs.map((i) => [i.id, i.alarmCount])).toEqual([[`voice|north|${m(0)}`, 1], [`voice|south|${m(5)}`, 2]]);
  });

  it('round-trips ids', () => {
    expect(parseIncidentId(incidentId('voice', 'north', m(0)))).toEqual({ service: 'voice', region: 'north', start: m(0) });
    for (const bad of ['', 'voice|north', 'voice|north|x', 'a|b|c|1', '|north|1']) expect(parseIncidentId(bad)).toBeNull();
  });
});
