// Issue #6, a dashboard restart: the dashboard server (query API and live channel)
// is closed while live clients are connected, the figures change while it is down,
// and a new server starts on the same port. The clients are the web app's own live
// channel (dashboard/web/src/lib/live.ts) over the `ws` package's WebSocket, which
// has the browser's API: they reconnect by themselves, re-send their filter, and
// the new server's snapshot carries the current figures, which equal the
// simulator's ground truth. Broker, processor and engine are real.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import type { Kpis } from '../../events/figures.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig, resolutionTargetMs } from '../../infra/sla-config.js';
import { computeGroundTruth } from '../../ingest/simulator/ground-truth.js';
import { createLiveSource, registerDashboard, type LiveSource } from '../../dashboard/server/app.js';
import { livePeriods } from '../../dashboard/server/live/live-queries.js';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { createLive, type LiveChannel, type LiveState } from '../../dashboard/web/src/lib/live.js';
import { testConfig, testKafka } from '../helpers/kafka.js';
import { testDb, waitFor } from '../helpers/db.js';
import { caughtUp } from '../helpers/processor-child.js';
import { expectFiguresMatch, makeScenario, produceScenario } from '../helpers/scenario.js';

const sla = loadSlaConfig();
const MINUTE = 60_000;

/** The state a client holds now (the store calls back synchronously on subscribe). */
function current(c: LiveChannel): LiveState {
  let s: LiveState | null = null;
  c.subscribe((v) => { s = v; })();
  return s!;
}

describe('the dashboard server restarted under connected live clients', () => {
  let db: Db | null = null;
  let processor: Processor | null = null;
  let app: FastifyInstance | null = null;
  const clients: LiveChannel[] = [];
  afterEach(() => vi.unstubAllGlobals());
  afterAll(async () => {
    for (const c of clients) c.stop();
    await app?.close();
    await processor?.stop();
    await db?.close();
  });

  it('clients reconnect by themselves and get a fresh snapshot with the current figures', async () => {
    vi.stubGlobal('WebSocket', WebSocket);
    const config = testConfig({ SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '1000' });
    const kafka = await testKafka(config);
    db = await testDb();
    const sc = makeScenario({ seed: 12, durationMs: 10 * MINUTE, rate: 20 });
    // The live figures are "today so far" at the live source's clock. The scenario
    // sits on a fixed past day, so the clock is fixed 20 minutes after its end: the
    // day period is [00:00, now's minute + 1 min) and open outages run to now.
    const now = sc.to + 20 * MINUTE;
    const { day, hour } = livePeriods(now);
    // Ground truth up to `now`: downtime (open outages clipped to now) and every
    // count are the live ones; availability divides by the live period's length.
    const expected = (events: unknown[]) => {
      const truth = computeGroundTruth(events, { from: day.from, to: now, latenessMs: config.latenessMs, sla });
      const asLive = (k: Kpis, p: { from: number; to: number }): Kpis => ({ ...k, availability: 1 - (k.downtimeSeconds ?? 0) / ((p.to - p.from) / 1000) });
      return new Map(truth.scopes.map((k) => [`${k.service}|${k.region}`, { day: asLive(k, day), hour: asLive(k, hour) }]));
    };

    let source: LiveSource | null = null;
    processor = createProcessor({
      kafka, db, config, resolutionTargetMs: (s) => resolutionTargetMs(sla, s), onFlushed: () => source?.notify(), log: () => {},
    });
    await processor.start();
    const startServer = async (port: number) => {
      source = createLiveSource({ db: db!, pollMs: 200, clock: () => now, log: () => {} });
      const server = createApp({ config, logger: false }).app;
      await registerDashboard(server, { db: db!, sla, registry: new Registry(), liveSource: source, tokens: null, webRoot: null, now: () => now });
      await server.listen({ port, host: '127.0.0.1' });
      return server;
    };

    const half = Math.floor(sc.events.length / 2);
    await produceScenario(kafka, config, sc.events, 0, half);
    await waitFor('the processor to commit the first half', () => caughtUp(kafka, config), 120_000, 500);

    app = await startServer(0);
    const { port } = app.server.address() as { port: number };
    const url = () => `ws://127.0.0.1:${port}/api/v1/live`;
    for (let i = 0; i < 3; i++) {
      const c = createLive({ url });
      clients.push(c);
      c.start();
    }
    // One client watches a single service: its filter must survive the reconnect.
    clients[2]!.setFilter({ service: 'voice' });
    const wanted = (i: number, all: Map<string, { day: Kpis; hour: Kpis }>) =>
      [...all.keys()].filter((k) => i !== 2 || k.startsWith('voice|')).sort();
    const check = (all: Map<string, { day: Kpis; hour: Kpis }>) => {
      clients.forEach((c, i) => {
        const st = current(c);
        expect(st.scopes.map((s) => `${s.service}|${s.region}`).sort(), `client ${i} scopes`).toEqual(wanted(i, all));
        for (const s of st.scopes) {
          const want = all.get(`${s.service}|${s.region}`)!;
          expectFiguresMatch(s.kpis, want.day, expect);
          expectFiguresMatch(s.lastHour, want.hour, expect);
        }
      });
    };
    // Ready when every client shows every probe of its scopes (figures may arrive over several frames).
    const showing = (all: Map<string, { day: Kpis; hour: Kpis }>) => async () => clients.every((c, i) => {
      const st = current(c);
      const keys = st.scopes.map((s) => `${s.service}|${s.region}`).sort();
      return st.status === 'open' && JSON.stringify(keys) === JSON.stringify(wanted(i, all))
        && st.scopes.every((s) => s.kpis.probes.total === all.get(`${s.service}|${s.region}`)!.day.probes.total);
    });

    const before = expected(sc.events.slice(0, half));
    await waitFor('every client to show the first half', showing(before), 60_000, 100);
    check(before);

    // The restart. The server says goodbye (1001); the clients go on retrying with backoff.
    const closedAt = Date.now();
    await app.close();
    app = null;
    await waitFor('every client to see the close', async () => clients.every((c) => current(c).status !== 'open'), 10_000, 50);
    for (const c of clients) expect(current(c).error).toBe('closed (1001 server shutting down)');
    // The figures move on while the dashboard is down.
    await produceScenario(kafka, config, sc.events, half);
    await waitFor('the processor to commit the second half', () => caughtUp(kafka, config), 120_000, 500);
    await waitFor('a refused reconnect on every client', async () => clients.every((c) => current(c).attempts >= 2), 30_000, 100);
    // Down long enough for the wall to flag its figures as stale (STALE_AFTER_MS, 10 s without a frame).
    await waitFor('every client to turn stale', async () => clients.every((c) => current(c).stale), 30_000, 100);
    for (const c of clients) expect(current(c).status).not.toBe('open');
    const downMs = Date.now() - closedAt;

    app = await startServer(port);
    const upAt = Date.now();
    const after = expected(sc.events);
    await waitFor('every client to show the whole scenario', showing(after), 60_000, 100);
    const reconnectMs = Date.now() - upAt;
    check(after);
    // A snapshot (not only updates) came: it is what resets the failed-attempt count.
    for (const c of clients) expect(current(c)).toMatchObject({ status: 'open', attempts: 0, stale: false, error: null });
    // The figures docs/reliability.md quotes.
    console.log(JSON.stringify({ events: sc.events.length, clients: clients.length, downMs, reconnectMs }));
  }, 240_000);
});
