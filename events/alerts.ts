// Anomaly and SLO alerts (CONTRACT.md sections 2 and 5: the `sqa.alerts` topic and
// `GET /api/v1/alerts`). Type-only, shared by the evaluator, the API and the web app.

export type AlertKind = 'burn_rate' | 'anomaly';
export type AlertSeverity = 'page' | 'ticket' | 'warning';
export type AlertStatus = 'firing' | 'resolved';
/** The figure an alert watches: an SLI for burn-rate alerts, a metric for anomalies. */
export type AlertSubject = 'availability' | 'probe_success' | 'latency_p95' | 'fault_rate' | 'complaint_rate';

/** Identifying labels: the fingerprint is a hash of exactly these. */
export interface AlertLabels {
  alertname: 'SloBurnRate' | 'Anomaly';
  service: string;
  region: string;
  kind: AlertKind;
  subject: AlertSubject;
  severity: AlertSeverity;
}

/** One alert occurrence: from the minute it fired until it resolved. */
export interface Alert {
  fingerprint: string;
  labels: AlertLabels;
  status: AlertStatus;
  /** ISO 8601 UTC, event time: the end of the minute whose evaluation fired it. */
  startsAt: string;
  /** ISO 8601 UTC end of the minute whose evaluation resolved it; null while firing. */
  endsAt: string | null;
  /** One human-readable line with the figures that triggered it. */
  summary: string;
  /** The figures behind the summary, at firing (burn rates, value and band…). */
  values: Record<string, number | string>;
}
