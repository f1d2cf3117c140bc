// Shapes of the HTTP API and live channel (CONTRACT.md section 5). Kept as plain
// types here: the front end is a separate Vite project and does not import the
// server's modules (only the type-only events/figures.ts and events/live.ts).
import type { Kpis } from '../../../../events/figures.js';
import type { LiveScope } from '../../../../events/live.js';

export type { Kpis };

export type { LiveScope };

export interface Incident {
  id: string;
  service: string;
  region: string;
  elements: string[];
  severity: string;
  start: string;
  acknowledged: string | null;
  resolved: string | null;
  durationSeconds: number | null;
  flapping: boolean;
  alarmCount: number;
  complaintCount: number;
}

export interface IncidentAlarm {
  alarmId: string;
  element: string | null;
  severity: string;
  raised: string | null;
  acked: string | null;
  cleared: string | null;
}

export interface RawEvent {
  id: string;
  type: string;
  ts: string | number;
  service: string;
  region: string;
  element?: string;
  [key: string]: unknown;
}

export interface IncidentDetail {
  incident: Incident;
  alarms: IncidentAlarm[];
  events: RawEvent[];
}

export type { Alert } from '../../../../events/alerts.js';

export type { SlaObjectiveName as ObjectiveName, SlaReport, BurnPoint } from '../../../../events/sla.js';

export interface SeriesPoint {
  t: string;
  v: number | null;
}

export type Metric = 'availability' | 'faults' | 'mttr' | 'probe_success' | 'latency_p95' | 'complaints' | 'nps';
export type Step = '1m' | '5m' | '1h' | '1d';
