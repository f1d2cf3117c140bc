// Alarm lifecycle of one alarmId in one scope (CONTRACT.md section 4). The events
// are kept in event-time order (ties: arrival order) and the occurrences re-derived
// from them on each arrival, so arrival order does not matter: a clear or an ack that
// arrives before its raise pairs up when the raise comes.
//  - raised while an occurrence is open: a re-notification, ignored (the earliest
//    raise counts); raised with none open: a new occurrence (flapping → several);
//  - cleared: closes the open occurrence; with none open at its time it does nothing;
//  - acknowledged: the first ack of the latest occurrence raised at or before it, open
//    or already cleared (operators acknowledge cleared alarms too), but not later than
//    ACK_GRACE after its clear, so finished alarms can leave the state.
// The same rules as the simulator's ground truth, which knows nothing of this code.
//
// State stays bounded: events older than the watermark can no longer be reordered
// with new ones, so they are folded into `base` (the last occurrence they produced)
// and dropped; an alarm whose last occurrence is finished leaves the state.
import { isOutageSeverity, type AlarmEvent, type AlarmState, type Severity } from '../../events/types.js';
import type { Contribution } from './contributions.js';

/** One `[raised, cleared)` interval of an alarm, as the `alarms` table stores it. */
export interface AlarmRecord {
  service: string;
  region: string;
  alarmId: string;
  element?: string;
  severity: Severity;
  serviceAffecting: boolean;
  /** critical/major and service affecting: counts towards downtime. */
  outage: boolean;
  raisedTs: number;
  ackTs: number | null;
  clearedTs: number | null;
  version: number;
  /**
   * The occurrence no longer exists under this raise time (an earlier raise arrived
   * late and absorbed it): the row keyed (alarmId, raisedTs) must go (`is_deleted`).
   * Also shaped as a zero-length, non-outage interval, so a reader that ignores the
   * flag still counts nothing from it.
   */
  deleted?: boolean;
}

/** How long after its clear an ack still counts for an occurrence (24 h). */
export const ACK_GRACE_MS = 86_400_000;

/** The part of an alarm event the lifecycle needs (kept in snapshots). */
export interface LoggedAlarm {
  ts: number;
  /** Arrival order within the scope: breaks ties of equal ts. */
  seq: number;
  state: AlarmState;
  severity: Severity;
  serviceAffecting: boolean;
  element?: string;
}

export interface Occurrence {
  raisedTs: number;
  ackTs: number | null;
  clearedTs: number | null;
  severity: Severity;
  serviceAffecting: boolean;
  outage: boolean;
  element?: string;
}

export interface AlarmEntry {
  /** The last occurrence of the events already folded away (older than the watermark). */
  base: Occurrence | null;
  /** Events not yet folded, sorted by (ts, seq). */
  events: LoggedAlarm[];
  /** Derived from base and events. */
  occs: Occurrence[];
}

export function logAlarm(e: AlarmEvent, seq: number): LoggedAlarm {
  const l: LoggedAlarm = { ts: e.ts, seq, state: e.state, severity: e.severity, serviceAffecting: e.serviceAffecting };
  if (e.element !== undefined) l.element = e.element;
  return l;
}

/** Inserts keeping (ts, seq) order; arrivals are mostly in order, so scan from the end. */
export function insertSorted<T extends { ts: number; seq: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && (list[i - 1]!.ts > item.ts || (list[i - 1]!.ts === item.ts && list[i - 1]!.seq > item.seq))) i--;
  if (i === list.length) list.push(item);
  else list.splice(i, 0, item);
}

function occurrenceOf(e: LoggedAlarm): Occurrence {
  const o: Occurrence = {
    raisedTs: e.ts, ackTs: null, clearedTs: null, severity: e.severity, serviceAffecting: e.serviceAffecting,
    outage: isOutageSeverity(e.severity, e.serviceAffecting),
  };
  if (e.element !== undefined) o.element = e.element;
  return o;
}

