// Incidents (docs/incidents.md): outage alarms read from `alarms` FINAL, correlated
// per scope by processors/core/incidents.ts, linked to network complaints of the
// same scope, and for one incident its raw events. Every alarm read also says
// `is_deleted = 0` (see alarm-query.ts).
//
// An incident's alarms may lie outside the asked period (a chain of alarms each
// within 5 min of the last can start hours earlier, and an open alarm absorbs
// every later one), so the read is widened per scope until no unread alarm can
// join an incident already seen: the id (the first raise) and the figures of an
// incident are then the same whichever period finds it.
import type { Db } from '../../../infra/clickhouse/client.js';
import { correlateIncidents, INCIDENT_GAP_MS, parseIncidentId, type Incident, type IncidentAlarm } from '../../../processors/core/incidents.js';
import type { Severity } from '../../../events/types.js';
import { HOUR_MS, iso, MINUTE_MS } from './period.js';
import { rawLinesSql } from '../../../infra/clickhouse/raw-blocks.js';
import { queryRows } from './rollup-query.js';
import { millisParam, type Params } from './scope-filter.js';

export type IncidentState = 'open' | 'resolved';

export interface IncidentView extends Omit<Incident, 'start' | 'acknowledged' | 'resolved'> {
  start: string;
  acknowledged: string | null;
  resolved: string | null;
  /** Network complaints of the scope opened during [start, resolved ?? now]. */
  complaintCount: number;
}

export interface IncidentAlarmView {
  alarmId: string;
  element: string;
  severity: Severity;
  raised: string;
  acked: string | null;
  cleared: string | null;
}

export interface ComplaintView {
  ticketId: string;
  element: string;
  category: string;
  state: string;
  opened: string;
  acked: string | null;
  resolved: string | null;
  closed: string | null;
}

export interface IncidentDetail {
  incident: IncidentView;
  alarms: IncidentAlarmView[];
  complaints: ComplaintView[];
  /** Raw events (their stored payload) of the scope naming its alarmIds or elements. */
  events: unknown[];
}

export interface IncidentQuery {
  service: string | null;
  region: string | null;
  from: number;
  to: number;
  state: IncidentState | null;
}

/** Raw events from 5 min before the start to 5 min after the end, at most this many. */
export const EVENT_MARGIN_MS = 5 * MINUTE_MS;
export const MAX_EVENTS = 2000;
/** Rounds of widening before giving up (the step doubles from 1 h: 2^40 h covers any history). */
const MAX_ROUNDS = 40;

type Ms = number | string | null;
const ms = (v: Ms): number | null => (v === null ? null : Number(v));
const isoOrNull = (v: number | null): string | null => (v === null ? null : iso(v));

interface AlarmRow {
  service: string;
  region: string;
  alarm_id: string;
  element: string;
  severity: Severity;
  raised_ms: Ms;
  acked_ms: Ms;
  cleared_ms: Ms;
}

const ALARM_COLUMNS = `service, region, alarm_id, element, severity, toUnixTimestamp64Milli(raised) AS raised_ms,
  toUnixTimestamp64Milli(acked) AS acked_ms, toUnixTimestamp64Milli(cleared) AS cleared_ms`;

function toAlarm(r: AlarmRow): IncidentAlarm {
  return {
    service: r.service, region: r.region, alarmId: r.alarm_id, element: r.element, severity: r.severity, outage: true,
    raisedTs: Number(r.raised_ms), ackTs: ms(r.acked_ms), clearedTs: ms(r.cleared_ms),
  };
}

async function readAlarms(db: Db, condition: string, params: Params): Promise<IncidentAlarm[]> {
  const rows = await queryRows<AlarmRow>(db,
    `SELECT ${ALARM_COLUMNS} FROM ${db.t('alarms')} FINAL WHERE is_deleted = 0 AND outage = 1 AND (${condition})`, params);
  return rows.map(toAlarm);
}

function nameCondition(params: Params, service: string | null, region: string | null, p = ''): string[] {
  const parts: string[] = [];
  if (service !== null) { params[`${p}service`] = service; parts.push(`service = {${p}service:String}`); }
  if (region !== null) { params[`${p}region`] = region; parts.push(`region = {${p}region:String}`); }
  return parts;
}

interface Bounds {
  /** Every outage alarm cleared at or after `lo` (or open) and raised before `hi` has been read. */
  lo: number;
  hi: number;
}

/**
 * The outage alarms of every incident touching [lo, hi) of the scopes selected:
 * first those whose interval overlaps [lo, hi) (or open), then, per scope, earlier
 * alarms that chain into the earliest read and later ones that chain after the
 * latest, in widening steps, until nothing unread can join.
 */
