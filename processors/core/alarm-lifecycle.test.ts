// Alarm occurrences derived in event-time order, whatever the arrival order (CONTRACT.md section 4).
import { describe, expect, it } from 'vitest';
import {
  ACK_GRACE_MS, alarmContributions, compactAlarm, deriveOccurrences, insertSorted, occurrenceChanges, type AlarmEntry, type LoggedAlarm,
} from './alarm-lifecycle.js';

const M = 60_000;
let seq = 0;
const ev = (state: LoggedAlarm['state'], ts: number, severity: LoggedAlarm['severity'] = 'major', serviceAffecting = true): LoggedAlarm =>
  ({ ts, seq: seq++, state, severity, serviceAffecting });
const sorted = (list: LoggedAlarm[]) => {
  const out: LoggedAlarm[] = [];
  for (const e of list) insertSorted(out, e);
  return out;
};
const spans = (list: LoggedAlarm[]) => deriveOccurrences(null, sorted(list)).map((o) => [o.raisedTs, o.ackTs, o.clearedTs]);

describe('alarm occurrences', () => {
  it('ignores a repeated raise while open (the earliest counts), in any arrival order', () => {
    // raised 0 and 5, cleared 10 → one occurrence [0, 10)
    expect(spans([ev('raised', 5 * M), ev('cleared', 10 * M), ev('raised', 0)])).toEqual([[0, null, 10 * M]]);
  });

  it('pairs a clear that arrived first; a clear with nothing open does nothing', () => {
    expect(spans([ev('cleared', 4 * M), ev('raised', 3 * M)])).toEqual([[3 * M, null, 4 * M]]);
    expect(spans([ev('cleared', 1 * M)])).toEqual([]);
    // a clear before the raise in event time closes nothing: the alarm stays open
    expect(spans([ev('cleared', 1 * M), ev('raised', 2 * M)])).toEqual([[2 * M, null, null]]);
  });

  it('counts a flapping alarm as several occurrences', () => {
    expect(spans([ev('raised', 0), ev('cleared', M), ev('raised', 2 * M), ev('cleared', 3 * M)])).toEqual([[0, null, M], [2 * M, null, 3 * M]]);
  });

  it('gives an ack to the latest occurrence raised before it, first ack only, also after the clear', () => {
    // ack 2 and 3 → first is 2; an ack after the clear still counts when none came before
    expect(spans([ev('raised', 0), ev('acknowledged', 3 * M), ev('acknowledged', 2 * M), ev('cleared', 5 * M)])).toEqual([[0, 2 * M, 5 * M]]);
    expect(spans([ev('raised', 0), ev('cleared', M), ev('acknowledged', 4 * M)])).toEqual([[0, 4 * M, M]]);
    // ... but not later than ACK_GRACE after the clear
    expect(spans([ev('raised', 0), ev('cleared', M), ev('acknowledged', M + ACK_GRACE_MS + 1)])).toEqual([[0, null, M]]);
    // an ack with no raise before it belongs to nothing
    expect(spans([ev('acknowledged', M), ev('raised', 2 * M)])).toEqual([[2 * M, null, null]]);
  });

  it('contributes faults and MTTR for outages only, MTTA for any severity', () => {
    const major = deriveOccurrences(null, sorted([ev('raised', 0), ev('acknowledged', M), ev('cleared', 5 * M)]));
    // fault at 0; MTTR 5 min = 300 000 ms at the clear; MTTA 60 000 ms at the ack
    expect(alarmContributions(major).map((c) => [c.count, c.ts, c.value])).toEqual([['faults', 0, 0], ['mttrCount', 5 * M, 300_000], ['mttaCount', M, 60_000]]);
    const minor = deriveOccurrences(null, sorted([ev('raised', 0, 'minor'), ev('acknowledged', M, 'minor'), ev('cleared', 5 * M, 'minor')]));
    expect(alarmContributions(minor).map((c) => c.count)).toEqual(['mttaCount']);
    const notAffecting = deriveOccurrences(null, sorted([ev('raised', 0, 'critical', false)]));
    expect(alarmContributions(notAffecting)).toEqual([]);
  });

  it('reports the occurrence moved by an earlier raise as retracted', () => {
    const before = deriveOccurrences(null, sorted([ev('raised', 5 * M)]));
    const after = deriveOccurrences(null, sorted([ev('raised', 5 * M), ev('raised', 3 * M)]));
    const { changed, retracted } = occurrenceChanges(before, after);
    expect([changed.map((o) => o.raisedTs), retracted.map((o) => o.raisedTs)]).toEqual([[3 * M], [5 * M]]);
  });

  it('folds events older than the bound without changing what later events derive', () => {
    const events = sorted([ev('raised', 0), ev('cleared', M), ev('raised', 2 * M), ev('raised', 3 * M)]);
    const a: AlarmEntry = { base: null, events: [...events], occs: deriveOccurrences(null, events) };
    expect(compactAlarm(a, 2.5 * M)).toBe(false); // an occurrence is open
    expect([a.base?.raisedTs, a.events.map((e) => e.ts)]).toEqual([2 * M, [3 * M]]);
    const later = [ev('acknowledged', 4 * M), ev('cleared', 6 * M)];
    const whole = deriveOccurrences(null, sorted([...events, ...later])).at(-1);
    const folded = deriveOccurrences(a.base, sorted([...a.events, ...later])).at(-1);
    expect(folded).toEqual(whole);
  });

  it('lets a finished alarm go: cleared and acked, or cleared beyond the ack grace', () => {
    const acked: AlarmEntry = { base: null, events: sorted([ev('raised', 0), ev('acknowledged', M), ev('cleared', 2 * M)]), occs: [] };
    expect(compactAlarm(acked, 3 * M)).toBe(true);
    const unacked: AlarmEntry = { base: null, events: sorted([ev('raised', 0), ev('cleared', 2 * M)]), occs: [] };
    expect(compactAlarm(unacked, 3 * M)).toBe(false); // a late ack may still come
    expect(compactAlarm(unacked, 2 * M + ACK_GRACE_MS + 1)).toBe(true);
    const orphan: AlarmEntry = { base: null, events: sorted([ev('acknowledged', 0)]), occs: [] };
    expect(compactAlarm(orphan, M)).toBe(true); // no raise can come before it any more
  });
});
