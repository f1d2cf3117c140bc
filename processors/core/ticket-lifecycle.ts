// Complaint ticket lifecycle of one ticketId in one scope (CONTRACT.md section 4):
// opened → acknowledged → resolved → closed, with reopen. Derived from the ticket's
// events in event-time order (ties: arrival order), so an ack or resolve that
// arrives before its `opened` pairs up when it comes:
//  - the earliest `opened` starts the clock; a repeated `opened` is ignored;
//    transitions timed before it are ignored (they cannot belong to this ticket);
//  - response = first ack − opened; resolution = first resolve − opened (a second
//    resolve, or a resolve after a reopen, does not count again);
//  - closed and reopened change the state only; once closed for REOPEN_GRACE the
//    ticket is finished and later events are ignored, so it can leave the state;
//  - timeliness is judged against the service's target in force when the ticket was
//    opened (kept with it), so a configuration change never re-judges past windows.
// The same rules as the simulator's ground truth.
import type { Category, ComplaintEvent, TicketState } from '../../events/types.js';
import type { Contribution } from './contributions.js';
import { OPENED_FIELD } from './rollup.js';

export interface TicketRecord {
  service: string;
  region: string;
  ticketId: string;
  element?: string;
  category: Category;
  /** State after the latest lifecycle event. */
  state: TicketState;
  openedTs: number;
  ackTs: number | null;
  resolvedTs: number | null;
  /** The latest close (null if never closed). */
  closedTs: number | null;
  reopenCount: number;
  version: number;
  /**
   * An earlier `opened` arrived late and moved the ticket: the row keyed by the old
   * openedTs must go. Also shaped as a ticket closed at its opening.
   */
  deleted?: boolean;
}

/** How long a closed ticket can still be reopened (24 h of event time). */
export const REOPEN_GRACE_MS = 86_400_000;

export interface LoggedTicket {
  ts: number;
  seq: number;
  state: TicketState;
  category?: Category;
  element?: string;
  /** On `opened`: the resolution target (ms) in force when it arrived. */
  targetMs?: number;
}

export interface TicketView {
  openedTs: number;
  category: Category;
  targetMs: number;
  element?: string;
  state: TicketState;
  ackTs: number | null;
  resolvedTs: number | null;
  closedTs: number | null;
  reopenCount: number;
}

export interface TicketEntry {
  /** The ticket as of the events already folded away (older than the watermark). */
  base: TicketView | null;
  /** Events not yet folded, sorted by (ts, seq). */
  events: LoggedTicket[];
  view: TicketView | null;
}

/** Resolution target when nothing else is known (CONTRACT.md section 4 default: 24 h). */
export const DEFAULT_TARGET_MS = 86_400_000;

export function logTicket(e: ComplaintEvent, seq: number, targetMs: number): LoggedTicket {
  const l: LoggedTicket = { ts: e.ts, seq, state: e.state };
  if (e.category !== undefined) l.category = e.category;
  if (e.element !== undefined) l.element = e.element;
  if (e.state === 'opened') l.targetMs = targetMs;
  return l;
}

export function deriveTicket(base: TicketView | null, events: readonly LoggedTicket[]): TicketView | null {
  let v: TicketView | null = base === null ? null : { ...base };
  for (const e of events) {
    if (v === null) {
      if (e.state !== 'opened') continue;
      // The schema requires a category on `opened`; 'other' only guards old snapshots.
      v = {
        openedTs: e.ts, category: e.category ?? 'other', targetMs: e.targetMs ?? DEFAULT_TARGET_MS,
        state: 'opened', ackTs: null, resolvedTs: null, closedTs: null, reopenCount: 0,
      };
      if (e.element !== undefined) v.element = e.element;
      continue;
    }
    if (e.state === 'opened') continue;
    if (v.state === 'closed' && e.ts > v.closedTs! + REOPEN_GRACE_MS) continue;
    v.state = e.state;
    if (e.state === 'acknowledged') v.ackTs ??= e.ts;
    else if (e.state === 'resolved') v.resolvedTs ??= e.ts;
    else if (e.state === 'closed') v.closedTs = e.ts;
    else v.reopenCount++;
  }
  return v;
}

/** Opened at the open; response at the first ack; resolution and timeliness at the first resolve. */
export function ticketContributions(v: TicketView | null): Contribution[] {
  if (v === null) return [];
  const out: Contribution[] = [{ ts: v.openedTs, count: OPENED_FIELD[v.category], sum: null, value: 0 }];
  if (v.ackTs !== null) out.push({ ts: v.ackTs, count: 'responseCount', sum: 'responseSumMs', value: v.ackTs - v.openedTs });
  if (v.resolvedTs !== null) {
    const ms = v.resolvedTs - v.openedTs;
    out.push({ ts: v.resolvedTs, count: 'resolutionCount', sum: 'resolutionSumMs', value: ms });
    // Exactly at the target counts as timely ("within the target").
    if (ms <= v.targetMs) out.push({ ts: v.resolvedTs, count: 'resolvedTimely', sum: null, value: 0 });
  }
  return out;
}

export function sameTicket(a: TicketView | null, b: TicketView | null): boolean {
  if (a === null || b === null) return a === b;
  return a.openedTs === b.openedTs && a.category === b.category && a.targetMs === b.targetMs && a.state === b.state && a.ackTs === b.ackTs
    && a.resolvedTs === b.resolvedTs && a.closedTs === b.closedTs && a.reopenCount === b.reopenCount && a.element === b.element;
}

export type TicketChange = Omit<TicketRecord, 'service' | 'region' | 'version'>;

export function ticketChange(ticketId: string, v: TicketView, deleted = false): TicketChange {
  const c: TicketChange = deleted
    ? { ticketId, category: v.category, state: 'closed', openedTs: v.openedTs, ackTs: null, resolvedTs: null, closedTs: v.openedTs, reopenCount: 0, deleted: true }
    : { ticketId, category: v.category, state: v.state, openedTs: v.openedTs, ackTs: v.ackTs, resolvedTs: v.resolvedTs, closedTs: v.closedTs, reopenCount: v.reopenCount };
  if (v.element !== undefined) c.element = v.element;
  return c;
}

/**
 * Folds the events older than `bound` into `base` (see alarm-lifecycle.ts). Returns
 * true when the ticket can leave the state: never opened, or closed beyond the
 * reopen grace, with nothing unfolded. Open tickets stay, however old.
 */
export function compactTicket(t: TicketEntry, bound: number): boolean {
  let n = 0;
  while (n < t.events.length && t.events[n]!.ts < bound) n++;
  if (n > 0) {
    t.base = deriveTicket(t.base, t.events.slice(0, n));
    t.events = t.events.slice(n);
  }
  if (t.events.length > 0) return false;
  const b = t.base;
  return b === null || (b.state === 'closed' && bound > b.closedTs! + REOPEN_GRACE_MS);
}
