// The queries behind the live channel: which scopes changed since a point in
// ClickHouse time, which scopes exist, and each scope's live figures. All of them
// take a scope list, so one poll costs a handful of queries whatever the number of
// scopes.
import type { Scope } from '../../../events/types.js';
import type { Db } from '../../../infra/clickhouse/client.js';
import { activeOutages } from '../queries/alarm-query.js';
import { kpisForScopes } from '../queries/kpis.js';
import { DAY_MS, endOfCurrentMinute, floorTo, HOUR_MS, iso } from '../queries/period.js';
import { queryRows } from '../queries/rollup-query.js';
import { millisParam, scopeCondition, secondsParam, type Params } from '../queries/scope-filter.js';
import type { LiveScope } from './protocol.js';

/** The live periods at `now`: today so far, and the last hour. */
export function livePeriods(now: number): { day: { from: number; to: number }; hour: { from: number; to: number } } {
  const to = endOfCurrentMinute(now);
  return { day: { from: floorTo(now, DAY_MS), to }, hour: { from: to - HOUR_MS, to } };
}

const toScopes = (rows: { service: string; region: string }[]): Scope[] => rows.map((r) => ({ service: r.service, region: r.region }));

/**
 * Scopes with a rollup, alarm or ticket row written after `since` (ClickHouse time,
 * epoch ms), and the server's clock at the query, which the next poll starts from:
 * `updated_at` is the server's clock, and the dashboard may run on another host.
 * Rollups only matter from the start of the live periods; alarms at any age (an old
 * outage cleared now changes today's downtime).
 */
export async function changedScopes(db: Db, since: number, now: number): Promise<{ scopes: Scope[]; serverNow: number }> {
  const params: Params = {};
  const p = livePeriods(now);
  const after = millisParam(params, 'since_ms', since);
  const rollupFrom = secondsParam(params, 'rollup_from', Math.min(p.day.from, p.hour.from));
  const [row] = await queryRows<{ keys: [string, string][]; server_now: number | string }>(db,
    `SELECT groupUniqArray((service, region)) AS keys, toUnixTimestamp64Milli(now64(3)) AS server_now FROM (
       SELECT service, region FROM ${db.t('rollup_1m')} WHERE start >= ${rollupFrom} AND updated_at > ${after}
       UNION ALL SELECT service, region FROM ${db.t('alarms')} WHERE updated_at > ${after}
       UNION ALL SELECT service, region FROM ${db.t('tickets')} WHERE updated_at > ${after})`,
    params);
  return { scopes: (row?.keys ?? []).map(([service, region]) => ({ service, region })), serverNow: Number(row?.server_now ?? since) };
}

/** The server's clock, epoch ms. */
export async function serverNow(db: Db): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(db, 'SELECT toUnixTimestamp64Milli(now64(3)) AS n', {});
  return Number(row!.n);
}

/**
 * The scopes the live channel shows: any with an hourly rollup in the last 24 hours
 * (so a scope that went quiet stays on the wall for a day), a minute rollup in the
 * live periods, or an open outage.
 */
export async function liveUniverse(db: Db, now: number): Promise<Scope[]> {
  const params: Params = {};
  const p = livePeriods(now);
  const hours = secondsParam(params, 'hours_s', floorTo(now, HOUR_MS) - 24 * HOUR_MS);
  const minutes = secondsParam(params, 'minutes_s', Math.min(p.day.from, p.hour.from));
  return toScopes(await queryRows(db,
    `SELECT DISTINCT service, region FROM (
       SELECT service, region FROM ${db.t('rollup_1h')} WHERE start >= ${hours}
       UNION ALL SELECT service, region FROM ${db.t('rollup_1m')} WHERE start >= ${minutes}
       UNION ALL SELECT service, region FROM ${db.t('alarms')} FINAL WHERE is_deleted = 0 AND outage = 1 AND cleared IS NULL)
     ORDER BY service, region`,
    params));
}

/** Scopes whose newest minute window in the last hour is not final yet. */
async function provisionalScopes(db: Db, scopes: readonly Scope[], from: number, to: number): Promise<Set<string>> {
  const params: Params = {};
  const rows = await queryRows<{ service: string; region: string }>(db,
    `SELECT service, region FROM ${db.t('rollup_1m')} FINAL
     WHERE ${scopeCondition({ scopes }, params)} AND start >= ${secondsParam(params, 'from_s', from)} AND start < ${secondsParam(params, 'to_s', to)}
     GROUP BY service, region HAVING argMax(final, start) = 0`,
    params);
  return new Set(rows.map((r) => `${r.service}|${r.region}`));
}

export async function computeLiveScopes(db: Db, scopes: readonly Scope[], now: number): Promise<LiveScope[]> {
  if (scopes.length === 0) return [];
  const p = livePeriods(now);
  const clock = { now: () => now };
  const [day, hour, outages, provisional] = await Promise.all([
    kpisForScopes(db, scopes, p.day.from, p.day.to, clock),
    kpisForScopes(db, scopes, p.hour.from, p.hour.to, clock),
    activeOutages(db, { scopes }, now),
    provisionalScopes(db, scopes, p.hour.from, p.hour.to),
  ]);
  const at = iso(now);
  return scopes.map((s, i) => {
    const key = `${s.service}|${s.region}`;
    return {
      service: s.service, region: s.region, kpis: day[i]!, lastHour: hour[i]!,
      activeOutages: outages.get(key) ?? 0, provisional: provisional.has(key), updatedAt: at,
    };
  });
}
