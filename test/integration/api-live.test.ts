// The live channel on a real server (ephemeral port) with real `ws` clients and
// the embedded ClickHouse engine: snapshot on connect, updates after new rows,
// subscribe filters, malformed input, auth and origin, a client that stops reading,
// and heartbeats.
import type { Alert } from '../../events/alerts.js';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Db } from '../../infra/clickhouse/client.js';
import { parseTokens } from '../../infra/config.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { createLiveSource, registerDashboard, type LiveSource } from '../../dashboard/server/app.js';
import type { LiveClientOptions } from '../../dashboard/server/live/live-client.js';
import type { LiveScope } from '../../dashboard/server/live/protocol.js';
import { connectWs, type WsClient } from '../helpers/ws-client.js';
import { testDb } from '../helpers/db.js';

const TOKENS = 'reader-token:read,ingest-token:ingest';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Msg {
  type: string;
  at?: string;
  scopes?: LiveScope[];
  error?: string;
  details?: string;
  alert?: Record<string, unknown>;
}

type Client = WsClient<Msg>;
const connect = (url: string, options: WebSocket.ClientOptions = {}): Promise<Client> => connectWs<Msg>(url, options);

const scope = (m: Msg, service: string, region: string) => m.scopes?.find((s) => s.service === service && s.region === region);

let db: Db;
/**
 * The one minute this file writes figures for, fixed when it starts. Were each write
 * stamped with the minute it happens in, a test running across a minute boundary
 * would leave the scope an older row in the previous minute, and today's total
 * would be the sum of both rounds rather than the newest (CI saw this once).
 */
let testMinute = 0;
let versions = 0;

/**
 * Writes one scope's figures for the test's minute as the processor would: the
 * minute row and the hour and day rows that contain it (this test has one minute of
 * data per scope, so all three hold the same counters). A higher version each time.
 */
async function putNow(rows: { service: string; region: string; probes: number; probes_ok: number; final?: number }[]): Promise<void> {
  const m = testMinute;
  const version = ++versions;
  for (const [res, unit] of [['1m', 60_000], ['1h', 3_600_000], ['1d', 86_400_000]] as const) {
    await db.client.insert({
      table: db.t(`rollup_${res}`), format: 'JSONEachRow',
      values: rows.map((r) => ({ ...r, final: r.final ?? 0, start: Math.floor(m / unit) * unit / 1000, version })),
    });
  }
}

interface Server {
  app: FastifyInstance;
  source: LiveSource;
  registry: Registry;
  url: string;
}

async function startServer(live: Partial<LiveClientOptions>, sourceOptions: { outageRepushMs?: number } = {}): Promise<Server> {
  const registry = new Registry();
  const source = createLiveSource({ db, registry, pollMs: 100, ...sourceOptions });
  const { app } = createApp({ config: { tokens: parseTokens(TOKENS), maxBodyBytes: 1 << 20 }, logger: false });
  await registerDashboard(app, { db, sla: loadSlaConfig(), registry, liveSource: source, tokens: parseTokens(TOKENS), webRoot: null, live });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  return { app, source, registry, url: `ws://127.0.0.1:${port}/api/v1/live` };
}

const metricValue = async (registry: Registry, name: string, labels: Record<string, string>): Promise<number> => {
  const m = (await registry.getSingleMetric(name)?.get())?.values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l));
  return m?.value ?? 0;
};

let server: Server;

beforeAll(async () => {
  // Live figures cover the current UTC day: keep the test clear of midnight.
  const msToMidnight = 86_400_000 - (Date.now() % 86_400_000);
  if (msToMidnight < 120_000) await sleep(msToMidnight + 1000);
  testMinute = Math.floor(Date.now() / 60_000) * 60_000;
  db = await testDb();
  await putNow([
    { service: 'voice', region: 'north', probes: 5, probes_ok: 5, final: 1 },
    { service: 'voice', region: 'south', probes: 2, probes_ok: 1, final: 0 },
  ]);
  await db.client.insert({
    table: db.t('alarms'), format: 'JSONEachRow',
    values: [{ service: 'voice', region: 'north', alarm_id: 'A1', element: '', severity: 'critical', service_affecting: 1, outage: 1, raised: testMinute, acked: null, cleared: null, version: 1 }],
  });
  server = await startServer({ minIntervalMs: 100 });
});

