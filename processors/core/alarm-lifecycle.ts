// Alarm lifecycle of one alarmId (CONTRACT.md section 4). Events are kept in event-time
// order and the occurrences re-derived on every arrival, so arrival order does not
// matter: a clear that arrives before its raise pairs up when the raise comes.
//  - raised while an occurrence is open: a repeat, ignored (the earliest raise counts);
//  - raised after a clear: a new occurrence (flapping gives several faults);
//  - cleared: closes the open occurrence; with none open it is ignored;
//  - acknowledged: the first one of the latest occurrence raised before it.
import { isOutageSeverity, type AlarmEvent, type Severity } from '../../events/types.js';
import type { Contribution } from './contributions.js';

export interface AlarmRecord {
  service: string;
  region: string;
  alarmId: string;
  element?: string;
  severity: Severity;
  serviceAffecting: boolean;
  outage: boolean;
  raisedTs: number;
  ackTs: number | null;
  clearedTs: number | null;
  version: number;
  /** The occurrence no longer exists under this raise time (an earlier raise arrived late). */
  deleted?: boolean;
}

/** The part of an alarm event the lifecycle needs (kept in snapshots). */
export interface LoggedAlarm {
  ts: number;
  seq: number;
  state: AlarmEvent['state'];
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

export function logAlarm(e: AlarmEvent, seq: number): LoggedAlarm {
  return {
    ts: e.ts, seq, state: e.state, severity: e.severity, serviceAffecting: e.serviceAffecting,
    ...(e.element !== undefined ? { element: e.element } : {}),
  };
}

/** Inserts keeping (ts, arrival) order; arrivals are mostly in order, so scan from the end. */
export function insertSorted<T extends { ts: number; seq: number }>(list: T[], item: T): void {
  let i = list.length;
  while (i > 0 && (list[i - 1]!.ts > item.ts || (list[i - 1]!.ts === item.ts && list[i - 1]!.seq > item.seq))) i--;
  list.splice(i, 0, item);
}

export function deriveOccurrences(events: readonly LoggedAlarm[]): Occurrence[] {
  const out: Occurrence[] = [];
  let open: Occurrence | null = null;
  for (const e of events) {
    if (e.state === 'raised') {
      if (open) continue;
      open = {
        raisedTs: e.ts, ackTs: null, clearedTs: null, severity: e.severity, serviceAffecting: e.serviceAffecting,
        outage: isOutageSeverity(e.severity, e.serviceAffecting), ...(e.element !== undefined ? { element: e.element } : {}),
      };
      out.push(open);
    } else if (e.state === 'acknowledged') {
      const last = out[out.length - 1];
      if (last && last.ackTs === null) last.ackTs = e.ts;
    } else if (open) {
      open.clearedTs = e.ts;
      open = null;
    }
  }
  return out;
}

/** Faults at the raise, MTTR at the clear (outages only), MTTA at the first ack (any alarm). */
export function alarmContributions(occs: readonly Occurrence[]): Contribution[] {
  const out: Contribution[] = [];
  for (const o of occs) {
    if (o.outage) {
      out.push({ ts: o.raisedTs, count: 'faults', value: 0 });
      if (o.clearedTs !== null) out.push({ ts: o.clearedTs, count: 'mttrCount', sum: 'mttrSumMs', value: o.clearedTs - o.raisedTs });
    }
    if (o.ackTs !== null) out.push({ ts: o.ackTs, count: 'mttaCount', sum: 'mttaSumMs', value: o.ackTs - o.raisedTs });
  }
  return out;
}

export function sameOccurrence(a: Occurrence, b: Occurrence): boolean {
  return a.raisedTs === b.raisedTs && a.ackTs === b.ackTs && a.clearedTs === b.clearedTs && a.severity === b.severity
    && a.serviceAffecting === b.serviceAffecting && a.element === b.element;
}
