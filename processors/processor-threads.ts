// Several processors in one process, one per worker thread, each a member of the
// consumer group as a process of its own would be. One JS thread caps a processor
// at what one core can decode, parse, validate and aggregate; the engine's threads
// and the broker leave a second core partly idle. Threads share the process's one
// embedded engine through the main thread (db-bridge.ts), which is why this is not
// simply several processes: one process owns one chdb data directory.
//
// The whole is a Processor like processor.ts's, so callers choose by configuration
// (SQA_PROCESSOR_THREADS) and nothing else changes. A worker that dies is started
// again after a backoff; as a new group member it restores its partitions' state
// from the store, as a restarted process does.
import { MessageChannel, Worker } from 'node:worker_threads';
import { AggregatorRegistry, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Db } from '../infra/clickhouse/client.js';
import { serveDb } from '../infra/clickhouse/db-bridge.js';
import type { Config } from '../infra/config.js';
import type { Processor, SnapshotStats } from './processor.js';
import type { FromWorker, ProcessorWorkerData, ToWorker } from './processor-worker.js';
import { createProcessorMetrics } from './metrics.js';
import { backoffDelay } from './retry.js';

export interface ProcessorThreadsDeps {
  threads: number;
  config: Config;
  brokers: string[];
  db: Db;
  /** The processors' metrics appear here, summed over the threads. */
  registry?: Registry;
  onFlushed?: (scopes: Set<string>) => void;
  /** Instrumentation: each thread's snapshots, once durable. */
  onSnapshot?: (s: SnapshotStats) => void;
  log?: (msg: string) => void;
  /** A fixed resolution target for every service instead of the SLA file's (the bench). */
  resolutionTargetMs?: number;
}

type Stats = ReturnType<Processor['stats']>;
/** A question to a worker, without the id that pairs it with the answer. */
type Request = ToWorker extends infer M ? (M extends { id: number } ? Omit<M, 'id'> : never) : never;
const NO_STATS: Stats = { partitions: [], scopes: 0, pendingRaw: 0, pendingRows: 0, handled: 0 };

/**
 * The worker's module. Under tsx (how every script here runs) a worker does not
 * inherit the loader, so it registers it before importing the TypeScript file.
 */
