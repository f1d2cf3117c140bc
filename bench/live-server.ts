// The dashboard server of `npm run bench -- load-ws`, in a process of its own (its
// own embedded ClickHouse engine, so the 200 clients in the parent do not share
// its CPU time slice). As the processors would, a writer stores new full-state
// rollup rows for every scope each tick and notifies the live source; every row
// of tick k says "k probes today", so a client seeing k knows which change it sees.
// Over IPC: `listening`, then `tick` {k, at} after each write is durable and
// `closed` when the server first closes a client (slow consumer, no pong…).
import type { Socket } from 'node:net';
import { resolve } from 'node:path';
import { Registry } from 'prom-client';
import { createApp } from '../infra/http/create-app.js';
import { loadSlaConfig } from '../infra/sla-config.js';
import { createLiveSource, registerDashboard } from '../dashboard/server/app.js';
import { DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../dashboard/server/queries/period.js';
import { freshBenchDb } from './bench-db.js';

export type LiveServerMessage =
  | { type: 'listening'; port: number }
  | { type: 'tick'; k: number; at: number }
  | { type: 'closed'; reason: string; at: number }
  | { type: 'report'; metrics: Record<string, number> };

export const LIVE_SERVICE = 'bench-live';
const send = (m: LiveServerMessage) => process.send?.(m);
const wall = () => performance.timeOrigin + performance.now();
const scopes = Number(process.env.SQA_BENCH_WS_SCOPES || 100);
const tickMs = Number(process.env.SQA_BENCH_WS_TICK_MS || 500);

const db = await freshBenchDb('bench_ws', resolve('.data', 'bench', 'clickhouse-ws'));
const registry = new Registry();
const liveSource = createLiveSource({ db, registry });
const { app } = createApp({ config: { tokens: null, maxBodyBytes: 1 << 20, rateLimitPerMinute: 0 }, logger: false });
await registerDashboard(app, { db, sla: loadSlaConfig(), registry, liveSource, tokens: null, webRoot: null });

const regions = Array.from({ length: scopes }, (_, i) => `r${String(i).padStart(3, '0')}`);
const counts = new Map<string, { start: number; n: number }>();
let k = 0;
let writing = true;

/** Tick k: one more probe in the current minute, hour and day of every scope. */
async function tick(): Promise<void> {
  k++;
  const now = Date.now();
  for (const [res, unit] of [['1m', MINUTE_MS], ['1h', HOUR_MS], ['1d', DAY_MS]] as const) {
    const start = floorTo(now, unit);
    const c = counts.get(res);
    const n = c && c.start === start ? c.n + 1 : 1;
    counts.set(res, { start, n });
    await db.client.insert({
      table: db.t(`rollup_${res}`), format: 'JSONEachRow',
      values: regions.map((region) => ({ service: LIVE_SERVICE, region, start: start / 1000, version: k, final: 0, probes: n, probes_ok: n })),
    });
  }
  send({ type: 'tick', k, at: wall() });
  liveSource.notify();
}

async function writer(): Promise<void> {
  while (writing) {
    const started = Date.now();
    await tick();
    await new Promise((r) => setTimeout(r, Math.max(0, tickMs - (Date.now() - started))));
  }
}

async function firstDisconnect(): Promise<string | null> {
  const m = await registry.getSingleMetric('sqa_live_disconnects_total')?.get();
  const hit = m?.values.find((v) => v.value > 0);
  return hit ? String(hit.labels.reason) : null;
}
let reportedClose = false;
// The most bytes the server process held for one connection (what ws counts in
// bufferedAmount): shows whether the 1 MiB cap of live-client.ts was reached,
// which happens only once the kernel's socket buffers are full.
let peakBuffered = 0;
const sockets = new Set<Socket>();
app.server.on('connection', (s: Socket) => {
  sockets.add(s);
  s.once('close', () => sockets.delete(s));
});
const watch = setInterval(() => {
  for (const s of sockets) peakBuffered = Math.max(peakBuffered, s.writableLength);
  void firstDisconnect().then((reason) => {
    if (reason !== null && !reportedClose) { reportedClose = true; send({ type: 'closed', reason, at: wall() }); }
  });
}, 100);

process.on('message', (m: { type?: string }) => {
  if (m.type !== 'stop') return;
  writing = false;
  clearInterval(watch);
  void (async () => {
    const metrics: Record<string, number> = { peak_buffered_bytes: peakBuffered };
    for (const name of ['sqa_live_disconnects_total', 'sqa_live_scope_updates_dropped_total', 'sqa_live_scope_updates_sent_total', 'sqa_live_clients']) {
      for (const v of (await registry.getSingleMetric(name)?.get())?.values ?? []) {
        const labels = Object.entries(v.labels).map(([l, x]) => `${l}=${x}`).join(',');
        metrics[labels ? `${name}{${labels}}` : name] = v.value;
      }
    }
    send({ type: 'report', metrics });
    await app.close();
    process.exit(0);
  })();
});

await app.listen({ port: 0, host: '127.0.0.1' });
const writing$ = writer();
writing$.catch((err: unknown) => {
  process.stderr.write(`[live-server] writer failed: ${(err as Error).message}\n`);
  process.exit(1);
});
send({ type: 'listening', port: (app.server.address() as { port: number }).port });