export function deriveOccurrences(base: Occurrence | null, events: readonly LoggedAlarm[]): Occurrence[] {
  const out: Occurrence[] = [];
  let last: Occurrence | null = base === null ? null : { ...base };
  if (last) out.push(last);
  let open = last !== null && last.clearedTs === null ? last : null;
  for (const e of events) {
    if (e.state === 'raised') {
      if (open) continue;
      open = last = occurrenceOf(e);
      out.push(open);
    } else if (e.state === 'acknowledged') {
      if (last && last.ackTs === null && (last.clearedTs === null || e.ts <= last.clearedTs + ACK_GRACE_MS)) last.ackTs = e.ts;
    } else if (open) {
      open.clearedTs = e.ts;
      open = null;
    }
  }
  return out;
}

/** Faults at the raise and MTTR at the clear (outages only); MTTA at the first ack (any alarm). */
export function alarmContributions(occs: readonly Occurrence[]): Contribution[] {
  const out: Contribution[] = [];
  for (const o of occs) {
    if (o.outage) {
      out.push({ ts: o.raisedTs, count: 'faults', sum: null, value: 0 });
      if (o.clearedTs !== null) out.push({ ts: o.clearedTs, count: 'mttrCount', sum: 'mttrSumMs', value: o.clearedTs - o.raisedTs });
    }
    if (o.ackTs !== null) out.push({ ts: o.ackTs, count: 'mttaCount', sum: 'mttaSumMs', value: o.ackTs - o.raisedTs });
  }
  return out;
}

function sameOccurrence(a: Occurrence, b: Occurrence): boolean {
  return a.raisedTs === b.raisedTs && a.ackTs === b.ackTs && a.clearedTs === b.clearedTs && a.severity === b.severity
    && a.serviceAffecting === b.serviceAffecting && a.element === b.element;
}

/** Occurrences new or changed in `after`, and those of `before` whose raise no longer starts one. */
export function occurrenceChanges(before: readonly Occurrence[], after: readonly Occurrence[]): { changed: Occurrence[]; retracted: Occurrence[] } {
  const changed = after.filter((o) => !before.some((p) => sameOccurrence(p, o)));
  const retracted = before.filter((p) => !after.some((o) => o.raisedTs === p.raisedTs));
  return { changed, retracted };
}

/** A record without scope and version: what the drain turns into an AlarmRecord. */
export type AlarmChange = Omit<AlarmRecord, 'service' | 'region' | 'version'>;

export function alarmChange(alarmId: string, o: Occurrence, deleted = false): AlarmChange {
  const c: AlarmChange = deleted
    ? { alarmId, severity: o.severity, serviceAffecting: o.serviceAffecting, outage: false, raisedTs: o.raisedTs, ackTs: null, clearedTs: o.raisedTs, deleted: true }
    : { alarmId, severity: o.severity, serviceAffecting: o.serviceAffecting, outage: o.outage, raisedTs: o.raisedTs, ackTs: o.ackTs, clearedTs: o.clearedTs };
  if (o.element !== undefined) c.element = o.element;
  return c;
}

/**
 * Folds the events older than `bound` (the scope's late bound: no new event can be
 * older) into `base`. Returns true when the alarm can leave the state: nothing open,
 * nothing unfolded, and no future ack could still attach to its last occurrence.
 */
export function compactAlarm(a: AlarmEntry, bound: number): boolean {
  let n = 0;
  while (n < a.events.length && a.events[n]!.ts < bound) n++;
  if (n > 0) {
    const folded = deriveOccurrences(a.base, a.events.slice(0, n));
    a.base = folded.length > 0 ? folded[folded.length - 1]! : null;
    a.events = a.events.slice(n);
    a.occs = deriveOccurrences(a.base, a.events);
  }
  if (a.events.length > 0) return false;
  const b = a.base;
  return b === null || (b.clearedTs !== null && (b.ackTs !== null || bound > b.clearedTs + ACK_GRACE_MS));
}
