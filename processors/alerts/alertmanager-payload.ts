// The JSON body Prometheus Alertmanager posts to webhook receivers (version 4,
// https://prometheus.io/docs/alerting/latest/configuration/#webhook_config), so
// receivers written for Alertmanager (chat bridges, ticketing, on-call tools) work
// unchanged. One notification per alert transition: its group is the alert itself.
import type { Alert } from '../../events/alerts.js';

/** Alertmanager's "no end time" for firing alerts. */
const ZERO_TIME = '0001-01-01T00:00:00Z';

export interface AlertmanagerAlert {
  status: 'firing' | 'resolved';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerPayload {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing' | 'resolved';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/** Where an operator lands from a notification: the ops view of the scope. */
export function generatorUrl(externalUrl: string, a: Alert): string {
  const q = new URLSearchParams({ service: a.labels.service, region: a.labels.region, period: '24h' });
  return `${externalUrl.replace(/\/$/, '')}/?${q.toString()}`;
}

export function alertmanagerPayload(a: Alert, receiver: string, externalUrl: string): AlertmanagerPayload {
  const labels: Record<string, string> = { ...a.labels };
  const annotations: Record<string, string> = { summary: a.summary };
  for (const [k, v] of Object.entries(a.values)) annotations[k] = String(v);
  const groupLabels = { alertname: a.labels.alertname, service: a.labels.service, region: a.labels.region, subject: a.labels.subject, severity: a.labels.severity };
  const groupKey = `{}:{${Object.entries(groupLabels).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(', ')}}`;
  return {
    version: '4',
    groupKey,
    truncatedAlerts: 0,
    status: a.status,
    receiver,
    groupLabels,
    commonLabels: labels,
    commonAnnotations: annotations,
    externalURL: externalUrl,
    alerts: [{
      status: a.status, labels, annotations, startsAt: a.startsAt, endsAt: a.endsAt ?? ZERO_TIME,
      generatorURL: generatorUrl(externalUrl, a), fingerprint: a.fingerprint,
    }],
  };
}