function workerSource(): string {
  const url = new URL(`./processor-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;
  if (!url.endsWith('.ts')) return `import(${JSON.stringify(url)})`;
  return `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(url)}); })`;
}

interface Thread {
  index: number;
  worker: Worker | null;
  stats: Stats;
  /** Starts of this thread's worker in a row that did not last (restarts back off by it). */
  starts: number;
  /** Messages handled by this thread's earlier workers (stats() counts over restarts). */
  handledBefore: number;
  /** Settles once its processor started (null) or could not (why); never rejects, so a restart's failure is nobody's unhandled rejection. */
  started: Promise<string | null>;
  /** Resolves when the worker has loaded and waits for 'start'. */
  ready: Promise<void>;
  /** Questions asked and not answered yet; a worker that exits fails them. */
  waiting: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

export interface ProcessorThreads extends Processor {
  /** Each thread's latest stats (50 ms old at most). */
  threadStats(): Stats[];
  /** Ends a thread's worker at once, as a crash would (tests); it is started again like a crashed one. */
  terminateThread(index: number): Promise<void>;
}

export function createProcessorThreads(d: ProcessorThreadsDeps): ProcessorThreads {
  if (!(Number.isInteger(d.threads) && d.threads >= 1)) throw new Error(`processor threads: ${d.threads} is not a whole number ≥ 1`);
  const log = d.log ?? ((m: string) => console.error(`[processors] ${m}`));
  const threads: Thread[] = [];
  let nextId = 0;
  let stopping = false;

  function request(t: Thread, msg: Request): Promise<unknown> {
    const w = t.worker;
    if (!w) return Promise.reject(new Error(`processor thread ${t.index} is not running`));
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      t.waiting.set(id, { resolve, reject });
      w.postMessage({ ...msg, id } as ToWorker);
    });
  }

  /** A worker for `t`; it starts its processor once loaded if `autoStart`, else when start() says so. */
  function spawn(t: Thread, autoStart: boolean): void {
    t.starts++;
    const spawnedAt = Date.now();
    const channel = d.db.connection ? new MessageChannel() : null;
    const stopServing = channel ? serveDb(d.db, channel.port1) : () => {};
    const workerData: ProcessorWorkerData = {
      index: t.index, config: d.config, brokers: d.brokers, dbPort: channel?.port2 ?? null, database: d.db.database, resolutionTargetMs: d.resolutionTargetMs ?? null, reportSnapshots: d.onSnapshot !== undefined,
    };
    const worker = new Worker(workerSource(), { eval: true, workerData, transferList: channel ? [channel.port2] : [] });
    t.worker = worker;
    let settle!: (why: string | null) => void;
    t.started = new Promise<string | null>((res) => { settle = res; });
    let loaded!: () => void;
    t.ready = new Promise<void>((res) => { loaded = res; });
    worker.on('message', (m: FromWorker) => {
      switch (m.type) {
        case 'stats': t.stats = m.stats; return;
        case 'flushed': d.onFlushed?.(new Set(m.scopes)); return;
        case 'snapshot': d.onSnapshot?.(m.stats); return;
        case 'log': log(`[thread ${t.index}] ${m.message}`); return;
        case 'ready':
          loaded();
          if (autoStart) worker.postMessage({ type: 'start' } satisfies ToWorker);
          return;
        case 'started': settle(null); return;
        case 'failed':
          settle(m.error);
          log(`[thread ${t.index}] ${m.error}`);
          // A restarted thread whose processor cannot start (the broker away) would idle
          // for good: it ends and is started again with backoff, like a crashed one.
          if (autoStart) void worker.terminate();
          return;
        case 'done': {
          const w = t.waiting.get(m.id);
          t.waiting.delete(m.id);
          if (m.error !== undefined) w?.reject(new Error(`processor thread ${t.index}: ${m.error}`));
          else w?.resolve(m.metrics);
          return;
        }
      }
    });
    worker.on('error', (err) => log(`[thread ${t.index}] crashed: ${err.stack ?? err.message}`));
    worker.on('exit', (code) => {
      stopServing();
      channel?.port1.close();
      t.worker = null;
      // Its partitions are no longer its own; what it handled still counts.
      t.handledBefore += t.stats.handled;
      t.stats = NO_STATS;
      settle(`exited with code ${code}`);
      loaded();
      for (const w of t.waiting.values()) w.reject(new Error(`processor thread ${t.index} exited with code ${code}`));
      t.waiting.clear();
      if (stopping) return;
      // A worker that ran a while before it died restarts soon; one that dies again and again, ever later.
      if (Date.now() - spawnedAt > 60_000) t.starts = 1;
      const delay = backoffDelay(Math.min(t.starts, 6), 500, 30_000, Math.random);
      log(`[thread ${t.index}] exited (code ${code}); starting it again in ${delay} ms`);
      setTimeout(() => { if (!stopping) spawn(t, true); }, delay);
    });
  }

  if (d.registry) registerForwardedMetrics(d.registry, async () => {
    const running = threads.filter((t) => t.worker !== null);
    return (await Promise.all(running.map((t) => request(t, { type: 'metrics' }).catch(() => [])))) as MetricObjectWithValues<MetricValue<string>>[][];
  });

  const threadStats = () => threads.map((t) => ({ ...t.stats, handled: t.handledBefore + t.stats.handled }));

  return {
    async start() {
      for (let i = 0; i < d.threads; i++) {
        const t: Thread = { index: i, worker: null, stats: NO_STATS, starts: 0, handledBefore: 0, started: Promise.resolve(null), ready: Promise.resolve(), waiting: new Map() };
        threads.push(t);
        spawn(t, false);
      }
      await Promise.all(threads.map((t) => t.ready));
      for (const t of threads) t.worker?.postMessage({ type: 'start' } satisfies ToWorker);
      const failed = (await Promise.all(threads.map((t) => t.started))).map((why, i) => (why === null ? null : `thread ${i}: ${why}`)).filter((x) => x !== null);
      if (failed.length > 0) throw new Error(`processor threads did not start: ${failed.join('; ')}`);
    },
    async stop() {
      stopping = true;
      // Each finishes its batch, flushes, commits and leaves the group.
      await Promise.all(threads.map(async (t) => {
        if (!t.worker) return;
        const w = t.worker;
        await request(t, { type: 'stop' }).catch((err: unknown) => log(`[thread ${t.index}] stop: ${(err as Error).message}`));
        await w.terminate();
      }));
    },
    async flush(snapshot = true) {
      await Promise.all(threads.filter((t) => t.worker !== null).map((t) => request(t, { type: 'flush', snapshot })));
    },
    threadStats,
    async terminateThread(index) {
      await threads[index]?.worker?.terminate();
    },
    stats() {
      const all = threadStats();
      return {
        partitions: all.flatMap((s) => s.partitions).sort((a, b) => a - b),
        scopes: all.reduce((n, s) => n + s.scopes, 0),
        pendingRaw: all.reduce((n, s) => n + s.pendingRaw, 0),
        pendingRows: all.reduce((n, s) => n + s.pendingRows, 0),
        handled: all.reduce((n, s) => n + s.handled, 0),
      };
    },
  };
}

/**
 * The processor metrics in `registry`, each summed over the threads at scrape time
 * (prom-client's aggregator for cluster workers, fed by the worker threads).
 * One round trip to the threads serves every metric of one scrape.
 */
function registerForwardedMetrics(registry: Registry, fetch: () => Promise<MetricObjectWithValues<MetricValue<string>>[][]>): void {
  let cached: { at: number; registry: Promise<Registry> } | null = null;
  const aggregated = () => {
    if (cached === null || Date.now() - cached.at > 200) cached = { at: Date.now(), registry: fetch().then((all) => AggregatorRegistry.aggregate(all)) };
    return cached.registry;
  };
  const template = new Registry();
  createProcessorMetrics(template);
  for (const m of template.getMetricsAsArray()) {
    const name = m.name;
    registry.registerMetric({
      name,
      async get() {
        const found = (await aggregated()).getSingleMetric(name);
        const empty = { name, help: (m as unknown as { help: string }).help, type: (m as unknown as { type: string }).type, values: [], aggregator: 'sum' };
        return found ? await found.get() : empty;
      },
    } as unknown as Parameters<Registry['registerMetric']>[0]);
  }
}
