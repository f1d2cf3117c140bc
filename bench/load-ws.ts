// Issue #6, live channel under load: 200 WebSocket clients on loopback for
// `durationSec`, fed by the dashboard server in a child process
// (bench/live-server.ts) whose writer changes every scope each tick. One client
// never reads, not even its snapshot: ws.pause() stops reading its TCP socket,
// so the kernel buffers fill and the server's bufferedAmount grows until
// live-client.ts stops writing to it and, after its grace time, closes it.
//
// A healthy client's update delay: for each frame, the time since the oldest
// change it had not seen yet (tick k's rows were durable at `at`; a scope showing
// k after last showing j brings changes j+1..k, the oldest at tick j+1).
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import WebSocket from 'ws';
import type { LiveScope } from '../events/live.js';
import { avoidMidnight } from './clock-guard.js';
import type { LiveServerMessage } from './live-server.js';
import { summarize, type Summary } from './percentiles.js';

export interface LoadWsOptions {
  durationSec?: number;
  /** Clients, the stalled one included (default 200). */
  clients?: number;
  /** Scopes changed each tick (default 100). */
  scopes?: number;
  tickMs?: number;
}

export interface LoadWsResult {
  clients: number;
  durationSec: number;
  scopes: number;
  tickMs: number;
  frames: number;
  delay: Summary;
  healthyClosed: number;
  stalled: string;
}

const log = (m: string) => process.stderr.write(`[bench:load-ws] ${m}\n`);
const wall = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Observer {
  ws: WebSocket;
  lastSeen: Map<string, number>;
  /** Per frame: receive time and the tick of the oldest change it brought. */
  frames: { at: number; oldest: number }[];
  bytes: number;
  closed: { code: number; at: number } | null;
}

function startServer(scopes: number, tickMs: number): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(resolve('bench/live-server.ts'), [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, SQA_BENCH_WS_SCOPES: String(scopes), SQA_BENCH_WS_TICK_MS: String(tickMs) },
  });
  return new Promise((res, rej) => {
    child.once('exit', (code) => rej(new Error(`the live server exited with ${code} before listening`)));
    child.on('message', (m: LiveServerMessage) => { if (m.type === 'listening') res({ child, port: m.port }); });
  });
}

function observe(url: string, stall = false): Promise<Observer> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(url);
    const o: Observer = { ws, lastSeen: new Map(), frames: [], bytes: 0, closed: null };
    // Paused before its first byte: the kernel's receive window stays at its initial
    // size instead of growing with a fast reader, as a frozen client's would.
    if (stall) ws.once('open', () => ws.pause());
    ws.on('message', (data: Buffer) => {
      const at = wall();
      o.bytes += data.length;
      const m = JSON.parse(data.toString('utf8')) as { type: string; scopes?: LiveScope[] };
      if (m.type !== 'update' && m.type !== 'snapshot') return;
      let oldest = Infinity;
      for (const s of m.scopes ?? []) {
        const k = s.kpis.probes.total;
        const prev = o.lastSeen.get(s.region);
        if (m.type === 'update' && prev !== undefined && k > prev) oldest = Math.min(oldest, prev + 1);
        o.lastSeen.set(s.region, Math.max(prev ?? 0, k));
      }
      if (oldest !== Infinity) o.frames.push({ at, oldest });
    });
    ws.on('close', (code) => { o.closed = { code, at: wall() }; });
    ws.once('open', () => res(o));
    ws.once('error', rej);
  });
}

export async function benchLoadWs(opt: LoadWsOptions = {}): Promise<LoadWsResult> {
  const durationSec = opt.durationSec ?? 60;
  const n = opt.clients ?? 200;
  const scopes = opt.scopes ?? 100;
  const tickMs = opt.tickMs ?? 500;
  await avoidMidnight(durationSec * 1000 + 120_000, log);
  const { child, port } = await startServer(scopes, tickMs);
  const ticks = new Map<number, number>();
  // Set from IPC callbacks, so held in an object the compiler does not narrow.
  const server = { closed: null as { reason: string; at: number } | null, report: null as Record<string, number> | null, stopped: false };
  child.on('message', (m: LiveServerMessage) => {
    if (m.type === 'tick') ticks.set(m.k, m.at);
    else if (m.type === 'closed') server.closed = { reason: m.reason, at: m.at };
    else if (m.type === 'report') server.report = m.metrics;
  });
  try {
    // Clients connect once every scope has rows, so their snapshots hold them all.
    while (ticks.size < 3) await sleep(100);
    const url = `ws://127.0.0.1:${port}/api/v1/live`;
    const stalled = await observe(url, true);
    const pausedAt = wall();
    const healthy: Observer[] = [];
    for (let i = 1; i < n; i += 20) healthy.push(...await Promise.all(Array.from({ length: Math.min(20, n - i) }, () => observe(url))));
    const clients = [stalled, ...healthy];
    log(`${n} clients connected; client 0 has read nothing since it connected`);
    // Only frames after everyone is connected count: connecting 200 clients is not steady state.
    const from = wall();
    const progress = setInterval(() => {
      const frames = healthy.reduce((a, c) => a + c.frames.length, 0);
      log(`${Math.round((wall() - from) / 1000)} s: ${ticks.size} ticks, ${frames} frames to healthy clients, `
        + `stalled client ${server.closed === null ? 'still open on the server' : `closed by the server (${server.closed.reason})`}`);
    }, 10_000);
    await sleep(durationSec * 1000);
    clearInterval(progress);
    const to = wall();
    const delays: number[] = [];
    let unknownTicks = 0;
    for (const c of healthy) {
      for (const f of c.frames) {
        if (f.at < from || f.at > to) continue;
        const changed = ticks.get(f.oldest);
        if (changed === undefined) unknownTicks++;
        else delays.push(f.at - changed);
      }
    }
    if (unknownTicks > 0) log(`${unknownTicks} frames named a tick the server never reported`);
    // Read what the stalled client was sent, then see how its connection ended.
    stalled.ws.resume();
    const deadline = wall() + 5000;
    while (!stalled.closed && wall() < deadline) await sleep(50);
    const stalledText = [
      server.closed === null
        ? `not closed by the server within ${durationSec} s`
        : `closed by the server (reason ${server.closed.reason}) ${((server.closed.at - pausedAt) / 1000).toFixed(1)} s after it connected and read nothing`,
      `${(stalled.bytes / 2 ** 20).toFixed(1)} MiB reached it once it read again`,
      stalled.closed ? `its close code: ${stalled.closed.code}` : 'no close seen by the client within 5 s of reading again',
    ].join('; ');
    child.send({ type: 'stop' });
    server.stopped = true;
    const reportDeadline = wall() + 10_000;
    while (server.report === null && wall() < reportDeadline) await sleep(50);
    const frames = delays.length;
    for (const c of clients) c.ws.terminate();
    return {
      clients: n, durationSec, scopes, tickMs, frames, delay: summarize(delays),
      healthyClosed: healthy.filter((c) => c.closed !== null && c.closed.at < to).length,
      stalled: `${stalledText}; server metrics ${JSON.stringify(server.report)}`,
    };
  } finally {
    if (!server.stopped && child.connected) child.send({ type: 'stop' });
    if (child.exitCode === null) {
      await Promise.race([new Promise((r) => child.once('exit', r)), sleep(10_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }
}
