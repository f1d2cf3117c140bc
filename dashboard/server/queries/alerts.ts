// Anomaly and SLO alerts as the alert evaluator stored them (CONTRACT.md section 5,
// `GET /api/v1/alerts`): the newest state of each occurrence.
import type { Alert, AlertStatus } from '../../../events/alerts.js';
import type { Db } from '../../../infra/clickhouse/client.js';
import { ALERT_COLUMNS, rowToAlert, type AlertRow } from '../../../processors/alerts/alert-store.js';
import { queryRows } from './rollup-query.js';
import { optionalScopeCondition, type Params } from './scope-filter.js';

export interface AlertFilter {
  status: AlertStatus | null;
  service: string | null;
  region: string | null;
  limit: number;
}

/** Firing ones newest first; resolved ones by most recent end. */
export async function listAlerts(db: Db, f: AlertFilter): Promise<Alert[]> {
  const params: Params = { limit: f.limit };
  const conditions = [optionalScopeCondition(f.service, f.region, params)];
  if (f.status !== null) {
    params.status = f.status;
    conditions.push('status = {status:String}');
  }
  const rows = await queryRows<AlertRow>(db,
    `SELECT ${ALERT_COLUMNS} FROM ${db.t('alerts')} FINAL WHERE ${conditions.join(' AND ')}
     ORDER BY coalesce(ends_at, starts_at) DESC, fingerprint LIMIT {limit:UInt32}`, params);
  return rows.map(rowToAlert);
}

/** Alert rows written after `sinceMs` (server time), oldest first: the live channel's feed. */
export async function alertsWrittenSince(db: Db, sinceMs: number): Promise<Alert[]> {
  const rows = await queryRows<AlertRow>(db,
    `SELECT ${ALERT_COLUMNS} FROM ${db.t('alerts')} WHERE updated_at > fromUnixTimestamp64Milli({since:Int64})
     ORDER BY updated_at, version LIMIT 10000`, { since: sinceMs });
  return rows.map(rowToAlert);
}
