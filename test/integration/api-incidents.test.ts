// GET /api/v1/incidents and /api/v1/incidents/:id on the real embedded engine,
// against hand-built alarm, ticket and raw-event rows; expectations worked by hand.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../infra/clickhouse/client.js';
import { testDb } from '../helpers/db.js';
import { queryApp } from '../helpers/query-app.js';
import { insertRaw } from '../../processors/clickhouse-sink.js';
import { rawBody } from '../helpers/raw-events.js';
import type { AlarmState, SqaEvent } from '../../events/types.js';

const at = (hhmm: string, day = '2026-03-01') => Date.parse(`${day}T${hhmm}Z`.replace(/T(\d\d:\d\d)Z$/, 'T$1:00Z'));
const isoAt = (hhmm: string) => new Date(at(hhmm)).toISOString();
const NOW = at('14:00');
const TOKENS = 'reader-token:read';
const READ = { authorization: 'Bearer reader-token' };

let db: Db;
let app: FastifyInstance;

interface AlarmIn {
  service?: string;
  region?: string;
  id: string;
  element?: string;
  severity?: 'critical' | 'major' | 'minor';
  raised: string;
  acked?: string;
  cleared: string | null;
  version?: number;
  deleted?: boolean;
}

/**
 * One insert per row: rows of one insert are already deduplicated on insert
 * (optimize_on_insert), which would hide a missing FINAL.
 */
async function putAlarms(list: AlarmIn[]): Promise<void> {
  for (const row of list) await putAlarm(row);
}

async function putAlarm(one: AlarmIn): Promise<void> {
  await db.client.insert({
    table: db.t('alarms'), format: 'JSONEachRow',
    values: [one].map((a) => {
      const severity = a.severity ?? 'critical';
      return {
        service: a.service ?? 'voice', region: a.region ?? 'north', alarm_id: a.id, element: a.element ?? '', severity,
        service_affecting: 1, outage: severity === 'minor' ? 0 : 1, raised: at(a.raised), acked: a.acked ? at(a.acked) : null,
        cleared: a.cleared === null ? null : at(a.cleared), version: a.version ?? 1, is_deleted: a.deleted ? 1 : 0,
      };
    }),
  });
}

async function putTickets(list: { region?: string; id: string; category: string; state?: string; opened: string; acked?: string; version?: number }[]): Promise<void> {
  for (const row of list) {
    await db.client.insert({
      table: db.t('tickets'), format: 'JSONEachRow',
      values: [row].map((t) => ({
        service: 'voice', region: t.region ?? 'north', ticket_id: t.id, element: '', category: t.category, state: t.state ?? 'opened',
        opened: at(t.opened), acked: t.acked ? at(t.acked) : null, resolved: null, closed: null, reopen_count: 0, version: t.version ?? 1,
      })),
    });
  }
}

/**
 * Raw alarm or probe events of voice, as the sink stores them (blocks), or as rows of
 * the events_raw table that processors wrote before the blocks existed.
 */
async function putEvents(list: { id: string; ts: string; region?: string; alarmId?: string; state?: string; element?: string }[], table: 'blocks' | 'legacy rows' = 'blocks'): Promise<void> {
  const events = list.map((e): SqaEvent => {
    const base = { id: e.id, ts: at(e.ts), service: 'voice', region: e.region ?? 'north', ...(e.element ? { element: e.element } : {}) };
    return e.alarmId
      ? { ...base, type: 'alarm', alarmId: e.alarmId, state: e.state as AlarmState, severity: 'critical', serviceAffecting: true }
      : { ...base, type: 'probe', ok: false };
  });
  if (table === 'blocks') return insertRaw(db, [rawBody(events.map((event) => ({ event, text: JSON.stringify(event) })))]);
  await db.client.insert({
    table: db.t('events_raw'), format: 'JSONEachRow',
    values: events.map((e) => ({
      ts: e.ts, service: e.service, region: e.region, type: e.type, id: e.id, element: e.element ?? '',
      ref_id: e.type === 'alarm' ? e.alarmId : '', state: e.type === 'alarm' ? e.state : 'failed', payload: JSON.stringify(e),
    })),
  });
}

