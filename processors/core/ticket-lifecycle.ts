// Complaint ticket lifecycle (CONTRACT.md section 4, the handbook's closed loop:
// opened → acknowledged → resolved → closed, with reopen). Derived from the
// ticket's events in event-time order: the first `opened` starts the clock;
// transitions before it are ignored; response is the first ack after it,
// resolution the first resolve after it (a second resolve or a reopen does not
// restart the clock). Resolution exactly at the target counts as timely.
import type { Category, ComplaintEvent, TicketState } from '../../events/types.js';
import type { Contribution } from './contributions.js';
import { OPENED_FIELD } from './rollup.js';

export interface TicketRecord {
  service: string;
  region: string;
  ticketId: string;
  element?: string;
  category: Category;
  state: TicketState;
  openedTs: number;
  ackTs: number | null;
  resolvedTs: number | null;
  closedTs: number | null;
  reopenCount: number;
  version: number;
}

export interface LoggedTicket {
  ts: number;
  seq: number;
  state: TicketState;
  category?: Category;
  element?: string;
}

export interface TicketView {
  openedTs: number;
  category: Category;
  element?: string;
  state: TicketState;
  ackTs: number | null;
  resolvedTs: number | null;
  closedTs: number | null;
  reopenCount: number;
}

export function logTicket(e: ComplaintEvent, seq: number): LoggedTicket {
  return {
    ts: e.ts, seq, state: e.state,
    ...(e.category !== undefined ? { category: e.category } : {}),
    ...(e.element !== undefined ? { element: e.element } : {}),
  };
}

export function deriveTicket(events: readonly LoggedTicket[]): TicketView | null {
  const i = events.findIndex((e) => e.state === 'opened');
  if (i < 0) return null;
  const opened = events[i]!;
  const v: TicketView = {
    openedTs: opened.ts, category: opened.category ?? 'other', state: 'opened',
    ackTs: null, resolvedTs: null, closedTs: null, reopenCount: 0,
    ...(opened.element !== undefined ? { element: opened.element } : {}),
  };
  for (let j = i + 1; j < events.length; j++) {
    const e = events[j]!;
    if (e.state === 'opened') continue; // a repeated open is the same ticket
    v.state = e.state;
    if (e.state === 'acknowledged' && v.ackTs === null) v.ackTs = e.ts;
    else if (e.state === 'resolved' && v.resolvedTs === null) v.resolvedTs = e.ts;
    else if (e.state === 'closed' && v.closedTs === null) v.closedTs = e.ts;
    else if (e.state === 'reopened') v.reopenCount++;
  }
  return v;
}

export function ticketContributions(v: TicketView | null, targetMs: number): Contribution[] {
  if (!v) return [];
  const out: Contribution[] = [{ ts: v.openedTs, count: OPENED_FIELD[v.category], value: 0 }];
  if (v.ackTs !== null) out.push({ ts: v.ackTs, count: 'responseCount', sum: 'responseSumMs', value: v.ackTs - v.openedTs });
  if (v.resolvedTs !== null) {
    const ms = v.resolvedTs - v.openedTs;
    out.push({ ts: v.resolvedTs, count: 'resolutionCount', sum: 'resolutionSumMs', value: ms });
    if (ms <= targetMs) out.push({ ts: v.resolvedTs, count: 'resolvedTimely', value: 0 });
  }
  return out;
}

export function sameTicket(a: TicketView | null, b: TicketView | null): boolean {
  if (a === null || b === null) return a === b;
  return a.openedTs === b.openedTs && a.category === b.category && a.state === b.state && a.ackTs === b.ackTs
    && a.resolvedTs === b.resolvedTs && a.closedTs === b.closedTs && a.reopenCount === b.reopenCount && a.element === b.element;
}
