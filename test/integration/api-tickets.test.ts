// GET /api/v1/tickets — the complaint closed loop — on the real embedded engine with
// hand-built ticket rows; deadlines from config/sla.json (defaults: response 4 h,
// resolution 24 h; sms resolves within 48 h). Now is 2026-03-01 14:00 UTC.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TicketView } from '../../events/tickets.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { testDb } from '../helpers/db.js';
import { queryApp } from '../helpers/query-app.js';

const at = (dayHhmm: string) => Date.parse(`2026-${dayHhmm.replace(' ', 'T')}:00Z`);
const NOW = at('03-01 14:00');
const TOKENS = 'reader-token:read';
const READ = { authorization: 'Bearer reader-token' };

let db: Db;
let app: FastifyInstance;

interface TicketIn {
  service?: string;
  region?: string;
  id: string;
  category: string;
  state: string;
  opened: string;
  acked?: string;
  resolved?: string;
  closed?: string;
  reopens?: number;
  version?: number;
  deleted?: boolean;
}

async function put(list: TicketIn[]): Promise<void> {
  // One insert per row, so versions are not folded on insert and FINAL is needed.
  for (const t of list) {
    await db.client.insert({
      table: db.t('tickets'), format: 'JSONEachRow',
      values: [{
        service: t.service ?? 'voice', region: t.region ?? 'north', ticket_id: t.id, element: '', category: t.category, state: t.state,
        opened: at(t.opened), acked: t.acked ? at(t.acked) : null, resolved: t.resolved ? at(t.resolved) : null,
        closed: t.closed ? at(t.closed) : null, reopen_count: t.reopens ?? 0, version: t.version ?? 1, is_deleted: t.deleted ? 1 : 0,
      }],
    });
  }
}

beforeAll(async () => {
  db = await testDb();
  await db.client.command({ query: `SYSTEM STOP MERGES ${db.t('tickets')}` });
  await put([
    // T1: opened 28th 10:00, never acknowledged: response due 14:00 (missed), resolution due 1st 10:00 (missed).
    { id: 'T1', category: 'network', state: 'opened', opened: '02-28 10:00' },
    // T2: acknowledged after 1 h, resolution due 2nd 09:00: on time.
    { id: 'T2', category: 'billing', state: 'acknowledged', opened: '03-01 09:00', acked: '03-01 10:00' },
    // T3: opened 08:00, no ack by 12:00: response missed only.
    { id: 'T3', category: 'service', state: 'opened', opened: '03-01 08:00' },
    // T4 (south): resolved after 32 h (> 24 h) and closed: late resolution, but not open.
    { region: 'south', id: 'T4', category: 'other', state: 'closed', opened: '02-27 12:00', acked: '02-27 13:00', resolved: '02-28 20:00', closed: '02-28 22:00' },
    // T5 (sms): acknowledged in 1 h; sms resolves within 48 h → due 2nd 10:00: on time.
    { service: 'sms', id: 'T5', category: 'network', state: 'acknowledged', opened: '02-28 10:00', acked: '02-28 11:00' },
    // T6: version 2 is reopened after a resolution at 1st 08:00: open again, its
    // resolution (due 1st 09:00) is missed; acked at 10:00 (within 4 h).
    { id: 'T6', category: 'network', state: 'opened', opened: '02-28 09:00', version: 1 },
    { id: 'T6', category: 'network', state: 'reopened', opened: '02-28 09:00', acked: '02-28 10:00', resolved: '03-01 08:00', reopens: 1, version: 2 },
    // T7: retracted (a late earlier `opened` moved it): never listed.
    { id: 'T7', category: 'network', state: 'opened', opened: '02-28 12:00', version: 1 },
    { id: 'T7', category: 'network', state: 'opened', opened: '02-28 12:00', version: 2, deleted: true },
  ]);
  app = await queryApp(db, NOW, TOKENS);
});

afterAll(async () => {
  await app?.close();
});

const get = (query: string) => app.inject({ method: 'GET', url: `/api/v1/tickets${query}`, headers: READ });
async function list(query: string): Promise<{ tickets: TicketView[]; total: number; overdue: Record<string, number> }> {
  const res = await get(query);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
}
const ids = (l: { tickets: TicketView[] }) => l.tickets.map((t) => t.ticketId);

describe('GET /api/v1/tickets', () => {
  it('lists overdue tickets with the targets they missed, newest first', async () => {
    const l = await list('?state=overdue&service=voice');
    expect(ids(l)).toEqual(['T3', 'T1', 'T6']);
    expect(l.tickets.map((t) => t.overdue)).toEqual([['response'], ['response', 'resolution'], ['resolution']]);
    expect(l.overdue).toEqual({ response: 2, resolution: 2 });
    expect(l.tickets[1]).toEqual({
      ticketId: 'T1', service: 'voice', region: 'north', category: 'network', state: 'opened', opened: '2026-02-28T10:00:00.000Z',
      acknowledged: null, resolved: null, closed: null, reopenCount: 0,
      responseDueAt: '2026-02-28T14:00:00.000Z', resolutionDueAt: '2026-03-01T10:00:00.000Z', overdue: ['response', 'resolution'],
    });
    expect(l.tickets[2]).toMatchObject({ state: 'reopened', reopenCount: 1, resolved: '2026-03-01T08:00:00.000Z' });
  });

  it('lists open tickets of every service by default, with their own targets', async () => {
    const l = await list('');
    // Ties on opened (T1, T5 at 28th 10:00) by ticket id.
    expect(ids(l)).toEqual(['T2', 'T3', 'T1', 'T5', 'T6']);
    expect(l.total).toBe(5);
    expect(l.tickets.find((t) => t.ticketId === 'T5')).toMatchObject({ resolutionDueAt: '2026-03-02T10:00:00.000Z', overdue: [] });
    const one = await list('?limit=1');
    expect([ids(one), one.total]).toEqual([['T2'], 5]);
    expect(ids(await list('?category=billing'))).toEqual(['T2']);
    expect(ids(await list('?region=south'))).toEqual([]);
  });

  it('lists closed tickets too with state=all over a period, keeping a late resolution on record', async () => {
    const l = await list('?state=all&service=voice&region=south&from=2026-02-27T00:00Z&to=2026-03-01T14:00Z');
    expect(l.tickets).toMatchObject([{ ticketId: 'T4', state: 'closed', overdue: ['resolution'], closed: '2026-02-28T22:00:00.000Z' }]);
    // Default period of state=all is the last 24 h: T4 was opened before it.
    expect(ids(await list('?state=all&region=south'))).toEqual([]);
  });

  it('refuses bad parameters with a 400 naming them', async () => {
    for (const [query, name] of [
      ['?state=late', 'state'], ['?category=roaming', 'category'], ['?limit=0', 'limit'], ['?limit=abc', 'limit'],
      ['?service=Voice!', 'service'], ['?regoin=north', 'regoin'], ['?state=all&from=2026-03-01T10:00Z&to=2026-03-01T09:00Z', 'from'],
    ] as const) {
      const res = await get(query);
      expect(res.statusCode, query).toBe(400);
      expect((res.json() as { details: string }).details, query).toMatch(new RegExp(`^${name}:`));
    }
    const anon = await app.inject({ method: 'GET', url: '/api/v1/tickets' });
    expect(anon.statusCode).toBe(401);
  });
});
