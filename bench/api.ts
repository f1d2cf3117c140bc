// Issue #4, API: GET /api/v1/kpis and /api/v1/series over 30 days of 1,000
// scopes (10 services × 100 regions), through the real fastify app on a loopback
// socket with the embedded ClickHouse engine. Requests go one at a time, so each
// time is one request's own latency; services, regions and series metrics rotate
// so no answer is served twice in a row.
import { Registry } from 'prom-client';
import { createApp } from '../infra/http/create-app.js';
import { loadSlaConfig } from '../infra/sla-config.js';
import { registerDashboard, createLiveSource } from '../dashboard/server/app.js';
import { SERIES_METRICS } from '../dashboard/server/queries/series.js';
import { iso } from '../dashboard/server/queries/period.js';
import { Rng } from '../ingest/simulator/prng.js';
import { API_REGIONS, API_SERVICES, fillApiData } from './api-data.js';
import { freshBenchDb } from './bench-db.js';
import { summarize, type Summary } from './percentiles.js';

export interface ApiOptions {
  /** Timed requests per case (default 50; six cases). */
  requestsPerCase?: number;
}

export interface ApiResult {
  scopes: number;
  rows: { day: number; hour: number; minute: number; alarms: number };
  fillSeconds: number;
  cases: { name: string; summary: Summary }[];
  all: Summary;
}

const log = (m: string) => process.stderr.write(`[bench:api] ${m}\n`);

interface Case {
  name: string;
  path: (rng: Rng, i: number) => string;
}

export async function benchApi(o: ApiOptions = {}): Promise<ApiResult> {
  const perCase = o.requestsPerCase ?? 50;
  const db = await freshBenchDb('bench_api');
  const t0 = performance.now();
  const data = await fillApiData(db, Date.now(), log);
  const fillSeconds = (performance.now() - t0) / 1000;
  log(`filled in ${fillSeconds.toFixed(0)} s: ${JSON.stringify(data.rows)}`);

  const registry = new Registry();
  const { app } = createApp({ config: { tokens: null, maxBodyBytes: 1 << 20, rateLimitPerMinute: 0 }, logger: false });
  // Composed as in production, so the live source polls in the background as it
  // would next to real API traffic (each new minute it recomputes all 1,000 scopes).
  await registerDashboard(app, { db, sla: loadSlaConfig(), registry, liveSource: createLiveSource({ db, registry }), tokens: null, webRoot: null });
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const period = `from=${encodeURIComponent(iso(data.from))}&to=${encodeURIComponent(iso(data.to))}`;
  const service = (rng: Rng) => rng.pick(API_SERVICES);
  const region = (rng: Rng) => rng.pick(API_REGIONS);
  const metric = (i: number) => SERIES_METRICS[i % SERIES_METRICS.length]!;
  const cases: Case[] = [
    { name: 'kpis, service-wide', path: (rng) => `/api/v1/kpis?service=${service(rng)}&${period}` },
    { name: 'kpis, one region', path: (rng) => `/api/v1/kpis?service=${service(rng)}&region=${region(rng)}&${period}` },
    { name: 'series 1h, service-wide', path: (rng, i) => `/api/v1/series?metric=${metric(i)}&service=${service(rng)}&step=1h&${period}` },
    { name: 'series 1h, one region', path: (rng, i) => `/api/v1/series?metric=${metric(i)}&service=${service(rng)}&region=${region(rng)}&step=1h&${period}` },
    { name: 'series 1d, service-wide', path: (rng, i) => `/api/v1/series?metric=${metric(i)}&service=${service(rng)}&step=1d&${period}` },
    { name: 'series 1d, one region', path: (rng, i) => `/api/v1/series?metric=${metric(i)}&service=${service(rng)}&region=${region(rng)}&step=1d&${period}` },
  ];

  async function get(path: string): Promise<{ ms: number; body: unknown }> {
    const start = performance.now();
    const res = await fetch(`${base}${path}`);
    const text = await res.text();
    const ms = performance.now() - start;
    if (res.status !== 200) throw new Error(`GET ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return { ms, body: JSON.parse(text) };
  }

  try {
    // A wrong answer fast is no answer: the service-wide probe count must be what was written.
    const svc = API_SERVICES[0]!;
    const { body } = await get(`/api/v1/kpis?service=${svc}&${period}`);
    const total = (body as { probes: { total: number } }).probes.total;
    if (total !== data.probesByService.get(svc)) throw new Error(`kpis for ${svc}: probes.total ${total}, but ${data.probesByService.get(svc)} were written`);
    log(`check: kpis ${svc} probes.total = ${total}, as written`);

    const rng = new Rng(7);
    for (const c of cases) for (let i = 0; i < 3; i++) await get(c.path(rng, i)); // warm-up, untimed
    const results: { name: string; summary: Summary }[] = [];
    const all: number[] = [];
    for (const c of cases) {
      const times: number[] = [];
      for (let i = 0; i < perCase; i++) times.push((await get(c.path(rng, i))).ms);
      all.push(...times);
      const summary = summarize(times);
      results.push({ name: c.name, summary });
      log(`${c.name}: p50 ${summary.p50.toFixed(0)} ms, p95 ${summary.p95.toFixed(0)} ms`);
    }
    return { scopes: API_SERVICES.length * API_REGIONS.length, rows: data.rows, fillSeconds, cases: results, all: summarize(all) };
  } finally {
    await app.close();
  }
}
