// Writes what the core emits to ClickHouse. camelCase → snake_case happens here
// and nowhere else. Rows are full state with a version, so writing the same rows
// twice (a retry, a replay after a crash) changes nothing that FINAL reads. Raw
// events written twice are told apart by their readers (one per id and time).
import type { Db } from '../infra/clickhouse/client.js';
import { RAW_BLOCK_COLUMNS, RAW_BLOCK_STRUCTURE, type RawBody } from '../infra/clickhouse/raw-blocks.js';
import { emptyRollup, sketchJson, sketchToRecord, type AlarmRecord, type Rollup, type TicketRecord } from './core/index.js';


export interface SinkBatch {
  rollups: Rollup[];
  alarms: AlarmRecord[];
  tickets: TicketRecord[];
  /** Raw events, built into blocks (usually one body; more after a failed write was put back). */
  raw: RawBody[];
}

/** A rollup row's columns but the latency map. */
function rollupFields(r: Rollup) {
  return {
    service: r.service, region: r.region, start: Math.floor(r.start / 1000), version: r.version, final: r.final ? 1 : 0,
    probes: r.probes, probes_ok: r.probesOk,
    faults: r.faults, mttr_sum_ms: r.mttrSumMs, mttr_count: r.mttrCount, mtta_sum_ms: r.mttaSumMs, mtta_count: r.mttaCount,
    opened_network: r.openedNetwork, opened_billing: r.openedBilling, opened_service: r.openedService, opened_other: r.openedOther,
    response_sum_ms: r.responseSumMs, response_count: r.responseCount,
    resolution_sum_ms: r.resolutionSumMs, resolution_count: r.resolutionCount, resolved_timely: r.resolvedTimely,
    nps_responses: r.npsResponses, nps_promoters: r.npsPromoters, nps_detractors: r.npsDetractors,
    csat_responses: r.csatResponses, csat_satisfied: r.csatSatisfied,
  };
}

/** A rollup row as an object (the latency map as a record): for a ClickHouse server, and fixtures inserted with the client. */
export function rollupRow(r: Rollup) {
  return { ...rollupFields(r), latency: sketchToRecord(r.latency) };
}

/** The columns rollupLine writes, in its order. */
const ROLLUP_COLUMNS: readonly string[] = [...Object.keys(rollupFields(emptyRollup('', '', '1m', 0))), 'latency'];

/**
 * One rollup row in JSONEachRow. The latency map's JSON is written straight from the
 * compact sketch: a record object per row (V8 sizes it to the highest key, 4–7 KB)
 * was most of a drained row's cost (docs/benchmarks.md, 2026-11-29).
 */
export function rollupLine(r: Rollup): string {
  const fields = JSON.stringify(rollupFields(r));
  return `${fields.slice(0, -1)},"latency":${sketchJson(r.latency)}}\n`;
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

/**
 * Raw events, as blocks of one scope and minute (infra/clickhouse/raw-blocks.ts):
 * a row per event cost 5.3 µs of CPU per event against 2.5, more than
 * everything else the processors do.
 */
export async function insertRaw(db: Db, raw: readonly RawBody[]): Promise<void> {
  for (const body of raw) await db.insertRowBinary(db.t('events_raw_blocks'), RAW_BLOCK_STRUCTURE, RAW_BLOCK_COLUMNS, body.rows);
}

async function insertRollups(db: Db, table: string, rollups: readonly Rollup[]): Promise<void> {
  if (rollups.length === 0) return;
  // A server takes rows through the client's own JSONEachRow path, as every other
  // table: the records it needs are built right before they are sent and die young.
  if (!db.embedded) return insert(db, table, rollups.map(rollupRow));
  let body = '';
  for (const r of rollups) body += rollupLine(r);
  await db.insertFormatted(db.t(table), ROLLUP_COLUMNS, 'JSONEachRow', Buffer.from(body));
}

async function insert(db: Db, table: string, values: object[]): Promise<void> {
  if (values.length === 0) return;
  await db.client.insert({ table: db.t(table), values, format: 'JSONEachRow' });
}

/** The rows the figures are read from: rollups, alarms, tickets. */
export async function writeFigures(db: Db, b: Omit<SinkBatch, 'raw'>): Promise<void> {
  for (const res of ['1m', '1h', '1d'] as const) {
    await insertRollups(db, `rollup_${res}`, b.rollups.filter((r) => r.res === res));
  }
  await insert(db, 'alarms', b.alarms.map(alarmRow));
  await insert(db, 'tickets', b.tickets.map(ticketRow));
}
