// The complaint closed loop (handbook: acceptance → classification → handling →
// feedback → closure): tickets of a scope with their lifecycle times, deadlines and
// the targets they missed (processors/core/ticket-due.ts).
import type { Overdue, TicketView } from '../../../events/tickets.js';
import type { Category, TicketState } from '../../../events/types.js';
import type { Db } from '../../../infra/clickhouse/client.js';
import { objectivesFor, type SlaConfig } from '../../../infra/sla-config.js';
import { isOpen, overdueOf } from '../../../processors/core/ticket-due.js';
import { iso } from './period.js';
import { queryRows } from './rollup-query.js';
import { millisParam, optionalScopeCondition, type Params } from './scope-filter.js';

export type TicketListState = 'open' | 'overdue' | 'all';

export interface TicketQuery {
  state: TicketListState;
  service: string | null;
  region: string | null;
  category: Category | null;
  /** Tickets opened in [from, to). */
  from: number;
  to: number;
  limit: number;
}

export interface TicketList {
  /** Matching tickets, newest opened first, at most `limit`. */
  tickets: TicketView[];
  /** How many matched in all. */
  total: number;
  /** Of those, overdue for response and for resolution. */
  overdue: Record<Overdue, number>;
}

/** Read at most this many rows per query: an open-ticket backlog larger than this is itself the news. */
const SCAN_LIMIT = 20_000;

type Ms = number | string | null;
const msOrNull = (v: Ms) => (v === null ? null : Number(v));
const isoOrNull = (v: number | null) => (v === null ? null : iso(v));

export async function tickets(db: Db, sla: SlaConfig, q: TicketQuery, now: number): Promise<TicketList> {
  const params: Params = { scan: SCAN_LIMIT };
  const where = [
    optionalScopeCondition(q.service, q.region, params),
    'is_deleted = 0',
    `opened >= ${millisParam(params, 'from_ms', q.from)}`,
    `opened < ${millisParam(params, 'to_ms', q.to)}`,
  ];
  if (q.category !== null) {
    params.category = q.category;
    where.push('category = {category:String}');
  }
  if (q.state !== 'all') where.push("state IN ('opened', 'acknowledged', 'reopened')");
  const rows = await queryRows<{ service: string; region: string; ticket_id: string; category: string; state: string; opened_ms: Ms; acked_ms: Ms; resolved_ms: Ms; closed_ms: Ms; reopen_count: number | string }>(db,
    `SELECT service, region, ticket_id, category, state, toUnixTimestamp64Milli(opened) AS opened_ms,
       toUnixTimestamp64Milli(acked) AS acked_ms, toUnixTimestamp64Milli(resolved) AS resolved_ms,
       toUnixTimestamp64Milli(closed) AS closed_ms, reopen_count
     FROM ${db.t('tickets')} FINAL WHERE ${where.join(' AND ')}
     ORDER BY opened DESC, ticket_id LIMIT {scan:UInt32}`,
    params);
  const all: TicketView[] = [];
  const counts: Record<Overdue, number> = { response: 0, resolution: 0 };
  for (const r of rows) {
    const o = objectivesFor(sla, r.service);
    const targets = { responseMs: o.complaintResponseHours * 3_600_000, resolutionMs: o.complaintResolutionHours * 3_600_000 };
    const t = { state: r.state as TicketState, openedTs: Number(r.opened_ms), ackTs: msOrNull(r.acked_ms), resolvedTs: msOrNull(r.resolved_ms) };
    const overdue = overdueOf(t, targets, now);
    // "Overdue" lists tickets still open past a deadline: the ones someone must chase now.
    if (q.state === 'overdue' && !(isOpen(t.state) && overdue.length > 0)) continue;
    for (const k of overdue) counts[k]++;
    all.push({
      ticketId: r.ticket_id, service: r.service, region: r.region, category: r.category as Category, state: t.state,
      opened: iso(t.openedTs), acknowledged: isoOrNull(t.ackTs), resolved: isoOrNull(t.resolvedTs), closed: isoOrNull(msOrNull(r.closed_ms)),
      reopenCount: Number(r.reopen_count),
      responseDueAt: iso(t.openedTs + targets.responseMs), resolutionDueAt: iso(t.openedTs + targets.resolutionMs), overdue,
    });
  }
  return { tickets: all.slice(0, q.limit), total: all.length, overdue: counts };
}
