// Reads summed rollups. Rows are full-state versions, so every read uses FINAL
// (the newest version of each window) before summing; counters add up across
// windows, regions and resolutions, and `sumMap` merges the latency sketches
// bucket by bucket, which is exactly how the core merges them.
import type { Db } from '../../../infra/clickhouse/client.js';
import { emptyRollup, sketchFromRecord, type Resolution, type Rollup } from '../../../processors/core/index.js';
import type { Counter } from '../../../processors/core/rollup.js';
import { splitPeriod } from './period.js';
import { scopeCondition, secondsParam, type Params, type ScopeFilter } from './scope-filter.js';

/** Rollup columns (snake_case, ClickHouse) and the Rollup counter each one fills. */
const COUNTER_COLUMNS: readonly (readonly [string, Counter])[] = [
  ['probes', 'probes'], ['probes_ok', 'probesOk'], ['faults', 'faults'],
  ['mttr_sum_ms', 'mttrSumMs'], ['mttr_count', 'mttrCount'], ['mtta_sum_ms', 'mttaSumMs'], ['mtta_count', 'mttaCount'],
  ['opened_network', 'openedNetwork'], ['opened_billing', 'openedBilling'], ['opened_service', 'openedService'], ['opened_other', 'openedOther'],
  ['response_sum_ms', 'responseSumMs'], ['response_count', 'responseCount'],
  ['resolution_sum_ms', 'resolutionSumMs'], ['resolution_count', 'resolutionCount'], ['resolved_timely', 'resolvedTimely'],
  ['nps_responses', 'npsResponses'], ['nps_promoters', 'npsPromoters'], ['nps_detractors', 'npsDetractors'],
  ['csat_responses', 'csatResponses'], ['csat_satisfied', 'csatSatisfied'],
];

const RAW_COLUMNS = ['service', 'region', 'start', ...COUNTER_COLUMNS.map(([c]) => c), 'latency'].join(', ');
const SUMS = COUNTER_COLUMNS.map(([c]) => `sum(${c}) AS ${c}`).join(', ');

export const rollupTable = (db: Db, res: Resolution): string => db.t(`rollup_${res}`);

export type RollupRow = Record<string, unknown> & { service: string; region: string; latency?: Record<string, unknown> };

export async function queryRows<T>(db: Db, query: string, query_params: Params): Promise<T[]> {
  const rs = await db.client.query({ query, query_params, format: 'JSONEachRow' });
  return rs.json<T>();
}

/** A summed row as a Rollup. 64-bit sums may arrive as strings from a server. */
export function rowToRollup(row: RollupRow, res: Resolution, start: number): Rollup {
  const r = emptyRollup(row.service, row.region, res, start);
  for (const [col, counter] of COUNTER_COLUMNS) r[counter] = Number(row[col] ?? 0);
  if (row.latency) r.latency = sketchFromRecord(row.latency);
  return r;
}

/**
 * One summed Rollup per scope over [from, to), read from rollup_1d for whole UTC
 * days, rollup_1h for whole hours and rollup_1m for the minutes left over.
 * Scopes without any row in the period are absent from the map.
 */
export async function rollupTotals(db: Db, filter: ScopeFilter, from: number, to: number): Promise<Map<string, Rollup>> {
  const params: Params = {};
  const rows = periodRows(db, filter, from, to, params);
  if (rows === null) return new Map();
  const summed = await queryRows<RollupRow>(db,
    `SELECT service, region, ${SUMS}, sumMap(latency) AS latency FROM (${rows}) GROUP BY service, region`, params);
  return new Map(summed.map((row) => [`${row.service}|${row.region}`, rowToRollup(row, '1m', from)]));
}

/**
 * rollupTotals summed over every matching scope in the engine: one Rollup, and the
 * regions that had rows (null when none had). For a service-wide figure this ships
 * one latency map to Node instead of one per region, and the engine's merge of all
 * the maps at once is cheaper than per region (docs/benchmarks.md, 2026-11-29).
 */