beforeAll(async () => {
  db = await testDb();
  // Background merges would fold the versions written below and hide a missing FINAL.
  for (const t of ['alarms', 'tickets', 'events_raw', 'events_raw_blocks']) await db.client.command({ query: `SYSTEM STOP MERGES ${db.t(t)}` });
  await putAlarms([
    // voice|north incident 1: A 10:00–10:20 ∪ B 10:10–10:30, then D raised 10:35 = 10:30 + 5 min (just inside) → 10:00–10:40.
    { id: 'A', element: 'rtr-1', raised: '10:00', acked: '10:04', cleared: '10:20' },
    // B: version 1 still open, version 2 cleared 10:30; FINAL must read version 2 (else the incident stays open).
    { id: 'B', element: 'rtr-2', severity: 'major', raised: '10:10', cleared: null, version: 1 },
    { id: 'B', element: 'rtr-2', severity: 'major', raised: '10:10', acked: '10:12', cleared: '10:30', version: 2 },
    { id: 'D', element: 'rtr-2', severity: 'major', raised: '10:35', cleared: '10:40' },
    // Minor (not an outage) 10:25–11:30: neither joins nor bridges.
    { id: 'C', element: 'sw-9', severity: 'minor', raised: '10:25', cleared: '11:30' },
    // Retracted occurrence at 11:00: no incident.
    { id: 'R', raised: '11:00', cleared: null, version: 1 },
    { id: 'R', raised: '11:00', cleared: null, version: 2, deleted: true },
    // Incident 2, flapping: F 12:00–12:02, F again 12:04–12:06 → 12:00–12:06 (360 s).
    { id: 'F', element: 'olt-1', severity: 'major', raised: '12:00', cleared: '12:02' },
    { id: 'F', element: 'olt-1', severity: 'major', raised: '12:04', cleared: '12:06' },
    // Incident 3: G raised 12:11:01 (5 min 1 s after 12:06, just outside), still open.
    { id: 'G', severity: 'major', raised: '12:11:01', cleared: null },
    // voice|south: S 10:05–10:15.
    { region: 'south', id: 'S', raised: '10:05', cleared: '10:15' },
    // broadband|west: W0 07:00–08:58 and W1 09:02–09:40 (4 min apart) → one incident from 07:00.
    { service: 'broadband', region: 'west', id: 'W0', raised: '07:00', cleared: '08:58' },
    { service: 'broadband', region: 'west', id: 'W1', raised: '09:02', cleared: '09:40' },
  ]);
  await putTickets([
    // T1 (network, 10:15) is in incident 1 (10:00–10:40); version 2 acknowledged it.
    { id: 'T1', category: 'network', opened: '10:15', version: 1 },
    { id: 'T1', category: 'network', state: 'acknowledged', opened: '10:15', acked: '10:18', version: 2 },
    { id: 'T2', category: 'billing', opened: '10:16' },
    { id: 'T3', category: 'network', opened: '10:41' },
    // Open incident 3 runs to now (14:00): T4 at 13:30 counts.
    { id: 'T4', category: 'network', opened: '13:30' },
    { region: 'south', id: 'T5', category: 'network', opened: '10:10' },
  ]);
  await putEvents([
    { id: 'e-early', ts: '09:54', element: 'rtr-2' }, // before 10:00 − 5 min: out
    { id: 'e-pre', ts: '09:56', element: 'rtr-2' },
    { id: 'e-a1', ts: '10:00', alarmId: 'A', state: 'raised', element: 'rtr-1' },
    { id: 'e-a2', ts: '10:04', alarmId: 'A', state: 'acknowledged', element: 'rtr-1' },
    { id: 'e-c1', ts: '10:25', alarmId: 'C', state: 'raised', element: 'sw-9' }, // not its alarm nor element
    { id: 'e-b2', ts: '10:30', alarmId: 'B', state: 'cleared' },
    { id: 'e-d1', ts: '10:35', alarmId: 'D', state: 'raised', element: 'rtr-2' },
    { id: 'e-d2', ts: '10:40', alarmId: 'D', state: 'cleared', element: 'rtr-2' },
    { id: 'e-post', ts: '10:44', element: 'rtr-1' },
    { id: 'e-late', ts: '10:46', element: 'rtr-1' }, // after 10:40 + 5 min: out
    { id: 'e-south', ts: '10:05', region: 'south', alarmId: 'A', state: 'raised', element: 'rtr-1' }, // other scope
  ]);
  // Stored before the blocks existed: still read.
  await putEvents([
    { id: 'e-b1', ts: '10:10', alarmId: 'B', state: 'raised', element: 'rtr-2' },
    { id: 'e-a3', ts: '10:20', alarmId: 'A', state: 'cleared', element: 'rtr-1' },
    { id: 'e-a2', ts: '10:04', alarmId: 'A', state: 'acknowledged', element: 'rtr-1' }, // also in a block
  ], 'legacy rows');
  // A replayed raw event: written twice, returned once.
  await putEvents([{ id: 'e-d1', ts: '10:35', alarmId: 'D', state: 'raised', element: 'rtr-2' }]);
  // Its element spelled with a JSON escape ("rtr\u002d2" is "rtr-2"): found all the same.
  const escaped: SqaEvent = { id: 'e-esc', type: 'probe', ts: at('10:36'), service: 'voice', region: 'north', element: 'rtr-2', ok: false };
  await insertRaw(db, [rawBody([{ event: escaped, text: JSON.stringify(escaped).replace('"rtr-2"', '"rtr\\u002d2"') }])]);

  app = await queryApp(db, NOW, TOKENS);
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string, headers: Record<string, string> = READ) => app.inject({ method: 'GET', url, headers });
const list = async (query: string) => {
  const res = await get(`/api/v1/incidents?${query}`);
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { incidents: { id: string }[] }).incidents;
};
const id = (scope: string, hhmm: string) => `${scope}|${at(hhmm)}`;

