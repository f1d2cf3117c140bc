import { describe, expect, it } from 'vitest';
import { overdueOf } from './ticket-due.js';

const H = 3_600_000;
const targets = { responseMs: 4 * H, resolutionMs: 24 * H };

describe('complaint deadlines', () => {
  it('an open ticket becomes overdue for response after 4 h without ack, for resolution after 24 h', () => {
    const t = { state: 'opened' as const, openedTs: 0, ackTs: null, resolvedTs: null };
    expect(overdueOf(t, targets, 4 * H)).toEqual([]);
    expect(overdueOf(t, targets, 4 * H + 1)).toEqual(['response']);
    expect(overdueOf(t, targets, 24 * H + 1)).toEqual(['response', 'resolution']);
  });

  it('an ack in time clears the response deadline; a late one stays overdue', () => {
    expect(overdueOf({ state: 'acknowledged', openedTs: 0, ackTs: 3 * H, resolvedTs: null }, targets, 10 * H)).toEqual([]);
    expect(overdueOf({ state: 'acknowledged', openedTs: 0, ackTs: 5 * H, resolvedTs: null }, targets, 10 * H)).toEqual(['response']);
  });

  it('resolved in time is never overdue again; reopened is judged as open', () => {
    expect(overdueOf({ state: 'resolved', openedTs: 0, ackTs: H, resolvedTs: 20 * H }, targets, 100 * H)).toEqual([]);
    expect(overdueOf({ state: 'closed', openedTs: 0, ackTs: H, resolvedTs: 30 * H }, targets, 100 * H)).toEqual(['resolution']);
    expect(overdueOf({ state: 'reopened', openedTs: 0, ackTs: H, resolvedTs: 20 * H }, targets, 25 * H)).toEqual(['resolution']);
  });
});
