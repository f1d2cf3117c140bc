// Reads what the alert engine needs from the processors' tables: which minutes are
// final per scope, the minute rollups and the outage intervals of a time range.
// Query parameters only; table names come from configuration.
import type { Db } from '../../infra/clickhouse/client.js';
import { sketchFromRecord, type Interval } from '../core/index.js';
import type { MinuteRollup } from '../core/alerts/minute-inputs.js';

export interface ScopeProgress {
  service: string;
  region: string;
  /** Start of the scope's first final minute, epoch ms. */
  first: number;
  /** End of the scope's newest final minute: everything before it is closed. */
  completeThrough: number;
}

export const scopeKey = (service: string, region: string) => `${service}|${region}`;

async function rows<T>(db: Db, query: string, query_params: Record<string, unknown>): Promise<T[]> {
  const rs = await db.client.query({ query, query_params, format: 'JSONEachRow' });
  return rs.json<T>();
}

/**
 * Final minutes per scope (a window is final once its scope's watermark or idle close
 * passed it), over minutes starting at or after `since` (epoch ms; null = all, and
 * `first` is then the scope's true first minute).
 */
export async function finalMinutes(db: Db, since: number | null = null): Promise<ScopeProgress[]> {
  const r = await rows<{ service: string; region: string; first: string | number; last: string | number }>(db,
    `SELECT service, region, toUnixTimestamp(min(start)) AS first, toUnixTimestamp(max(start)) AS last
     FROM ${db.t('rollup_1m')} WHERE final = 1 AND start >= fromUnixTimestamp64Milli({since:Int64})
     GROUP BY service, region`, { since: since ?? 0 });
  return r.map((x) => ({ service: x.service, region: x.region, first: Number(x.first) * 1000, completeThrough: Number(x.last) * 1000 + 60_000 }));
}

/** Minute rollups of every scope with a start in [from, to), keyed by scope. */
export async function minuteRollups(db: Db, from: number, to: number): Promise<Map<string, MinuteRollup[]>> {
  const r = await rows<Record<string, string | number> & { service: string; region: string; latency: Record<string, string | number> }>(db,
    `SELECT service, region, toUnixTimestamp(start) AS start_s, probes, probes_ok, latency, faults,
            opened_network + opened_billing + opened_service + opened_other AS complaints
     FROM ${db.t('rollup_1m')} FINAL
     WHERE start >= fromUnixTimestamp64Milli({from:Int64}) AND start < fromUnixTimestamp64Milli({to:Int64})`,
    { from, to });
  const out = new Map<string, MinuteRollup[]>();
  for (const x of r) {
    const latency = sketchFromRecord(x.latency);
    const key = scopeKey(x.service, x.region);
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push({
      start: Number(x.start_s) * 1000, probes: Number(x.probes), probesOk: Number(x.probes_ok), latency,
      faults: Number(x.faults), complaints: Number(x.complaints),
    });
  }
  return out;
}

/** Outage intervals overlapping [from, to), keyed by scope (newest version, retractions dropped). */
export async function outageIntervals(db: Db, from: number, to: number): Promise<Map<string, Interval[]>> {
  const r = await rows<{ service: string; region: string; raised_ms: string | number; cleared_ms: string | number | null }>(db,
    `SELECT service, region, toUnixTimestamp64Milli(raised) AS raised_ms, toUnixTimestamp64Milli(cleared) AS cleared_ms
     FROM ${db.t('alarms')} FINAL
     WHERE is_deleted = 0 AND outage = 1 AND raised < fromUnixTimestamp64Milli({to:Int64})
       AND (cleared IS NULL OR cleared > fromUnixTimestamp64Milli({from:Int64}))`,
    { from, to });
  const out = new Map<string, Interval[]>();
  for (const x of r) {
    const key = scopeKey(x.service, x.region);
    let list = out.get(key);
    if (list === undefined) out.set(key, (list = []));
    list.push({ start: Number(x.raised_ms), end: x.cleared_ms === null ? null : Number(x.cleared_ms) });
  }
  return out;
}
