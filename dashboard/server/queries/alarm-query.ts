// Reads alarm intervals for downtime and availability (CONTRACT.md section 4).
// These come from the exact [raised, cleared) intervals, not from per-minute
// rollups, so downtime is exact to the millisecond. Every read also says
// `is_deleted = 0`: recent engines drop retracted rows under FINAL by themselves,
// older servers keep the retraction as the newest version.
import type { Db } from '../../../infra/clickhouse/client.js';
import { queryRows } from './rollup-query.js';
import { millisParam, scopeCondition, type Params, type ScopeFilter } from './scope-filter.js';

export interface AlarmSpan {
  service: string;
  region: string;
  /** Critical/major and service affecting: counts towards downtime. */
  outage: boolean;
  start: number;
  /** null while not cleared. */
  end: number | null;
}

interface SpanRow {
  service: string;
  region: string;
  outage: number | string;
  raised_ms: number | string;
  cleared_ms: number | string | null;
}

/**
 * Every alarm (outage or not) whose interval overlaps [from, to), newest version
 * only. Non-outage alarms are returned too because any alarm row makes a region
 * part of a service's figures.
 */
export async function alarmSpans(db: Db, filter: ScopeFilter, from: number, to: number): Promise<AlarmSpan[]> {
  const params: Params = {};
  const rows = await queryRows<SpanRow>(db,
    `SELECT service, region, outage, toUnixTimestamp64Milli(raised) AS raised_ms, toUnixTimestamp64Milli(cleared) AS cleared_ms
     FROM ${db.t('alarms')} FINAL
     WHERE ${scopeCondition(filter, params)} AND is_deleted = 0 AND raised < ${millisParam(params, 'to_ms', to)}
       AND (cleared IS NULL OR cleared > ${millisParam(params, 'from_ms', from)})`,
    params);
  return rows.map((r) => ({
    service: r.service, region: r.region, outage: Number(r.outage) === 1,
    start: Number(r.raised_ms), end: r.cleared_ms === null ? null : Number(r.cleared_ms),
  }));
}

/** Outage alarms open at `now`, counted per scope key `service|region`. */
export async function activeOutages(db: Db, filter: ScopeFilter, now: number): Promise<Map<string, number>> {
  const params: Params = {};
  const rows = await queryRows<{ service: string; region: string; n: number | string }>(db,
    `SELECT service, region, count() AS n FROM ${db.t('alarms')} FINAL
     WHERE ${scopeCondition(filter, params)} AND is_deleted = 0 AND outage = 1 AND cleared IS NULL AND raised <= ${millisParam(params, 'now_ms', now)}
     GROUP BY service, region`,
    params);
  return new Map(rows.map((r) => [`${r.service}|${r.region}`, Number(r.n)]));
}
