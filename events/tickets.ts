// A complaint ticket as the complaint-loop API answers it (docs/api.md,
// `GET /api/v1/tickets`). Type-only, shared by the server and the web app.
import type { Category, TicketState } from './types.js';

/** Which target a ticket has missed: not acknowledged in time, or not resolved in time. */
export type Overdue = 'response' | 'resolution';

export interface TicketView {
  ticketId: string;
  service: string;
  region: string;
  category: Category;
  state: TicketState;
  /** ISO 8601 UTC. */
  opened: string;
  acknowledged: string | null;
  resolved: string | null;
  closed: string | null;
  reopenCount: number;
  /** When the first acknowledgement and the resolution are due (the service's targets). */
  responseDueAt: string;
  resolutionDueAt: string;
  /** The targets missed so far, most serious last (empty when on time). */
  overdue: Overdue[];
}
