// The dashboard's HTTP routes through app.inject(): parameter validation (every
// bad parameter is a 400 naming it), defaults, auth, readiness, metrics, security
// headers and the web app's files, on the real embedded ClickHouse engine.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../infra/clickhouse/client.js';
import { parseTokens } from '../../infra/config.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { createLiveSource, registerDashboard } from '../../dashboard/server/app.js';
import { testDb } from '../helpers/db.js';

const NOW = Date.parse('2026-03-01T12:34:56.789Z');
const TOKENS = 'admin-token,reader-token:read,ingest-token:ingest';
const READ = { authorization: 'Bearer reader-token' };

let db: Db;
let app: FastifyInstance;
let failKafka = false;

beforeAll(async () => {
  db = await testDb();
  await db.client.insert({
    table: db.t('rollup_1m'), format: 'JSONEachRow',
    values: [{ service: 'voice', region: 'north', start: Date.parse('2026-03-01T12:00:00Z') / 1000, version: 1, final: 1, probes: 4, probes_ok: 3 }],
  });
  const webRoot = mkdtempSync(join(resolve('.test-data'), 'web-'));
  mkdirSync(join(webRoot, 'assets'));
  writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>sqa</title>');
  writeFileSync(join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
  const registry = new Registry();
  ({ app } = createApp({ config: { tokens: parseTokens(TOKENS), maxBodyBytes: 1 << 20 }, logger: false }));
  await registerDashboard(app, {
    db, sla: loadSlaConfig(), registry, tokens: parseTokens(TOKENS), webRoot, now: () => NOW,
    liveSource: createLiveSource({ db, registry, pollMs: 60_000, clock: () => NOW }),
    checks: [{ name: 'kafka', check: async () => { if (failKafka) throw new Error('broker unreachable'); } }],
  });
  await app.ready();
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

const get = (url: string, headers: Record<string, string> = READ) => app.inject({ method: 'GET', url, headers });

describe('parameter validation', () => {
  const P = 'from=2026-03-01T10:00:00Z&to=2026-03-01T11:00:00Z';
  // [url, the parameter the 400 must name, a phrase of the reason]
  const cases: [string, string, string][] = [
    [`/api/v1/kpis?${P}`, 'service', 'required'],
    [`/api/v1/kpis?service=Voice&${P}`, 'service', 'does not match'],
    [`/api/v1/kpis?service=-voice&${P}`, 'service', 'does not match'],
    [`/api/v1/kpis?service=${'a'.repeat(65)}&${P}`, 'service', 'does not match'],
    [`/api/v1/kpis?service=voice&region=no%20rth&${P}`, 'region', 'does not match'],
    [`/api/v1/kpis?service=voice&service=sms&${P}`, 'service', 'once'],
    [`/api/v1/kpis?service=voice&regoin=north&${P}`, 'regoin', 'unknown parameter'],
    ['/api/v1/kpis?service=voice&from=yesterday', 'from', 'ISO 8601'],
    ['/api/v1/kpis?service=voice&from=2026-03-01T10:00:00', 'from', 'ISO 8601'],
    ['/api/v1/kpis?service=voice&from=2026-02-30T10:00:00Z&to=2026-03-05T00:00:00Z', 'from', 'not a valid date'],
    ['/api/v1/kpis?service=voice&from=2026-03-01T10:00:30Z&to=2026-03-01T11:00:00Z', 'from', 'whole minute'],
    ['/api/v1/kpis?service=voice&from=2026-03-01T10:00:00Z&to=1772362800001', 'to', 'whole minute'],
    ['/api/v1/kpis?service=voice&from=2026-03-01T11:00:00Z&to=2026-03-01T11:00:00Z', 'from', 'before to'],
    ['/api/v1/kpis?service=voice&from=2026-03-01T12:00:00Z&to=2026-03-01T11:00:00Z', 'from', 'before to'],
    ['/api/v1/kpis?service=voice&from=2025-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 'from', 'maximum is 400 days'],
    [`/api/v1/series?service=voice&step=1h&${P}`, 'metric', 'required'],
    [`/api/v1/series?metric=uptime&service=voice&step=1h&${P}`, 'metric', 'not one of'],
    [`/api/v1/series?metric=faults&service=voice&step=2h&${P}`, 'step', 'not one of'],
    // 1m steps over 40 days: 57,600 points > 50,000.
    ['/api/v1/series?metric=faults&service=voice&step=1m&from=2026-01-01T00:00:00Z&to=2026-02-10T00:00:00Z', 'step', 'maximum is 50000'],
    [`/api/v1/sla?${P}`, 'service', 'required'],
    [`/api/v1/sla?service=voice&region=north&${P}`, 'region', 'unknown parameter'],
  ];
  it.each(cases)('%s → 400 naming %s', async (url, param, reason) => {
    const res = await get(url);
    expect(res.statusCode).toBe(400);
    const body = res.json() as { error: string; details: string };
    expect(body.error).toBe('SQA_E_BAD_REQUEST');
    expect(body.details.startsWith(`${param}:`)).toBe(true);
    expect(body.details).toContain(reason);
  });

  it('accepts epoch milliseconds, offsets and dates; region may be left empty', async () => {
    // 10:00Z as epoch ms, and 12:00+02:00 = 10:00Z.
    const a = await get('/api/v1/kpis?service=voice&from=1772359200000&to=2026-03-01T13:00:00%2B02:00&region=');
    expect(a.statusCode).toBe(200);
    expect(a.json()).toMatchObject({ from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T11:00:00.000Z', region: null });
    const d = await get('/api/v1/kpis?service=voice&from=2026-03-01&to=2026-03-02');
    expect(d.json()).toMatchObject({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' });
    // Exactly 400 days is allowed.
    expect((await get('/api/v1/kpis?service=voice&from=2025-01-25&to=2026-03-01')).statusCode).toBe(200);
  });

  it('defaults to the 24 hours ending with the current minute', async () => {
    // Now 12:34:56.789 → to = 12:35 (end of the current minute), from = 12:35 the day before.
    const res = await get('/api/v1/kpis?service=voice&region=north');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ from: '2026-02-28T12:35:00.000Z', to: '2026-03-01T12:35:00.000Z' });
    // Contract section 5 field order and names.
    expect(Object.keys(body)).toEqual(['service', 'region', 'from', 'to', 'availability', 'downtimeSeconds', 'faults', 'mttrSeconds', 'mttaSeconds', 'probes', 'complaints', 'nps', 'csat']);
    // The 12:00 row: 3 of 4 probes ok; no alarms, so availability 1.
    expect(body.probes).toMatchObject({ total: 4, successRate: 0.75 });
    expect(body.availability).toBe(1);
  });

  it('answers a series with widened bounds and an SLA report', async () => {
    const s = await get('/api/v1/series?metric=probe_success&service=voice&region=north&from=2026-03-01T11:30:00Z&to=2026-03-01T12:30:00Z&step=1h');
    expect(s.statusCode).toBe(200);
    expect(s.json()).toEqual({
      metric: 'probe_success', service: 'voice', region: 'north', from: '2026-03-01T11:00:00.000Z', to: '2026-03-01T13:00:00.000Z', step: '1h',
      // No 1h rollup rows were written (only a minute row), so both hours are empty.
      points: [{ t: '2026-03-01T11:00:00.000Z', v: null }, { t: '2026-03-01T12:00:00.000Z', v: null }],
    });
    const m = await get('/api/v1/series?metric=probe_success&service=voice&region=north&from=2026-03-01T12:00:00Z&to=2026-03-01T12:02:00Z&step=1m');
    expect(m.json().points.map((p: { v: number | null }) => p.v)).toEqual([0.75, null]);
    const r = await get('/api/v1/sla?service=voice&from=2026-03-01T12:00:00Z&to=2026-03-01T12:01:00Z');
    expect(r.statusCode).toBe(200);
    // voice's probe-success objective is 0.99 (default); 0.75 misses it.
    expect(r.json().objectives.find((o: { objective: string }) => o.objective === 'probeSuccess')).toEqual({ objective: 'probeSuccess', target: 0.99, actual: 0.75, met: false });
  });
});

describe('auth', () => {
  const url = '/api/v1/kpis?service=voice';
  it('refuses a missing or unknown token and a token without the read scope', async () => {
    expect((await get(url, {})).statusCode).toBe(401);
    expect((await get(url, { authorization: 'Bearer nope' })).statusCode).toBe(401);
    expect((await get(url, { authorization: 'Basic cmVhZGVyLXRva2Vu' })).statusCode).toBe(401);
    const forbidden = await get(url, { authorization: 'Bearer ingest-token' });
    expect(forbidden.statusCode).toBe(403);
    expect(forbidden.json().error).toBe('SQA_E_FORBIDDEN');
  });

  it('lets read-only and admin tokens read every query endpoint and /metrics', async () => {
    for (const token of ['reader-token', 'admin-token']) {
      for (const u of [url, '/api/v1/series?metric=faults&service=voice', '/api/v1/sla?service=voice', '/metrics']) {
        expect((await get(u, { authorization: `Bearer ${token}` })).statusCode, `${token} ${u}`).toBe(200);
      }
    }
    expect((await get('/metrics', {})).statusCode).toBe(401);
  });

  it('keeps /healthz and /readyz public', async () => {
    expect((await get('/healthz', {})).statusCode).toBe(200);
    const ready = await get('/readyz', {});
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { clickhouse: 'ok', kafka: 'ok' } });
  });
});

describe('readiness and metrics', () => {
  it('answers 503 naming the dependency that is down', async () => {
    failKafka = true;
    try {
      const res = await get('/readyz', {});
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'SQA_E_UNAVAILABLE', details: 'kafka: broker unreachable', checks: { clickhouse: 'ok' } });
    } finally {
      failKafka = false;
    }
  });

  it('exposes query latency and live-channel metrics in Prometheus text', async () => {
    await get('/api/v1/kpis?service=voice');
    const res = await get('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.body).toMatch(/sqa_query_duration_seconds_count\{query="kpis"\} [1-9]/);
    expect(res.body).toContain('sqa_live_clients');
    expect(res.body).toContain('sqa_live_scope_updates_dropped_total');
  });
});

describe('web app and security headers', () => {
  it('serves index.html for the app routes, with a CSP allowing same-origin code, inline styles and ws:', async () => {
    for (const path of ['/', '/wall', '/sla', '/scope/voice/north']) {
      const res = await get(path, {});
      expect(res.statusCode, path).toBe(200);
      expect(res.body).toContain('<title>sqa</title>');
      expect(res.headers['cache-control']).toBe('no-cache');
    }
    const csp = String((await get('/', {})).headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self' ws: wss:");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect((await get('/api/v1/kpis?service=voice')).headers['x-content-type-options']).toBe('nosniff');
  });

  it('serves built assets with long caching, and 404s for missing files and unknown API paths', async () => {
    const asset = await get('/assets/app-1234.js', {});
    expect(asset.statusCode).toBe(200);
    expect(asset.body).toBe('console.log(1)');
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await get('/assets/missing.js', {})).statusCode).toBe(404);
    expect((await get('/../package.json', {})).statusCode).not.toBe(200);
    expect((await get('/%2e%2e/package.json', {})).statusCode).not.toBe(200);
    const api = await get('/api/v1/nothing-here');
    expect(api.statusCode).toBe(404);
    expect(api.json().error).toBe('SQA_E_NOT_FOUND');
  });
});
