// Issue #4, event-to-screen latency: the whole pipeline in this process as
// `npm start` composes it (ingest route, processors, live channel; production
// defaults: 1 s flush, 500 ms live poll, 1 s per-scope update interval), the
// simulator producing 20,000 events/s to Kafka from a child process (producers
// are other machines in production), and a real WebSocket client subscribed to a
// marker service. Each probe event POSTed to a marker scope raises that scope's
// probe count for today by one; its latency runs from just before the POST to the
// first live frame whose count includes it.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Registry } from 'prom-client';
import WebSocket from 'ws';
import { loadConfig } from '../infra/config.js';
import { createKafka, ensureTopics } from '../infra/kafka/client.js';
import { createApp } from '../infra/http/create-app.js';
import { loadSlaConfig } from '../infra/sla-config.js';
import { eventsRoute } from '../ingest/events-route.js';
import { createKafkaEventProducer } from '../ingest/kafka-producer.js';
import type { SnapshotStats } from '../processors/processor.js';
import { createConfiguredProcessor } from '../processors/configured-processor.js';
import { createLiveSource, registerDashboard } from '../dashboard/server/app.js';
import type { LiveScope } from '../events/live.js';
import { freshBenchDb } from './bench-db.js';
import { avoidMidnight } from './clock-guard.js';
import { summarize, type Summary } from './percentiles.js';

export interface LatencyOptions {
  brokers: string[];
  /** Probe events to time (default 1,000). */
  probes?: number;
  /** Probe events per second, all marker scopes together (default 8). */
  probesPerSec?: number;
  /**
   * Marker scopes the probes rotate over (default 4). The live channel sends a scope
   * at most once a second to a client, so one scope could show at most one change
   * a second; four let 1,000 probes finish in about two minutes.
   */
  markerScopes?: number;
  /** Background simulator rate, events/s (default 20,000). */
  backgroundRate?: number;
  /** Untimed seconds of background load before the first probe (default 20). */
  warmupSec?: number;
}

export interface LatencyResult {
  /** POST → first live frame showing the probe, ms. */
  screen: Summary;
  /** POST → 202 (Kafka acknowledged), ms. */
  ingest: Summary;
  lost: number;
  /** Events the processors handled per second while the probes ran. */
  processedPerSec: number;
  /**
   * Event-loop delay of this process while the probes ran, ms: ingest, processors and
   * the live channel share one thread, so a long task delays all three.
   */
  loopDelay: { p50: number; p99: number; max: number };
  backgroundRate: number;
  probesPerSec: number;
  markerScopes: number;
  /** State snapshots taken while the probes ran: bytes written, capture and write time. */
  snapshots: { count: number; bytes: Summary; captureMs: Summary; writeMs: Summary };
}

