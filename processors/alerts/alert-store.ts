// Alert occurrences and the evaluator's progress in ClickHouse (migration 0005).
import type { Alert, AlertLabels } from '../../events/alerts.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { scopeKey } from './minute-source.js';

const toDateTime64 = (iso: string) => iso.replace('T', ' ').replace('Z', '');

export async function saveAlerts(db: Db, alerts: readonly Alert[]): Promise<void> {
  if (alerts.length === 0) return;
  await db.client.insert({
    table: db.t('alerts'),
    format: 'JSONEachRow',
    values: alerts.map((a) => ({
      fingerprint: a.fingerprint, alertname: a.labels.alertname, service: a.labels.service, region: a.labels.region,
      kind: a.labels.kind, subject: a.labels.subject, severity: a.labels.severity, status: a.status,
      starts_at: toDateTime64(a.startsAt), ends_at: a.endsAt === null ? null : toDateTime64(a.endsAt),
      summary: a.summary, values: JSON.stringify(a.values), version: a.status === 'firing' ? 1 : 2,
    })),
  });
}

export interface AlertRow {
  fingerprint: string;
  alertname: string;
  service: string;
  region: string;
  kind: string;
  subject: string;
  severity: string;
  status: string;
  starts_ms: string | number;
  ends_ms: string | number | null;
  summary: string;
  values: string;
}

export const ALERT_COLUMNS = `fingerprint, alertname, service, region, kind, subject, severity, status,
  toUnixTimestamp64Milli(starts_at) AS starts_ms, toUnixTimestamp64Milli(ends_at) AS ends_ms, summary, \`values\``;

export function rowToAlert(r: AlertRow): Alert {
  return {
    fingerprint: r.fingerprint,
    labels: {
      alertname: r.alertname as AlertLabels['alertname'], service: r.service, region: r.region,
      kind: r.kind as AlertLabels['kind'], subject: r.subject as AlertLabels['subject'], severity: r.severity as AlertLabels['severity'],
    },
    status: r.status === 'resolved' ? 'resolved' : 'firing',
    startsAt: new Date(Number(r.starts_ms)).toISOString(),
    endsAt: r.ends_ms === null ? null : new Date(Number(r.ends_ms)).toISOString(),
    summary: r.summary,
    values: JSON.parse(r.values) as Alert['values'],
  };
}

export async function loadProgress(db: Db): Promise<Map<string, number>> {
  const rs = await db.client.query({
    query: `SELECT service, region, toUnixTimestamp(next_minute) AS next_s FROM ${db.t('alert_progress')} FINAL`,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ service: string; region: string; next_s: string | number }>();
  return new Map(rows.map((r) => [scopeKey(r.service, r.region), Number(r.next_s) * 1000]));
}

export async function saveProgress(db: Db, progress: readonly { service: string; region: string; next: number }[]): Promise<void> {
  if (progress.length === 0) return;
  await db.client.insert({
    table: db.t('alert_progress'),
    format: 'JSONEachRow',
    values: progress.map((p) => ({ service: p.service, region: p.region, next_minute: Math.floor(p.next / 1000) })),
  });
}
