// One processor (processor.ts) in a worker thread: its own Kafka consumer, a
// member of the group like a process of its own, with the process's embedded
// engine reached through the main thread (infra/clickhouse/db-bridge.ts).
// processor-threads.ts starts these and speaks the protocol below.
import { writeFileSync } from 'node:fs';
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Registry } from 'prom-client';
import type { Config } from '../infra/config.js';
import { createDb } from '../infra/clickhouse/client.js';
import { connectDb } from '../infra/clickhouse/db-bridge.js';
import { createKafka } from '../infra/kafka/client.js';
import { resolutionTargets } from '../infra/sla-config.js';
import { createProcessor, type Processor, type SnapshotStats } from './processor.js';
import { createProcessorMetrics } from './metrics.js';

export interface ProcessorWorkerData {
  index: number;
  config: Config;
  brokers: string[];
  /** The main thread's engine; null with a ClickHouse server, which this thread opens a client to. */
  dbPort: MessagePort | null;
  /** The main thread's database (its Db may name another than the config's, as the bench's does). */
  database: string;
  /** Fixed resolution target for every service (the bench); otherwise the SLA file of the config. */
  resolutionTargetMs: number | null;
  /** Post each snapshot's instrumentation (the latency bench). */
  reportSnapshots: boolean;
}

export type ToWorker =
  | { type: 'start' }
  | { type: 'flush'; id: number; snapshot: boolean }
  | { type: 'stop'; id: number }
  | { type: 'metrics'; id: number };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'started' }
  | { type: 'done'; id: number; error?: string; metrics?: unknown }
  | { type: 'flushed'; scopes: string[] }
  | { type: 'snapshot'; stats: SnapshotStats }
  | { type: 'stats'; stats: ReturnType<Processor['stats']> }
  | { type: 'log'; message: string }
  | { type: 'failed'; error: string };

const data = workerData as ProcessorWorkerData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const log = (message: string) => post({ type: 'log', message });

// Named, so that `top -H` and the bench's CPU by thread tell this thread's JS from
// V8's helper threads (all named after the process). Linux only; elsewhere it stays unnamed.
try {
  writeFileSync('/proc/thread-self/comm', `sqa-processor${data.index}`);
} catch (err) {
  if ((err as NodeJS.ErrnoException).code !== 'ENOENT') log(`thread not named: ${(err as Error).message}`);
}

const db = data.dbPort ? connectDb(data.dbPort, data.database) : createDb({ ...data.config.clickhouse, database: data.database });
const registry = new Registry();
const processor = createProcessor({
  kafka: createKafka({ brokers: data.brokers, clientId: `${data.config.kafka.clientId}-processors-${data.index}` }),
  db,
  config: data.config,
  resolutionTargetMs: resolutionTargets(data.config.slaPath, data.resolutionTargetMs ?? undefined),
  metrics: createProcessorMetrics(registry),
  log,
  onFlushed: (scopes) => post({ type: 'flushed', scopes: [...scopes] }),
  ...(data.reportSnapshots ? { onSnapshot: (stats: SnapshotStats) => post({ type: 'snapshot', stats }) } : {}),
});

// The main thread answers stats() synchronously from the latest of these.
const statsTimer = setInterval(() => post({ type: 'stats', stats: processor.stats() }), 50);

async function answer(id: number, work: () => Promise<unknown>): Promise<void> {
  try {
    const metrics = await work();
    post({ type: 'done', id, ...(metrics !== undefined ? { metrics } : {}) });
  } catch (err) {
    post({ type: 'done', id, error: (err as Error).message });
  }
}

port.on('message', (m: ToWorker) => {
  switch (m.type) {
    case 'start':
      processor.start().then(
        () => post({ type: 'started' }),
        (err: unknown) => post({ type: 'failed', error: `start: ${(err as Error).message}` }),
      );
      return;
    case 'flush':
      void answer(m.id, () => processor.flush(m.snapshot));
      return;
    case 'metrics':
      void answer(m.id, () => registry.getMetricsAsJSON());
      return;
    case 'stop':
      void answer(m.id, async () => {
        await processor.stop();
        clearInterval(statsTimer);
        post({ type: 'stats', stats: processor.stats() });
        await db.close();
      });
      return;
  }
});
// Loaded: the main thread starts every thread's processor at once, so that they
// join the group together rather than the first taking every partition for a while.
post({ type: 'ready' });
