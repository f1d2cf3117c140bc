// Issue #6, ingest under load: autocannon on loopback POSTs batches of 500
// simulator events to the ingest server (bench/ingest-server.ts, a child process
// with the real Kafka producer, acks=all). A short closed-loop calibration finds
// the rate the server sustains; the timed run then offers 80 % of it for
// `durationSec`. RSS is the ingest server's, sampled after a forced GC.
//
// Bodies are built before the run from the simulator's events (validated here, so
// the server rejects none); each request stamps its own number into every id, so
// no two requests carry the same id and the dedupe set never flatters the run.
import { fork, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import autocannon from 'autocannon';
import { validateEvent } from '../events/schema.js';
import { simulate } from '../ingest/simulator/generator.js';
import type { IngestServerMessage } from './ingest-server.js';

export interface LoadIngestOptions {
  brokers: string[];
  /** Timed run, seconds (default 60). */
  durationSec?: number;
  /** Events per request (default 500). */
  batch?: number;
  /** Concurrent connections (default 8). */
  connections?: number;
  /** Share of the calibrated rate offered in the timed run (default 0.8). */
  load?: number;
}

export interface LoadIngestResult {
  durationSec: number;
  batch: number;
  connections: number;
  calibration: { connections: number; seconds: number; requestsPerSec: number };
  targetRate: number;
  requestsPerSec: number;
  eventsPerSec: number;
  latency: { p50: number; p99: number; max: number };
  statusCodes: Record<string, number>;
  serverErrors: number;
  errors: number;
  timeouts: number;
  /** MiB. */
  rss: { idle: number; before: number; after: number; settled: number; growthPct: number };
}

const log = (m: string) => process.stderr.write(`[bench:load-ingest] ${m}\n`);
const ID_SLOT = '\u0001';
const POOL = 64;

/** `POOL` JSON bodies of `batch` valid events, split where each id takes the request number. */
function buildBodies(batch: number): string[][] {
  const bodies: string[][] = [];
  let events: unknown[] = [];
  const start = Date.now() - 10 * 60_000;
  for (const e of simulate({ seed: 6, start, durationMs: Infinity, rate: 20_000 })) {
    const v = validateEvent(e.event);
    if (!v.ok) continue;
    events.push({ ...(e.event as Record<string, unknown>), id: `${ID_SLOT}-${v.event.id}` });
    if (events.length < batch) continue;
    bodies.push(JSON.stringify(events).split(ID_SLOT));
    events = [];
    if (bodies.length === POOL) return bodies;
  }
  throw new Error('the simulator ended before the body pool was full');
}

function startServer(brokers: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = fork(resolve('bench/ingest-server.ts'), [], {
    execArgv: ['--expose-gc', '--import', 'tsx'],
    env: {
      ...process.env, KAFKA_BROKERS: brokers.join(','), SQA_TOPIC_PREFIX: `benchload${randomBytes(3).toString('hex')}.`,
      SQA_KAFKA_PARTITIONS: '6', SQA_TOKENS: '',
      // The per-client rate limit (6,000/min) would turn one load generator into 429s;
      // the bench measures the endpoint, not the limiter.
      SQA_RATE_LIMIT_PER_MIN: '0',
    },
  });
  return new Promise((res, rej) => {
    child.once('exit', (code) => rej(new Error(`the ingest server exited with ${code} before listening`)));
    child.on('message', (m: IngestServerMessage) => { if (m.type === 'listening') res({ child, port: m.port }); });
  });
}

function rssMib(child: ChildProcess): Promise<number> {
  return new Promise((res) => {
    const on = (m: IngestServerMessage) => {
      if (m.type !== 'memory') return;
      child.off('message', on);
      res(Math.round(m.rss / 2 ** 20));
    };
    child.on('message', on);
    child.send({ type: 'memory' });
  });
}

function run(opts: autocannon.Options, label: string): Promise<autocannon.Result> {
  return new Promise((res, rej) => {
    const instance = autocannon(opts, (err, result) => (err ? rej(err) : res(result)));
    let last = 0;
    let done = 0;
    instance.on('response', () => { done++; });
    const timer = setInterval(() => {
      log(`${label}: ${done} responses, ${((done - last) / 5).toFixed(1)} requests/s over the last 5 s`);
      last = done;
    }, 5000);
    instance.on('done', () => clearInterval(timer));
  });
}

export async function benchLoadIngest(o: LoadIngestOptions): Promise<LoadIngestResult> {
  const durationSec = o.durationSec ?? 60;
  const batch = o.batch ?? 500;
  const connections = o.connections ?? 8;
  log(`building ${POOL} bodies of ${batch} simulator events`);
  const bodies = buildBodies(batch);
  const { child, port } = await startServer(o.brokers);
  let request = 0;
  const base: autocannon.Options = {
    url: `http://127.0.0.1:${port}/api/v1/events`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    connections,
    timeout: 30,
    requests: [{ setupRequest: (req) => ({ ...req, body: bodies[request % POOL]!.join(`r${(request++).toString(36)}`) }) }],
  };
  try {
    const idle = await rssMib(child);
    const calSec = Math.max(5, Math.min(15, Math.round(durationSec / 4)));
    log(`calibrating: closed loop, ${connections} connections, ${calSec} s`);
    const cal = await run({ ...base, duration: calSec }, 'calibration');
    if (cal.non2xx > 0 || cal.errors > 0) log(`calibration saw ${cal.non2xx} non-2xx answers and ${cal.errors} errors`);
    const calRate = cal.requests.average;
    const targetRate = Math.max(1, calRate * (o.load ?? 0.8));
    const before = await rssMib(child);
    log(`timed run: ${durationSec} s at ${targetRate.toFixed(1)} requests/s (${Math.round(targetRate * batch)} events/s)`);
    const r = await run({ ...base, duration: durationSec, overallRate: targetRate }, 'load');
    const after = await rssMib(child);
    await new Promise((res) => setTimeout(res, 5000));
    const settled = await rssMib(child);
    const statusCodes = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, s]) => [code, s?.count ?? 0]));
    const serverErrors = Object.entries(statusCodes).filter(([code]) => code.startsWith('5')).reduce((a, [, n]) => a + n, 0);
    const ok = statusCodes['202'] ?? 0;
    return {
      durationSec, batch, connections,
      calibration: { connections, seconds: calSec, requestsPerSec: calRate },
      targetRate,
      requestsPerSec: r.requests.average,
      eventsPerSec: (ok * batch) / r.duration,
      latency: { p50: r.latency.p50, p99: r.latency.p99, max: r.latency.max },
      statusCodes, serverErrors, errors: r.errors, timeouts: r.timeouts,
      rss: { idle, before, after, settled, growthPct: ((after - before) / before) * 100 },
    };
  } finally {
    const exited = new Promise<void>((res) => child.once('exit', () => res()));
    child.send({ type: 'stop' });
    await Promise.race([exited, new Promise((res) => setTimeout(res, 10_000))]);
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
