// Incidents: outage alarms of one scope correlated in time (docs/incidents.md).
// Outage alarms are those of CONTRACT.md section 4 (critical/major, service
// affecting); others never form or join an incident. Alarms whose intervals
// overlap, or where the next raise comes at most `gapMs` after the group's end, are
// one incident; an open alarm keeps its group open, so every later outage alarm of
// the scope joins it. Pure: the query layer reads the rows, this groups them.
import type { Severity } from '../../events/types.js';

/** Five minutes: a raise at most this long after the group's last clear joins it. */
export const INCIDENT_GAP_MS = 300_000;

/** One occurrence (`[raised, cleared)` row of the `alarms` table) of one alarmId. */
export interface IncidentAlarm {
  service: string;
  region: string;
  alarmId: string;
  /** '' when the alarm names no element. */
  element: string;
  severity: Severity;
  /** Critical/major and service affecting; only these form incidents. */
  outage: boolean;
  raisedTs: number;
  ackTs: number | null;
  /** null = still open. */
  clearedTs: number | null;
}

export interface Incident {
  /** `service|region|first raise (epoch ms)`: the same incident has the same id in every query. */
  id: string;
  service: string;
  region: string;
  /** Distinct, sorted; alarms without an element add none. */
  elements: string[];
  /** The highest of its alarms: critical > major. */
  severity: 'critical' | 'major';
  /** First raise. */
  start: number;
  /** First acknowledgement among its alarms, or null. */
  acknowledged: number | null;
  /** Last clear once every alarm is cleared; null while any is open. */
  resolved: number | null;
  /** resolved − start in seconds (recovery time); null while open. */
  durationSeconds: number | null;
  /** Some alarmId raised again within the incident (≥ 2 occurrences of it). */
  flapping: boolean;
  /** Distinct, sorted. */
  alarmIds: string[];
  /** Occurrences (rows), so a flapping alarm counts once per raise. */
  alarmCount: number;
}

export const incidentId = (service: string, region: string, start: number): string => `${service}|${region}|${start}`;

/** The parts of an id made by incidentId, or null when it is not one. */
export function parseIncidentId(id: string): { service: string; region: string; start: number } | null {
  const parts = id.split('|');
  if (parts.length !== 3 || !/^-?\d{1,15}$/.test(parts[2]!)) return null;
  const [service, region] = parts as [string, string];
  if (service === '' || region === '') return null;
  return { service, region, start: Number(parts[2]) };
}

/**
 * The incidents of the given alarms, sorted by (start, scope). Meant for the
 * alarms of one scope; alarms of several scopes are correlated per scope.
 */
export function correlateIncidents(alarms: readonly IncidentAlarm[], opts: { gapMs?: number } = {}): Incident[] {
  const gapMs = opts.gapMs ?? INCIDENT_GAP_MS;
  const byScope = new Map<string, IncidentAlarm[]>();
  for (const a of alarms) {
    if (!a.outage) continue;
    const key = `${a.service}|${a.region}`;
    const list = byScope.get(key);
    if (list) list.push(a);
    else byScope.set(key, [a]);
  }
  const out: Incident[] = [];
  for (const list of byScope.values()) {
    list.sort((a, b) => a.raisedTs - b.raisedTs || (a.alarmId < b.alarmId ? -1 : a.alarmId > b.alarmId ? 1 : 0));
    let group: IncidentAlarm[] = [];
    let end = -Infinity;
    for (const a of list) {
      if (group.length > 0 && a.raisedTs > end + gapMs) {
        out.push(toIncident(group));
        group = [];
        end = -Infinity;
      }
      group.push(a);
      end = Math.max(end, a.clearedTs ?? Infinity);
    }
    if (group.length > 0) out.push(toIncident(group));
  }
  return out.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function toIncident(group: readonly IncidentAlarm[]): Incident {
  const first = group[0]!;
  const occurrences = new Map<string, number>();
  const elements = new Set<string>();
  let acknowledged: number | null = null;
  let resolved: number | null = -Infinity;
  let critical = false;
  for (const a of group) {
    occurrences.set(a.alarmId, (occurrences.get(a.alarmId) ?? 0) + 1);
    if (a.element !== '') elements.add(a.element);
    if (a.ackTs !== null && (acknowledged === null || a.ackTs < acknowledged)) acknowledged = a.ackTs;
    if (a.clearedTs === null) resolved = null;
    else if (resolved !== null) resolved = Math.max(resolved, a.clearedTs);
    if (a.severity === 'critical') critical = true;
  }
  return {
    id: incidentId(first.service, first.region, first.raisedTs),
    service: first.service,
    region: first.region,
    elements: [...elements].sort(),
    severity: critical ? 'critical' : 'major',
    start: first.raisedTs,
    acknowledged,
    resolved,
    durationSeconds: resolved === null ? null : (resolved - first.raisedTs) / 1000,
    flapping: [...occurrences.values()].some((n) => n >= 2),
    alarmIds: [...occurrences.keys()].sort(),
    alarmCount: group.length,
  };
}