const log = (m: string) => process.stderr.write(`[bench:latency] ${m}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MARKER_SERVICE = 'bench-marker';

/** `npm run simulate` to Kafka in real time, as a separate process. */
function startSimulator(brokers: string[], prefix: string, rate: number): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', resolve('ingest/simulator/cli.ts'),
    '--target', 'kafka', '--realtime', '--rate', String(rate), '--duration', 'inf', '--seed', '4'], {
    env: { ...process.env, KAFKA_BROKERS: brokers.join(','), SQA_TOPIC_PREFIX: prefix },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  child.stderr!.on('data', (d: Buffer) => {
    for (const line of d.toString('utf8').split('\n')) if (line.trim()) log(`simulator: ${line.trim()}`);
  });
  return child;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000)]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

function connectLive(url: string): Promise<WebSocket> {
  return new Promise((res, rej) => {
    const ws = new WebSocket(url);
    ws.once('open', () => res(ws));
    ws.once('error', rej);
  });
}

export async function benchLatency(o: LatencyOptions): Promise<LatencyResult> {
  const probes = o.probes ?? 1000;
  const probesPerSec = o.probesPerSec ?? 8;
  const markers = o.markerScopes ?? 4;
  const backgroundRate = o.backgroundRate ?? 20_000;
  // Probe counts are today's: a run across midnight would see them restart.
  await avoidMidnight(((o.warmupSec ?? 20) + probes / probesPerSec + 90) * 1000, log);
  const prefix = `benchlat${randomBytes(3).toString('hex')}.`;
  const config = loadConfig({
    KAFKA_BROKERS: o.brokers.join(','), SQA_TOPIC_PREFIX: prefix, SQA_DATA_DIR: resolve('.data', 'bench'),
    SQA_KAFKA_PARTITIONS: '6', SQA_RATE_LIMIT_PER_MIN: '0',
    // The processor's pacing can be varied from the environment, to see what it costs.
    ...(process.env.SQA_FLUSH_MS ? { SQA_FLUSH_MS: process.env.SQA_FLUSH_MS } : {}),
    ...(process.env.SQA_SNAPSHOT_MS ? { SQA_SNAPSHOT_MS: process.env.SQA_SNAPSHOT_MS } : {}),
    SQA_PROCESSOR_THREADS: process.env.SQA_PROCESSOR_THREADS,
  });
  log(`processor flush every ${config.flushIntervalMs} ms, snapshot every ${config.snapshotIntervalMs} ms, ${config.processorThreads} processor thread(s)`);
  const kafka = createKafka({ brokers: o.brokers, clientId: 'sqa-bench-latency' });
  await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
  const db = await freshBenchDb('bench_latency');

  // As bin/start.ts composes it, without the web app and the built-in simulator.
  const sla = loadSlaConfig();
  const registry = new Registry();
  const { app } = createApp({ config, logger: false });
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
  const liveSource = createLiveSource({ db, registry });
  await registerDashboard(app, { db, sla, registry, liveSource, tokens: null, webRoot: null });
  const snapStats: SnapshotStats[] = [];
  let timing = false;
  const processor = createConfiguredProcessor({
    config, brokers: o.brokers, kafka, db, registry, onFlushed: () => liveSource.notify(),
    log: (m) => log(`processor: ${m}`), onSnapshot: (st) => { if (timing) snapStats.push(st); },
  });
  await processor.start();
  const base = await app.listen({ port: 0, host: '127.0.0.1' });
  const simulator = startSimulator(o.brokers, prefix, backgroundRate);

  // Probe i goes to marker scope i % markers as that scope's (⌊i / markers⌋ + 1)-th
  // probe; a frame showing count c for the scope therefore shows every probe of it
  // with ordinal ≤ c.
  const posted = new Float64Array(probes).fill(NaN);
  const acked = new Float64Array(probes).fill(NaN);
  const seen = new Float64Array(probes).fill(NaN);
  const shown = new Array<number>(markers).fill(0);
  const ws = await connectLive(`${base.replace('http', 'ws')}/api/v1/live`);
  ws.send(JSON.stringify({ type: 'subscribe', filter: { service: MARKER_SERVICE } }));
  ws.on('message', (data) => {
    const at = performance.now();
    const m = JSON.parse(String(data)) as { type: string; scopes?: LiveScope[] };
    if (m.type !== 'update' && m.type !== 'snapshot') return;
    for (const s of m.scopes ?? []) {
      const r = Number(s.region.slice(1));
      const count = s.kpis.probes.total;
      for (let n = shown[r]! + 1; n <= count; n++) {
        const i = (n - 1) * markers + r;
        if (i < probes && Number.isNaN(seen[i]!)) seen[i] = at;
      }
      shown[r] = Math.max(shown[r]!, count);
    }
  });

  const progress = setInterval(() => {
    const s = processor.stats();
    const done = seen.filter((x) => !Number.isNaN(x)).length;
    log(`processor handled ${s.handled} events, ${s.pendingRaw} waiting for ClickHouse; probes shown ${done}/${probes}`);
  }, 5000);
  try {
    const warmup = o.warmupSec ?? 20;
    log(`background load ${backgroundRate} events/s; warming up for ${warmup} s`);
    await sleep(warmup * 1000);
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    timing = true;
    const handled0 = processor.stats().handled;
    const t0 = performance.now();
    const run = randomBytes(3).toString('hex');
    const posts: Promise<void>[] = [];
    for (let i = 0; i < probes; i++) {
      const due = t0 + (i * 1000) / probesPerSec;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const event = { id: `lat-${run}-${i}`, type: 'probe', ts: Date.now(), service: MARKER_SERVICE, region: `m${i % markers}`, ok: true, latencyMs: 20 };
      posted[i] = performance.now();
      posts.push(fetch(`${base}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify([event]) })
        .then(async (res) => {
          acked[i] = performance.now();
          if (res.status !== 202) throw new Error(`probe ${i}: ingest answered ${res.status}: ${await res.text()}`);
          await res.arrayBuffer().catch(() => undefined);
        }));
    }
    await Promise.all(posts);
    const processedPerSec = ((processor.stats().handled - handled0) * 1000) / (performance.now() - t0);
    loop.disable();
    timing = false;
    const loopDelay = { p50: loop.percentile(50) / 1e6, p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 };
    // Whatever is not on screen 30 s after the last POST counts as lost.
    const deadline = performance.now() + 30_000;
    while (seen.some((x) => Number.isNaN(x)) && performance.now() < deadline) await sleep(100);
    const latencies: number[] = [];
    let lost = 0;
    for (let i = 0; i < probes; i++) {
      if (Number.isNaN(seen[i]!)) lost++;
      else latencies.push(seen[i]! - posted[i]!);
    }
    return {
      screen: summarize(latencies), ingest: summarize(Array.from(acked, (a, i) => a - posted[i]!)), lost,
      processedPerSec, loopDelay, backgroundRate, probesPerSec, markerScopes: markers,
      snapshots: {
        count: snapStats.length, bytes: summarize(snapStats.map((x) => x.bytes)),
        captureMs: summarize(snapStats.map((x) => x.captureMs)), writeMs: summarize(snapStats.map((x) => x.writeMs)),
      },
    };
  } finally {
    clearInterval(progress);
    ws.close();
    await stopChild(simulator);
    await app.close();
    await processor.stop();
    await producer.close();
    // The embedded engine stays open (see bench/pipeline.ts: chdb's close() never settles).
  }
}