const INCIDENT_1 = {
  id: id('voice|north', '10:00'), service: 'voice', region: 'north', elements: ['rtr-1', 'rtr-2'], severity: 'critical',
  // 10:00 → 10:40 = 2400 s; first ack A 10:04 (B's 10:12 is later).
  start: isoAt('10:00'), acknowledged: isoAt('10:04'), resolved: isoAt('10:40'), durationSeconds: 2400, flapping: false,
  alarmIds: ['A', 'B', 'D'], alarmCount: 3,
  // T1 only: T2 is billing, T3 opened after 10:40.
  complaintCount: 1,
};

describe('GET /api/v1/incidents', () => {
  it('lists the incidents of a scope overlapping the period, with hand-worked figures', async () => {
    expect(await list('service=voice&region=north&from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z')).toEqual([INCIDENT_1]);
    // 10:00–10:05 still shows the whole incident (D, raised after the period, chains in).
    expect(await list('service=voice&region=north&from=2026-03-01T10:00:00Z&to=2026-03-01T10:05:00Z')).toEqual([INCIDENT_1]);
    // 10:38–10:39 ends in the middle: the incident still starts at 10:00 (same id).
    expect((await list('service=voice&region=north&from=2026-03-01T10:38:00Z&to=2026-03-01T10:39:00Z')).map((i) => i.id)).toEqual([INCIDENT_1.id]);
    // 10:41–11:59: the minor C and the retracted R make no incident.
    expect(await list('service=voice&region=north&from=2026-03-01T10:41:00Z&to=2026-03-01T11:59:00Z')).toEqual([]);
  });

  it('marks flapping, keeps an open incident open to now, and splits just outside the gap', async () => {
    const got = await list('service=voice&region=north&from=2026-03-01T12:00:00Z&to=2026-03-01T13:00:00Z');
    expect(got).toEqual([
      {
        id: `voice|north|${at('12:11:01')}`, service: 'voice', region: 'north', elements: [], severity: 'major',
        start: '2026-03-01T12:11:01.000Z', acknowledged: null, resolved: null, durationSeconds: null, flapping: false,
        alarmIds: ['G'], alarmCount: 1, complaintCount: 1, // T4 13:30 ≤ now 14:00
      },
      {
        id: id('voice|north', '12:00'), service: 'voice', region: 'north', elements: ['olt-1'], severity: 'major',
        start: isoAt('12:00'), acknowledged: null, resolved: isoAt('12:06'), durationSeconds: 360, flapping: true,
        alarmIds: ['F'], alarmCount: 2, complaintCount: 0,
      },
    ]);
  });

  it('finds the first raise of a chain that starts hours before the period', async () => {
    // W0 07:00–08:58, W1 09:02–09:40 → 07:00–09:40 = 9600 s, though the period starts 09:30.
    expect(await list('service=broadband&from=2026-03-01T09:30:00Z&to=2026-03-01T10:00:00Z')).toEqual([{
      id: id('broadband|west', '07:00'), service: 'broadband', region: 'west', elements: [], severity: 'critical',
      start: isoAt('07:00'), acknowledged: null, resolved: isoAt('09:40'), durationSeconds: 9600, flapping: false,
      alarmIds: ['W0', 'W1'], alarmCount: 2, complaintCount: 0,
    }]);
  });

  it('lists every service newest first by default over the last 24 h, and filters by state and region', async () => {
    const all = [id('voice|north', '12:11:01'), id('voice|north', '12:00'), id('voice|south', '10:05'), id('voice|north', '10:00'), id('broadband|west', '07:00')];
    expect((await list('')).map((i) => i.id)).toEqual(all);
    expect((await list('state=open')).map((i) => i.id)).toEqual([all[0]]);
    expect((await list('state=resolved')).map((i) => i.id)).toEqual(all.slice(1));
    expect((await list('region=north&state=resolved')).map((i) => i.id)).toEqual([all[1], all[3]]);
    // voice|south: S 10:05–10:15 with T5 (10:10).
    expect(await list('service=voice&region=south')).toMatchObject([{ id: all[2], durationSeconds: 600, complaintCount: 1 }]);
    // Before anything happened.
    expect(await list('from=2026-02-28T00:00:00Z&to=2026-02-28T01:00:00Z')).toEqual([]);
  });

  const P = 'from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z';
  const cases: [string, string, string][] = [
    [`state=closed&${P}`, 'state', 'not one of'],
    [`state=open&state=resolved&${P}`, 'state', 'once'],
    [`service=Voice&${P}`, 'service', 'does not match'],
    [`region=no%20rth&${P}`, 'region', 'does not match'],
    [`status=open&${P}`, 'status', 'unknown parameter'],
    ['from=2026-03-01T10:00:30Z&to=2026-03-01T11:00:00Z', 'from', 'whole minute'],
    ['from=2026-03-01T11:00:00Z&to=2026-03-01T10:00:00Z', 'from', 'before to'],
    ['from=yesterday', 'from', 'ISO 8601'],
  ];
  it.each(cases)('?%s → 400 naming %s', async (query, param, reason) => {
    const res = await get(`/api/v1/incidents?${query}`);
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; details: string };
    expect(body.error).toBe('SQA_E_BAD_REQUEST');
    expect(body.details.startsWith(`${param}:`)).toBe(true);
    expect(body.details).toContain(reason);
  });

  it('needs the read scope', async () => {
    expect((await get('/api/v1/incidents', {})).statusCode).toBe(401);
    expect((await get(`/api/v1/incidents/${encodeURIComponent(INCIDENT_1.id)}`, {})).statusCode).toBe(401);
  });
});