export async function chainedAlarms(db: Db, scope: { service: string | null; region: string | null }, lo: number, hi: number, gapMs = INCIDENT_GAP_MS): Promise<IncidentAlarm[]> {
  const params: Params = {};
  const where = [...nameCondition(params, scope.service, scope.region),
    `raised < ${millisParam(params, 'hi_ms', hi)}`, `(cleared IS NULL OR cleared >= ${millisParam(params, 'lo_ms', lo)})`];
  const all = await readAlarms(db, where.join(' AND '), params);
  const bounds = new Map<string, Bounds>();
  for (const a of all) bounds.set(`${a.service}|${a.region}`, { lo, hi });
  let step = HOUR_MS;
  for (let round = 0; round < MAX_ROUNDS; round++, step *= 2) {
    const p: Params = {};
    const wanted: string[] = [];
    let i = 0;
    const span = new Map<string, { first: number; last: number }>();
    for (const a of all) {
      const key = `${a.service}|${a.region}`;
      const s = span.get(key) ?? { first: Infinity, last: -Infinity };
      span.set(key, { first: Math.min(s.first, a.raisedTs), last: Math.max(s.last, a.clearedTs ?? Infinity) });
    }
    for (const [key, b] of bounds) {
      const { first, last } = span.get(key)!;
      const [service, region] = key.split('|') as [string, string];
      const scopeSql = nameCondition(p, service, region, `s${i}_`).join(' AND ');
      // An alarm cleared at or after first − gap can chain into the earliest one.
      if (first - gapMs < b.lo) {
        const lo2 = Math.min(first - gapMs, b.lo - step);
        wanted.push(`(${scopeSql} AND cleared IS NOT NULL AND cleared >= ${millisParam(p, `s${i}_lo2`, lo2)} AND cleared < ${millisParam(p, `s${i}_lo`, b.lo)})`);
        b.lo = lo2;
      }
      // An alarm raised at or before last + gap chains after the latest (any, once one is open).
      if (b.hi !== Infinity && last + gapMs >= b.hi) {
        const hi2 = last === Infinity ? null : Math.max(last + gapMs + 1, b.hi + step);
        wanted.push(`(${scopeSql} AND raised >= ${millisParam(p, `s${i}_hi`, b.hi)}${hi2 === null ? '' : ` AND raised < ${millisParam(p, `s${i}_hi2`, hi2)}`})`);
        b.hi = hi2 ?? Infinity;
      }
      i++;
    }
    if (wanted.length === 0) break;
    all.push(...await readAlarms(db, wanted.join(' OR '), p));
  }
  return all;
}

/** Network tickets (newest version) of the incidents' scopes opened in [from, to]. */
async function networkTickets(db: Db, scopes: readonly string[], from: number, to: number): Promise<(ComplaintView & { service: string; region: string; openedTs: number })[]> {
  if (scopes.length === 0) return [];
  const params: Params = { keys: scopes, services: [...new Set(scopes.map((k) => k.split('|')[0]!))] };
  const rows = await queryRows<{ service: string; region: string; ticket_id: string; element: string; category: string; state: string; opened_ms: Ms; acked_ms: Ms; resolved_ms: Ms; closed_ms: Ms }>(db,
    `SELECT service, region, ticket_id, element, category, state, toUnixTimestamp64Milli(opened) AS opened_ms,
       toUnixTimestamp64Milli(acked) AS acked_ms, toUnixTimestamp64Milli(resolved) AS resolved_ms, toUnixTimestamp64Milli(closed) AS closed_ms
     FROM ${db.t('tickets')} FINAL
     WHERE service IN {services:Array(String)} AND has({keys:Array(String)}, concat(service, '|', region)) AND category = 'network'
       AND opened >= ${millisParam(params, 'from_ms', from)} AND opened <= ${millisParam(params, 'to_ms', to)}
     ORDER BY opened, ticket_id`,
    params);
  return rows.map((r) => ({
    service: r.service, region: r.region, openedTs: Number(r.opened_ms),
    ticketId: r.ticket_id, element: r.element, category: r.category, state: r.state, opened: iso(Number(r.opened_ms)),
    acked: isoOrNull(ms(r.acked_ms)), resolved: isoOrNull(ms(r.resolved_ms)), closed: isoOrNull(ms(r.closed_ms)),
  }));
}

const linked = (i: Incident, now: number) => (t: { service: string; region: string; openedTs: number }) =>
  t.service === i.service && t.region === i.region && t.openedTs >= i.start && t.openedTs <= (i.resolved ?? now);

function view(i: Incident, complaintCount: number): IncidentView {
  return { ...i, start: iso(i.start), acknowledged: isoOrNull(i.acknowledged), resolved: isoOrNull(i.resolved), complaintCount };
}

/**
 * Incidents overlapping [from, to) of the service (all when null) and region (all
 * when null), newest first, optionally only open or only resolved ones.
 */