export async function rollupGrandTotal(db: Db, filter: ScopeFilter, from: number, to: number): Promise<{ rollup: Rollup; regions: string[] } | null> {
  const params: Params = {};
  const rows = periodRows(db, filter, from, to, params);
  if (rows === null) return null;
  const [row] = await queryRows<RollupRow & { regions: string[]; n: number | string }>(db,
    `SELECT ${SUMS}, sumMap(latency) AS latency, groupUniqArray(region) AS regions, count() AS n FROM (${rows})`, params);
  if (!row || Number(row.n) === 0) return null;
  return { rollup: rowToRollup({ ...row, service: '', region: '' }, '1m', from), regions: row.regions };
}

/** The newest version of every window of the filter's scopes that [from, to) covers, at the coarsest resolution that fits. */
function periodRows(db: Db, filter: ScopeFilter, from: number, to: number, params: Params): string | null {
  const scope = scopeCondition(filter, params);
  const byRes = new Map<Resolution, string[]>();
  splitPeriod(from, to).forEach((s, i) => {
    const range = `(start >= ${secondsParam(params, `a${i}`, s.from)} AND start < ${secondsParam(params, `b${i}`, s.to)})`;
    byRes.set(s.res, [...(byRes.get(s.res) ?? []), range]);
  });
  const parts = [...byRes].map(([res, ranges]) =>
    `SELECT ${RAW_COLUMNS} FROM ${rollupTable(db, res)} FINAL WHERE ${scope} AND (${ranges.join(' OR ')})`);
  return parts.length === 0 ? null : parts.join(' UNION ALL ');
}

export interface BucketRollup {
  bucket: number;
  rollup: Rollup;
}

/**
 * Summed rollups per bucket of one service, buckets `bucketMs` long and aligned to
 * the epoch (so to UTC minutes, hours and days), read from the table of resolution
 * `res` (whose windows nest in the buckets). Regions are summed in the engine: a
 * service-wide hourly month is 720 rows, not 720 × regions with a latency map each.
 * The latency map is only read when asked for, since it is the heavy column.
 */
export async function rollupBuckets(
  db: Db, q: { service: string; region: string | null; res: Resolution; bucketMs: number; from: number; to: number; latency: boolean },
): Promise<BucketRollup[]> {
  const params: Params = { bucket_s: q.bucketMs / 1000 };
  const scope = scopeCondition({ service: q.service, region: q.region }, params);
  const rows = await queryRows<RollupRow & { bucket: number | string }>(db,
    // No service or region column: an alias named like a column would also replace it in WHERE.
    `SELECT intDiv(toUnixTimestamp(start), {bucket_s:UInt32}) * {bucket_s:UInt32} AS bucket, ${SUMS}` +
    (q.latency ? ', sumMap(latency) AS latency' : '') +
    ` FROM ${rollupTable(db, q.res)} FINAL WHERE ${scope}` +
    ` AND start >= ${secondsParam(params, 'from_s', q.from)} AND start < ${secondsParam(params, 'to_s', q.to)}` +
    ' GROUP BY bucket',
    params);
  return rows.map((row) => {
    const bucket = Number(row.bucket) * 1000;
    return { bucket, rollup: rowToRollup({ ...row, service: q.service, region: q.region ?? '' }, q.res, bucket) };
  });
}

/** The regions of one service (or the one region) with a rollup row in each bucket. */
export async function regionsPerBucket(
  db: Db, q: { service: string; region: string | null; res: Resolution; bucketMs: number; from: number; to: number },
): Promise<Map<number, Set<string>>> {
  const params: Params = { bucket_s: q.bucketMs / 1000 };
  const scope = scopeCondition({ service: q.service, region: q.region }, params);
  // No FINAL: any version of a row shows the region had data in the bucket.
  const rows = await queryRows<{ bucket: number | string; regions: string[] }>(db,
    `SELECT intDiv(toUnixTimestamp(start), {bucket_s:UInt32}) * {bucket_s:UInt32} AS bucket, groupUniqArray(region) AS regions` +
    ` FROM ${rollupTable(db, q.res)} WHERE ${scope}` +
    ` AND start >= ${secondsParam(params, 'from_s', q.from)} AND start < ${secondsParam(params, 'to_s', q.to)}` +
    ' GROUP BY bucket',
    params);
  return new Map(rows.map((r) => [Number(r.bucket) * 1000, new Set(r.regions)]));
}