afterAll(async () => {
  await server?.app.close();
  await db?.close();
});

describe('live channel', () => {
  it('sends a snapshot of every scope on connect', async () => {
    const c = await connect(`${server.url}?token=reader-token`);
    const snap = await c.next((m) => m.type === 'snapshot');
    const north = scope(snap, 'voice', 'north')!;
    const south = scope(snap, 'voice', 'south')!;
    // north: 5 of 5 probes this minute; one open outage since the start of this minute.
    expect(north.kpis.probes).toMatchObject({ total: 5, successRate: 1 });
    expect(north.lastHour.probes).toMatchObject({ total: 5, successRate: 1 });
    expect(north.activeOutages).toBe(1);
    expect(north.kpis.availability).toBeLessThan(1);
    expect(north.provisional).toBe(false);
    // south: 1 of 2, its minute not final.
    expect(south.kpis.probes).toMatchObject({ total: 2, successRate: 0.5 });
    expect(south.provisional).toBe(true);
    expect(south.activeOutages).toBe(0);
    // Today so far: from 00:00 UTC to the end of the current minute.
    expect(north.kpis.from).toBe(`${new Date().toISOString().slice(0, 10)}T00:00:00.000Z`);
    expect(Date.parse(north.lastHour.to) - Date.parse(north.lastHour.from)).toBe(3_600_000);
    c.ws.close();
  });

  it('pushes the changed scopes after new rows and notify()', async () => {
    const c = await connect(`${server.url}?token=reader-token`);
    await c.next((m) => m.type === 'snapshot');
    const mark = c.messages.length;
    await putNow([{ service: 'voice', region: 'south', probes: 9, probes_ok: 8 }]);
    server.source.notify();
    const update = await c.next((m) => m.type === 'update' && scope(m, 'voice', 'south')?.kpis.probes.total === 9, mark);
    expect(scope(update, 'voice', 'south')!.kpis.probes.successRate).toBeCloseTo(8 / 9, 12);
    expect(update.at).toMatch(/^\d{4}-\d\d-\d\dT/);
    c.ws.close();
  });

  it('notices rows written by another process through its poll alone', async () => {
    const c = await connect(`${server.url}?token=reader-token`);
    await c.next((m) => m.type === 'snapshot');
    const mark = c.messages.length;
    await putNow([{ service: 'sms', region: 'east', probes: 3, probes_ok: 3 }]);
    // No notify(): the 100 ms poll must find the new scope by its updated_at.
    const update = await c.next((m) => m.type === 'update' && scope(m, 'sms', 'east') !== undefined, mark);
    expect(scope(update, 'sms', 'east')!.kpis.probes.total).toBe(3);
    c.ws.close();
  });

  it('filters by subscribe: a snapshot of the subset, then only its updates', async () => {
    const c = await connect(`${server.url}?token=reader-token`);
    await c.next((m) => m.type === 'snapshot');
    const mark = c.messages.length;
    c.send({ type: 'subscribe', filter: { service: 'voice', region: 'south' } });
    const snap = await c.next((m) => m.type === 'snapshot', mark);
    expect(snap.scopes!.map((s) => `${s.service}|${s.region}`)).toEqual(['voice|south']);
    const after = c.messages.length;
    await putNow([{ service: 'voice', region: 'north', probes: 20, probes_ok: 20 }, { service: 'voice', region: 'south', probes: 30, probes_ok: 30 }]);
    server.source.notify();
    await c.next((m) => m.type === 'update' && scope(m, 'voice', 'south')?.kpis.probes.total === 30, after);
    // north changed too (20 probes) but is outside the filter.
    await sleep(500);
    const seen = c.messages.slice(after).flatMap((m) => m.scopes ?? []).map((s) => `${s.service}|${s.region}`);
    expect(new Set(seen)).toEqual(new Set(['voice|south']));
    // A service-wide filter brings north back.
    c.send({ type: 'subscribe', filter: { service: 'voice' } });
    const wide = await c.next((m) => m.type === 'snapshot', after);
    expect(wide.scopes!.map((s) => s.region)).toEqual(['north', 'south']);
    expect(scope(wide, 'voice', 'north')!.kpis.probes.total).toBe(20);
    c.ws.close();
  });

  it('answers malformed messages with an error frame and keeps the connection', async () => {
    const c = await connect(`${server.url}?token=reader-token`);
    await c.next((m) => m.type === 'snapshot');
    for (const bad of ['not json', '[1,2]', '{"type":"unsubscribe"}', '{"type":"subscribe","filter":{"service":"Bad!"}}',
      '{"type":"subscribe","filter":{"site":"x"}}', '{"type":"subscribe","filter":"voice"}']) {
      const mark = c.messages.length;
      c.send(bad);
      const err = await c.next((m) => m.type === 'error', mark);
      expect(err.error, bad).toBe('SQA_E_BAD_MESSAGE');
      expect(err.details).toBeTruthy();
    }
    const mark = c.messages.length;
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    expect((await c.next((m) => m.type === 'error', mark)).details).toContain('binary');
    const beforePing = c.messages.length;
    c.send({ type: 'ping' });
    await c.next((m) => m.type === 'pong', beforePing);
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    c.ws.close();
  });

  it('pushes broadcast alerts to the clients whose filter matches them', async () => {
    const all = await connect(`${server.url}?token=reader-token`);
    const sms = await connect(`${server.url}?token=reader-token`);
    await all.next((m) => m.type === 'snapshot');
    await sms.next((m) => m.type === 'snapshot');
    const mark = sms.messages.length;
    sms.send({ type: 'subscribe', filter: { service: 'sms' } });
    await sms.next((m) => m.type === 'snapshot', mark);
    const alert = (fingerprint: string, service: string): Alert => ({
      fingerprint, status: 'firing', startsAt: '2026-01-01T10:00:00.000Z', endsAt: null, summary: `${service} burning`, values: {},
      labels: { alertname: 'SloBurnRate', service, region: 'north', kind: 'burn_rate', subject: 'availability', severity: 'page' },
    });
    const voiceAlert = alert('f-voice', 'voice');
    const smsAlert = alert('f-sms', 'sms');
    server.source.broadcastAlert(voiceAlert);
    server.source.broadcastAlert(smsAlert);
    // Unfiltered: both, in order. Filtered to sms: only the sms one.
    expect((await all.next((m) => m.type === 'alert')).alert).toEqual(voiceAlert);
    expect((await all.next((m) => m.type === 'alert' && m.alert?.fingerprint === 'f-sms')).alert).toEqual(smsAlert);
    expect((await sms.next((m) => m.type === 'alert')).alert).toEqual(smsAlert);
    await sleep(300);
    expect(sms.messages.filter((m) => m.type === 'alert')).toHaveLength(1);
    all.ws.close();
    sms.ws.close();
  });

  it('needs the read scope, from the header or ?token=, and a same-host Origin', async () => {
    await expect(connect(server.url)).rejects.toThrow('HTTP 401');
    await expect(connect(`${server.url}?token=wrong`)).rejects.toThrow('HTTP 401');
    await expect(connect(`${server.url}?token=ingest-token`)).rejects.toThrow('HTTP 403');
    const viaHeader = await connect(server.url, { headers: { authorization: 'Bearer reader-token' } });
    await viaHeader.next((m) => m.type === 'snapshot');
    viaHeader.ws.close();
    const host = new URL(server.url).host;
    await expect(connect(`${server.url}?token=reader-token`, { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const sameHost = await connect(`${server.url}?token=reader-token`, { origin: `http://${host}` });
    await sameHost.next((m) => m.type === 'snapshot');
    sameHost.ws.close();
  });
});

describe('a client that stops reading', () => {
  it('is disconnected while another client keeps receiving', async () => {
    const slowServer = await startServer({ minIntervalMs: 100, maxBufferedBytes: 64 * 1024, slowGraceMs: 1000 });
    try {
      // 300 scopes changing every ~150 ms: each update frame carries ~300 KB, so a reader
      // that never reads fills the kernel buffers (a few MB) and then the send buffer.
      const regions = Array.from({ length: 300 }, (_, i) => `r${String(i).padStart(3, '0')}`);
      let round = 1;
      const churn = () => putNow(regions.map((region) => ({ service: 'load', region, probes: round, probes_ok: round })));
      await churn();
      slowServer.source.notify();
      const slow = await connect(`${slowServer.url}?token=reader-token`);
      const fast = await connect(`${slowServer.url}?token=reader-token`);
      await slow.next((m) => m.type === 'snapshot');
      await fast.next((m) => m.type === 'snapshot');
      (slow.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();

      const registry = slowServer.registry;
      const disconnected = () => metricValue(registry, 'sqa_live_disconnects_total', { reason: 'slow_consumer' });
      const deadline = Date.now() + 45_000;
      while ((await disconnected()) === 0 && Date.now() < deadline) {
        round++;
        await churn();
        slowServer.source.notify();
        await sleep(150);
      }
      expect(await disconnected()).toBe(1);
      // The fast client is still served: more rounds arrive after the slow one was dropped.
      const mark = fast.messages.length;
      const target = ++round;
      await churn();
      slowServer.source.notify();
      await fast.next((m) => m.type === 'update' && scope(m, 'load', 'r299')?.kpis.probes.total === target, mark);
      expect(fast.ws.readyState).toBe(WebSocket.OPEN);
      expect(fast.closed).toBeNull();
      // Once it reads again, the slow client finds its connection closed.
      (slow.ws as unknown as { _socket: { resume(): void } })._socket.resume();
      const closed = await slow.waitClosed(20_000);
      expect([4008, 1006]).toContain(closed.code);
      expect(await metricValue(registry, 'sqa_live_clients', {})).toBe(1);
      fast.ws.close();
    } finally {
      await slowServer.app.close();
    }
  }, 90_000);
});

describe('open outages', () => {
  it('re-pushes a scope with an open outage although nothing was written', async () => {
    const rp = await startServer({ minIntervalMs: 50 }, { outageRepushMs: 300 });
    try {
      const c = await connect(`${rp.url}?token=reader-token`);
      await c.next((m) => m.type === 'snapshot');
      // Past the source's 2 s look-back, rows written earlier no longer count as changes.
      await sleep(2500);
      const mark = c.messages.length;
      // voice|north has an open outage (beforeAll); no rows are written here. A minute
      // boundary could explain one update, not several within 1.5 s.
      await sleep(1500);
      const northUpdates = c.messages.slice(mark).filter((m) => m.type === 'update' && scope(m, 'voice', 'north'));
      expect(northUpdates.length).toBeGreaterThanOrEqual(2);
      c.ws.close();
    } finally {
      await rp.app.close();
    }
  });
});

describe('heartbeats', () => {
  it('terminates a client that does not answer pings, and keeps one that does', async () => {
    const hb = await startServer({ heartbeatMs: 200, pongTimeoutMs: 700 });
    try {
      const silent = await connect(`${hb.url}?token=reader-token`, { autoPong: false });
      const alive = await connect(`${hb.url}?token=reader-token`);
      const closed = await silent.waitClosed(5000);
      expect(closed.code).toBe(1006);
      expect(await metricValue(hb.registry, 'sqa_live_disconnects_total', { reason: 'no_pong' })).toBe(1);
      // Well past the pong timeout, the client that answers pings is still connected.
      await sleep(1000);
      expect(alive.closed).toBeNull();
      alive.ws.close();
    } finally {
      await hb.app.close();
    }
  });
});