export async function incidents(db: Db, q: IncidentQuery, opts: { now: () => number }): Promise<IncidentView[]> {
  const now = opts.now();
  const alarms = await chainedAlarms(db, q, q.from - INCIDENT_GAP_MS, q.to);
  const found = correlateIncidents(alarms)
    .filter((i) => i.start < q.to && (i.resolved === null || i.resolved > q.from || i.start >= q.from))
    .filter((i) => q.state === null || (q.state === 'open') === (i.resolved === null))
    .sort((a, b) => b.start - a.start || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  if (found.length === 0) return [];
  const tickets = await networkTickets(db, [...new Set(found.map((i) => `${i.service}|${i.region}`))],
    Math.min(...found.map((i) => i.start)), Math.max(...found.map((i) => i.resolved ?? now)));
  return found.map((i) => view(i, tickets.filter(linked(i, now)).length));
}

/** One incident with its alarms, linked complaints and raw events; null when no incident has this id. */
export async function incidentById(db: Db, id: string, opts: { now: () => number }): Promise<IncidentDetail | null> {
  const key = parseIncidentId(id);
  if (key === null) return null;
  const now = opts.now();
  const alarms = await chainedAlarms(db, key, key.start, key.start + 1);
  const incident = correlateIncidents(alarms).find((i) => i.id === id);
  if (!incident) return null;
  const end = incident.resolved ?? Infinity;
  // Every outage alarm of the scope raised within [start, end] belongs to the incident.
  const own = alarms
    .filter((a) => a.service === key.service && a.region === key.region && a.raisedTs >= incident.start && a.raisedTs <= end)
    .sort((a, b) => a.raisedTs - b.raisedTs || (a.alarmId < b.alarmId ? -1 : 1));
  const tickets = (await networkTickets(db, [`${key.service}|${key.region}`], incident.start, incident.resolved ?? now)).filter(linked(incident, now));
  const events = await rawEvents(db, incident, (incident.resolved ?? now) + EVENT_MARGIN_MS);
  return {
    incident: view(incident, tickets.length),
    alarms: own.map((a) => ({ alarmId: a.alarmId, element: a.element, severity: a.severity, raised: iso(a.raisedTs), acked: isoOrNull(a.ackTs), cleared: isoOrNull(a.clearedTs) })),
    complaints: tickets.map(({ service: _s, region: _r, openedTs: _o, ...t }) => t),
    events,
  };
}

/**
 * Strings one of which a raw event of the incident must contain: its alarm ids and
 * elements as JSON strings. Only for values JSON writes one way (printable ASCII, no
 * quote or backslash); a text holding any backslash is never skipped, since it may
 * spell a value with escapes. Empty (no skipping) when a value is not that plain, or
 * there are too many for one multiSearchAny.
 */
function rawNeedles(i: Incident): string[] {
  const values = [...i.alarmIds, ...i.elements];
  if (values.length > 200 || values.some((v) => !/^[\x20-\x7e]*$/.test(v) || v.includes('"') || v.includes('\\'))) return [];
  return values.map((v) => `"${v}"`);
}

async function rawEvents(db: Db, i: Incident, until: number): Promise<unknown[]> {
  const params: Params = { service: i.service, region: i.region, alarm_ids: i.alarmIds, elements: i.elements, max: MAX_EVENTS, needles: rawNeedles(i) };
  const from = millisParam(params, 'from_ms', i.start - EVENT_MARGIN_MS);
  const to = millisParam(params, 'to_ms', until);
  // Blocks of the scope whose minutes and event times overlap the range, then their
  // lines in the range; only those that may name one of its alarms or elements are
  // parsed as JSON (a day of a busy scope is ~1.7M lines). The rows of events_raw,
  // written before the blocks existed, are read too until their TTL drops them.
  const mayMatch = (col: string) => `(empty({needles:Array(String)}) OR multiSearchAny(${col}, {needles:Array(String)}) OR position(${col}, '\\\\') > 0)`;
  const blocks = rawLinesSql(db.t('events_raw_blocks'), `service = {service:String} AND region = {region:String}
       AND minute >= toStartOfMinute(${from}) AND minute <= ${to} AND last_ts >= ${from} AND first_ts <= ${to} AND ${mayMatch('body')}`);
  const rows = await queryRows<{ payload: string }>(db,
    `SELECT payload FROM (
       SELECT ts_ms, payload, JSONExtractString(payload, 'id') AS id, JSONExtractString(payload, 'type') AS type,
         JSONExtractString(payload, 'alarmId') AS ref_id, JSONExtractString(payload, 'element') AS element
       FROM (${blocks})
       WHERE ts_ms >= {from_ms:Int64} AND ts_ms <= {to_ms:Int64} AND ${mayMatch('payload')}
       UNION ALL
       SELECT toUnixTimestamp64Milli(ts), payload, id, type, ref_id, element FROM ${db.t('events_raw')} FINAL
       WHERE service = {service:String} AND region = {region:String} AND ts >= ${from} AND ts <= ${to}
     )
     WHERE (type = 'alarm' AND ref_id != '' AND has({alarm_ids:Array(String)}, ref_id)) OR (element != '' AND has({elements:Array(String)}, element))
     ORDER BY ts_ms, id
     LIMIT 1 BY id, ts_ms
     LIMIT {max:UInt32}`,
    params);
  return rows.map((r) => JSON.parse(r.payload) as unknown);
}
