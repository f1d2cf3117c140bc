// The event contract (CONTRACT.md section 1) as TypeScript types. These are the
// *normalised* shapes: `ts` is always epoch milliseconds and optional fields that
// have a contract default carry it. Everything downstream of validation uses them.

export const EVENT_TYPES = ['alarm', 'probe', 'complaint', 'survey'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const ALARM_STATES = ['raised', 'acknowledged', 'cleared'] as const;
export type AlarmState = (typeof ALARM_STATES)[number];
export const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const TICKET_STATES = ['opened', 'acknowledged', 'resolved', 'closed', 'reopened'] as const;
export type TicketState = (typeof TICKET_STATES)[number];
export const CATEGORIES = ['network', 'billing', 'service', 'other'] as const;
export type Category = (typeof CATEGORIES)[number];

export const SURVEY_SCALES = ['nps', 'csat'] as const;
export type SurveyScale = (typeof SURVEY_SCALES)[number];

export interface BaseEvent {
  id: string;
  type: EventType;
  /** Event time, epoch milliseconds (normalised from RFC 3339 or epoch ms). */
  ts: number;
  service: string;
  region: string;
  element?: string;
  attrs?: Record<string, string>;
}

export interface AlarmEvent extends BaseEvent {
  type: 'alarm';
  alarmId: string;
  state: AlarmState;
  severity: Severity;
  /** Contract default: true. */
  serviceAffecting: boolean;
}

export interface ProbeEvent extends BaseEvent {
  type: 'probe';
  ok: boolean;
  /** Required when ok is true. */
  latencyMs?: number;
}

export interface ComplaintEvent extends BaseEvent {
  type: 'complaint';
  ticketId: string;
  state: TicketState;
  /** Required on `opened`. */
  category?: Category;
}

export interface SurveyEvent extends BaseEvent {
  type: 'survey';
  scale: SurveyScale;
  score: number;
}

export type SqaEvent = AlarmEvent | ProbeEvent | ComplaintEvent | SurveyEvent;

/** A scope is where windows, watermarks and figures live: (service, region). */
export interface Scope {
  service: string;
  region: string;
}

/** Kafka key and map key of a scope (CONTRACT.md section 2). */
export function scopeKey(s: Scope): string {
  return `${s.service}|${s.region}`;
}

export function parseScopeKey(key: string): Scope {
  const i = key.indexOf('|');
  if (i < 0) throw new Error(`not a scope key: ${key}`);
  return { service: key.slice(0, i), region: key.slice(i + 1) };
}

/** An outage alarm (CONTRACT.md section 4): critical/major and service affecting. */
export function isOutageSeverity(severity: Severity, serviceAffecting: boolean): boolean {
  return (severity === 'critical' || severity === 'major') && serviceAffecting;
}
