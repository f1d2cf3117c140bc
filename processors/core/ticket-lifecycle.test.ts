// Complaint tickets derived in event-time order (CONTRACT.md section 4).
import { describe, expect, it } from 'vitest';
import { compactTicket, deriveTicket, REOPEN_GRACE_MS, ticketContributions, type LoggedTicket, type TicketEntry } from './ticket-lifecycle.js';

const M = 60_000;
let seq = 0;
const ev = (state: LoggedTicket['state'], ts: number, targetMs = 24 * 60 * M): LoggedTicket =>
  ({ ts, seq: seq++, state, ...(state === 'opened' ? { category: 'billing' as const, targetMs } : {}) });
const byTime = (l: LoggedTicket[]) => [...l].sort((a, b) => a.ts - b.ts || a.seq - b.seq);

describe('tickets', () => {
  it('times response and resolution from the first ack and the first resolve', () => {
    const v = deriveTicket(null, byTime([ev('opened', 0), ev('acknowledged', 2 * M), ev('acknowledged', 3 * M), ev('resolved', 10 * M), ev('resolved', 20 * M)]))!;
    expect([v.ackTs, v.resolvedTs, v.state]).toEqual([2 * M, 10 * M, 'resolved']);
    // response 120 000 ms at 2 min; resolution 600 000 ms at 10 min, timely (≤ 24 h)
    expect(ticketContributions(v).map((c) => [c.count, c.ts, c.value])).toEqual([
      ['openedBilling', 0, 0], ['responseCount', 2 * M, 120_000], ['resolutionCount', 10 * M, 600_000], ['resolvedTimely', 10 * M, 0],
    ]);
  });

  it('ignores transitions timed before the open, and a repeated open', () => {
    const v = deriveTicket(null, byTime([ev('acknowledged', 0), ev('opened', M), ev('opened', 2 * M), ev('resolved', 3 * M)]))!;
    expect([v.openedTs, v.ackTs, v.resolvedTs]).toEqual([M, null, 3 * M]);
    expect(deriveTicket(null, byTime([ev('resolved', M)]))).toBeNull();
  });

  it('counts reopens and keeps the first resolution; the latest close is the closed time', () => {
    const v = deriveTicket(null, byTime([ev('opened', 0), ev('resolved', M), ev('closed', 2 * M), ev('reopened', 3 * M), ev('resolved', 4 * M), ev('closed', 5 * M)]))!;
    expect([v.state, v.resolvedTs, v.closedTs, v.reopenCount]).toEqual(['closed', M, 5 * M, 1]);
  });

  it('judges timeliness against the target the ticket was opened with, inclusive', () => {
    // resolution exactly 100 000 ms with target 100 000 → timely; with target 99 999 → not
    const at = (target: number) => ticketContributions(deriveTicket(null, [ev('opened', 0, target), ev('resolved', 100_000)])).some((c) => c.count === 'resolvedTimely');
    expect([at(100_000), at(99_999)]).toEqual([true, false]);
  });

  it('ignores events after REOPEN_GRACE past the close, so closed tickets can leave the state', () => {
    const closed = [ev('opened', 0), ev('closed', M)];
    expect(deriveTicket(null, [...closed, ev('reopened', M + REOPEN_GRACE_MS + 1)])!.reopenCount).toBe(0);
    expect(deriveTicket(null, [...closed, ev('reopened', M + REOPEN_GRACE_MS)])!.reopenCount).toBe(1);
    const t: TicketEntry = { base: null, events: closed, view: deriveTicket(null, closed) };
    expect(compactTicket(t, 2 * M)).toBe(false);
    expect(t.events).toEqual([]);
    expect(compactTicket(t, M + REOPEN_GRACE_MS + 1)).toBe(true);
    const open: TicketEntry = { base: null, events: [ev('opened', 0)], view: null };
    expect(compactTicket(open, 1e12)).toBe(false); // open tickets stay, however old
  });
});
