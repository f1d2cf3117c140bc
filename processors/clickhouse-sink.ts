// Writes what the core emits to ClickHouse. camelCase → snake_case happens here
// and nowhere else. Rows are full state with a version, so writing the same rows
// twice (a retry, a replay after a crash) changes nothing that FINAL reads.
import type { Db } from '../infra/clickhouse/client.js';
import type { SqaEvent } from '../events/types.js';
import type { AlarmRecord, Rollup, TicketRecord } from './core/index.js';

export interface SinkBatch {
  rollups: Rollup[];
  alarms: AlarmRecord[];
  tickets: TicketRecord[];
  raw: SqaEvent[];
}

export function rollupRow(r: Rollup) {
  return {
    service: r.service, region: r.region, start: Math.floor(r.start / 1000), version: r.version, final: r.final ? 1 : 0,
    probes: r.probes, probes_ok: r.probesOk, latency: r.latency,
    faults: r.faults, mttr_sum_ms: r.mttrSumMs, mttr_count: r.mttrCount, mtta_sum_ms: r.mttaSumMs, mtta_count: r.mttaCount,
    opened_network: r.openedNetwork, opened_billing: r.openedBilling, opened_service: r.openedService, opened_other: r.openedOther,
    response_sum_ms: r.responseSumMs, response_count: r.responseCount,
    resolution_sum_ms: r.resolutionSumMs, resolution_count: r.resolutionCount, resolved_timely: r.resolvedTimely,
    nps_responses: r.npsResponses, nps_promoters: r.npsPromoters, nps_detractors: r.npsDetractors,
    csat_responses: r.csatResponses, csat_satisfied: r.csatSatisfied,
  };
}

export function alarmRow(a: AlarmRecord) {
  return {
    service: a.service, region: a.region, alarm_id: a.alarmId, element: a.element ?? '', severity: a.severity,
    service_affecting: a.serviceAffecting ? 1 : 0, outage: a.outage ? 1 : 0,
    raised: a.raisedTs, acked: a.ackTs, cleared: a.clearedTs, version: a.version, is_deleted: a.deleted ? 1 : 0,
  };
}

export function ticketRow(t: TicketRecord) {
  return {
    service: t.service, region: t.region, ticket_id: t.ticketId, element: t.element ?? '', category: t.category ?? 'other',
    state: t.state, opened: t.openedTs, acked: t.ackTs, resolved: t.resolvedTs, closed: t.closedTs,
    reopen_count: t.reopenCount, version: t.version, is_deleted: t.deleted ? 1 : 0,
  };
}

export function rawRow(e: SqaEvent) {
  const ref = e.type === 'alarm' ? e.alarmId : e.type === 'complaint' ? e.ticketId : '';
  const state = e.type === 'alarm' || e.type === 'complaint' ? e.state : e.type === 'probe' ? (e.ok ? 'ok' : 'failed') : e.scale;
  return {
    ts: e.ts, service: e.service, region: e.region, type: e.type, id: e.id, element: e.element ?? '',
    ref_id: ref, state, payload: JSON.stringify(e),
  };
}

async function insert(db: Db, table: string, values: object[]): Promise<void> {
  if (values.length === 0) return;
  await db.client.insert({ table: db.t(table), values, format: 'JSONEachRow' });
}

export async function writeBatch(db: Db, b: SinkBatch): Promise<void> {
  for (const res of ['1m', '1h', '1d'] as const) {
    await insert(db, `rollup_${res}`, b.rollups.filter((r) => r.res === res).map(rollupRow));
  }
  await insert(db, 'alarms', b.alarms.map(alarmRow));
  await insert(db, 'tickets', b.tickets.map(ticketRow));
  await insert(db, 'events_raw', b.raw.map(rawRow));
}
