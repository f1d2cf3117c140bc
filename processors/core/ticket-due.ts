// The complaint loop's deadlines (handbook: acceptance → handling → feedback →
// closure, each with a time limit): a ticket must be acknowledged within the
// service's response target and resolved within its resolution target, both counted
// from `opened`. A ticket is overdue for a target it has not met and whose deadline
// has passed; one met late stays overdue in the record, as the timeliness figure says.
import type { Overdue } from '../../events/tickets.js';
import type { TicketState } from '../../events/types.js';

export interface TicketTimes {
  state: TicketState;
  openedTs: number;
  ackTs: number | null;
  resolvedTs: number | null;
}

export interface Targets {
  responseMs: number;
  resolutionMs: number;
}

/** Still in the customer's hands: not resolved (a reopened ticket is open again). */
export const isOpen = (state: TicketState) => state === 'opened' || state === 'acknowledged' || state === 'reopened';

export function overdueOf(t: TicketTimes, targets: Targets, now: number): Overdue[] {
  const out: Overdue[] = [];
  const responseDue = t.openedTs + targets.responseMs;
  if (t.ackTs === null ? now > responseDue : t.ackTs > responseDue) out.push('response');
  const resolutionDue = t.openedTs + targets.resolutionMs;
  // A reopened ticket is judged by whether it is resolved again, not by its first resolution.
  const resolvedAt = isOpen(t.state) ? null : t.resolvedTs;
  if (resolvedAt === null ? now > resolutionDue : resolvedAt > resolutionDue) out.push('resolution');
  return out;
}
