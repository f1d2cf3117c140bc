// The rows a scope emits at a drain: every window that changed or became final,
// and the alarm and ticket records that changed. Rows are full state with
// version = lastOffset × 2 + (final ? 1 : 0), so a sink that keeps the newest
// version per key (ReplacingMergeTree) is exact under replays (CONTRACT.md
// section 7), and a final row outranks the provisional row of the same offset.
// Closed windows are forgotten afterwards, so memory stays bounded.
import type { AlarmChange, AlarmRecord } from './alarm-lifecycle.js';
import { LatencyBins } from './latency-bins.js';
import { emptyRollup, type Rollup } from './rollup.js';
import type { ScopeState } from './scope-state.js';
import { compactLifecycles } from './scope-lifecycles.js';
import type { TicketChange, TicketRecord } from './ticket-lifecycle.js';
import { addAcc, addCounters, rollupOf, type PeriodWindow } from './window.js';

export interface Drained {
  rollups: Rollup[];
  alarms: AlarmRecord[];
  tickets: TicketRecord[];
}

/** Scratch list of the sketches summed into a period row (reused: a drain allocates no lists). */
const parts: LatencyBins[] = [];

/** An hour or day row: the minutes already folded into it plus those still open. */
function periodRow(s: ScopeState, p: PeriodWindow, base: number): Rollup {
  const r = emptyRollup(s.service, s.region, p.res, p.start);
  addCounters(r, p);
  parts.length = 0;
  parts.push(p.latency);
  for (const m of s.minutes) {
    if (m.hour === p || m.day === p) {
      addCounters(r, m);
      parts.push(m.latency);
    }
  }
  r.latency = LatencyBins.sumToSketch(parts);
  parts.length = 0;
  r.final = p.final;
  r.version = base + (p.final ? 1 : 0);
  return r;
}

// Records are written out field by field: `{ service, region, ...c, version }` builds an
// object whose later property reads (the sink's) are several times slower than a literal's.
function alarmRecord(service: string, region: string, c: AlarmChange, version: number): AlarmRecord {
  const r: AlarmRecord = {
    service, region, alarmId: c.alarmId, severity: c.severity, serviceAffecting: c.serviceAffecting, outage: c.outage,
    raisedTs: c.raisedTs, ackTs: c.ackTs, clearedTs: c.clearedTs, version,
  };
  if (c.element !== undefined) r.element = c.element;
  if (c.deleted !== undefined) r.deleted = c.deleted;
  return r;
}

function ticketRecord(service: string, region: string, c: TicketChange, version: number): TicketRecord {
  const r: TicketRecord = {
    service, region, ticketId: c.ticketId, category: c.category, state: c.state, openedTs: c.openedTs, ackTs: c.ackTs,
    resolvedTs: c.resolvedTs, closedTs: c.closedTs, reopenCount: c.reopenCount, version,
  };
  if (c.element !== undefined) r.element = c.element;
  if (c.deleted !== undefined) r.deleted = c.deleted;
  return r;
}

export function drainScope(s: ScopeState, out: Drained): void {
  const base = s.lastOffset * 2;
  for (const m of s.dirtyMinutes) {
    m.dirty = false;
    const r = rollupOf(m, s.service, s.region, '1m', m.start);
    r.final = m.final;
    r.version = base + (m.final ? 1 : 0);
    out.rollups.push(r);
  }
  for (const p of s.dirtyPeriods) {
    p.dirty = false;
    out.rollups.push(periodRow(s, p, base));
  }
  if (s.dirtyMinutes.length > 0) s.dirtyMinutes = [];
  if (s.dirtyPeriods.length > 0) s.dirtyPeriods = [];
  forgetClosed(s);

  for (const c of s.alarmChanges.values()) out.alarms.push(alarmRecord(s.service, s.region, c, base));
  s.alarmChanges.clear();
  for (const c of s.ticketChanges.values()) out.tickets.push(ticketRecord(s.service, s.region, c, base));
  s.ticketChanges.clear();
  compactLifecycles(s);
}

/**
 * Final minutes that no event can reach any more are folded into their hour and day
 * and dropped; then final hours and days likewise. (A period closed by the idle rule
 * but not yet passed by the late bound stays: a new event may reopen it.)
 */
function forgetClosed(s: ScopeState): void {
  const bound = s.wm.lateBefore;
  let n = 0;
  while (n < s.minutes.length && s.minutes[n]!.final && s.minutes[n]!.end <= bound) {
    const m = s.minutes[n++]!;
    addAcc(m.hour, m);
    addAcc(m.day, m);
    if (s.cur === m) s.cur = null;
    s.spareBins = m.latency.counts;
  }
  if (n > 0) s.minutes.splice(0, n);
  for (const list of [s.hours, s.days]) {
    let k = 0;
    while (k < list.length && list[k]!.final && list[k]!.end <= bound) k++;
    if (k > 0) list.splice(0, k);
  }
}