describe('GET /api/v1/incidents/:id', () => {
  it('answers the incident with its alarms, linked complaints and raw events', async () => {
    const res = await get(`/api/v1/incidents/${encodeURIComponent(INCIDENT_1.id)}`);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.incident).toEqual(INCIDENT_1);
    expect(body.alarms).toEqual([
      { alarmId: 'A', element: 'rtr-1', severity: 'critical', raised: isoAt('10:00'), acked: isoAt('10:04'), cleared: isoAt('10:20') },
      { alarmId: 'B', element: 'rtr-2', severity: 'major', raised: isoAt('10:10'), acked: isoAt('10:12'), cleared: isoAt('10:30') },
      { alarmId: 'D', element: 'rtr-2', severity: 'major', raised: isoAt('10:35'), acked: null, cleared: isoAt('10:40') },
    ]);
    expect(body.complaints).toEqual([
      { ticketId: 'T1', element: '', category: 'network', state: 'acknowledged', opened: isoAt('10:15'), acked: isoAt('10:18'), resolved: null, closed: null },
    ]);
    // 09:55–10:45, its alarms A, B, D or elements rtr-1, rtr-2; e-d1 and e-a2 once though written twice.
    expect(body.events.map((e: { id: string }) => e.id)).toEqual(['e-pre', 'e-a1', 'e-a2', 'e-b1', 'e-a3', 'e-b2', 'e-d1', 'e-esc', 'e-d2', 'e-post']);
    expect(body.events[1]).toEqual({ id: 'e-a1', type: 'alarm', ts: at('10:00'), service: 'voice', region: 'north', element: 'rtr-1', alarmId: 'A', state: 'raised', severity: 'critical', serviceAffecting: true });
  });

  it('answers an open incident with the complaints up to now', async () => {
    const res = await get(`/api/v1/incidents/${encodeURIComponent(id('voice|north', '12:11:01'))}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ incident: { resolved: null, complaintCount: 1 }, complaints: [{ ticketId: 'T4' }], events: [] });
  });

  it('answers 404 for an unknown incident and 400 for a malformed id', async () => {
    // 10:01 is inside incident 1 but not its start; 10:35 is D's raise, not an incident's start.
    for (const unknown of [id('voice|north', '10:01'), id('voice|north', '10:35'), id('sms|east', '10:00')]) {
      const res = await get(`/api/v1/incidents/${encodeURIComponent(unknown)}`);
      expect(res.statusCode, unknown).toBe(404);
      expect(res.json()).toMatchObject({ error: 'SQA_E_NOT_FOUND' });
      expect(res.json().details).toContain(unknown);
    }
    const bad = await get('/api/v1/incidents/nope');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details.startsWith('id:')).toBe(true);
  });
});
