// `npm start`: the whole pipeline in one process around one embedded ClickHouse
// engine — local Kafka broker (unless KAFKA_BROKERS), ingest, processors, query
// API, live channel, dashboard and the simulated feed. docker-compose runs the
// same parts as separate processes (bin/ingest.ts, processors/main.ts,
// dashboard/server/main.ts) against a ClickHouse server.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { loadConfig } from '../infra/config.js';
import { createDb, displayUrl } from '../infra/clickhouse/client.js';
import { migrate } from '../infra/clickhouse/migrate.js';
import { createApp } from '../infra/http/create-app.js';
import { createKafka, ensureTopics, resolveBrokers } from '../infra/kafka/client.js';
import { stopBroker } from '../infra/kafka/broker.js';
import { loadSlaConfig } from '../infra/sla-config.js';
import { eventsRoute } from '../ingest/events-route.js';
import { createIngestMetrics } from '../ingest/metrics.js';
import { createKafkaEventProducer } from '../ingest/kafka-producer.js';
import { createAlertService } from '../processors/alerts/alert-service.js';
import { createConfiguredProcessor } from '../processors/configured-processor.js';
import { registerDashboard, createLiveSource } from '../dashboard/server/app.js';
import { runSimulation } from '../ingest/simulator/run-simulation.js';
import { join } from 'node:path';

const config = loadConfig();
const log = (m: string) => console.error(`[sqa] ${m}`);

const brokers = await resolveBrokers(config, log);
const kafka = createKafka({ brokers, clientId: config.kafka.clientId });
await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
log(`Kafka ready at ${brokers.join(',')}`);

const db = createDb(config.clickhouse);
await migrate(db, { rawTtlDays: config.rawTtlDays });
log(config.clickhouse.url ? `ClickHouse server ${displayUrl(config.clickhouse.url)}` : `embedded ClickHouse in ${config.clickhouse.path}`);

const sla = loadSlaConfig(config.slaPath ?? undefined);
const registry = new Registry();
collectDefaultMetrics({ register: registry });

const { app } = createApp({ config });
const producer = createKafkaEventProducer(kafka, config.kafka.topics);
await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes, metrics: createIngestMetrics(registry) });
const liveSource = createLiveSource({ db, registry });
await registerDashboard(app, {
  db, sla, registry, liveSource, tokens: config.tokens,
  checks: [{ name: 'kafka', check: async () => { const a = kafka.admin(); await a.connect(); try { await a.listTopics(); } finally { await a.disconnect(); } } }],
});

const processor = createConfiguredProcessor({ config, brokers, kafka, db, registry, onFlushed: () => liveSource.notify(), log });
await processor.start();
const alertService = createAlertService({ kafka, db, config, sla, registry, log });
alertService.start();

await app.listen({ port: config.port, host: config.host });
const base = `http://localhost:${config.port}`;
log(`dashboard: ${base}/  wall display: ${base}/wall  SLA: ${base}/sla  API: ${base}/api/v1/kpis`);

const abort = new AbortController();
let simulation: Promise<unknown> = Promise.resolve();
if (config.simulate) {
  log(`simulator: ${config.simulateRate} events/s in real time into ${config.kafka.topics.events} (SQA_SIMULATE=0 turns it off)`);
  simulation = runSimulation({
    generator: { seed: Date.now() % 100_000, start: Date.now(), durationMs: Infinity, rate: config.simulateRate, latenessMs: config.latenessMs },
    producer, realtime: true, signal: abort.signal, progressIntervalMs: 10_000,
  }).catch((err: unknown) => log(`simulator stopped: ${(err as Error).message}`));
}

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  abort.abort();
  await simulation;
  await app.close();
  await alertService.stop();
  await processor.stop();
  await producer.close();
  await db.close();
  if (!config.kafka.brokers && process.env.SQA_KEEP_KAFKA !== '1') {
    await stopBroker({ dir: join(config.dataDir, 'kafka'), port: config.kafka.localPort });
    log('local Kafka broker stopped (SQA_KEEP_KAFKA=1 keeps it running for a faster next start)');
  }
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
