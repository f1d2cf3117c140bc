// `npm run processors`: processors as their own process (docker-compose, or
// several of them in one consumer group to scale out).
import { Registry, collectDefaultMetrics } from 'prom-client';
import { serveMetrics } from '../infra/metrics-server.js';
import { loadConfig } from '../infra/config.js';
import { createDb } from '../infra/clickhouse/client.js';
import { migrate } from '../infra/clickhouse/migrate.js';
import { createKafka, ensureTopics, resolveBrokers } from '../infra/kafka/client.js';
import { createConfiguredProcessor } from './configured-processor.js';

const config = loadConfig();
const log = (m: string) => console.error(`[processors ${process.pid}] ${m}`);
const brokers = await resolveBrokers(config, log);
const kafka = createKafka({ brokers, clientId: `${config.kafka.clientId}-processors` });
await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
const db = createDb(config.clickhouse);
await migrate(db, { rawTtlDays: config.rawTtlDays });
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const processor = createConfiguredProcessor({ config, brokers, kafka, db, registry, log });
await processor.start();
log(`consuming ${config.kafka.topics.events} in group ${config.kafka.consumerGroup}`
  + (config.processorThreads > 0 ? ` with ${config.processorThreads} processor thread(s)` : ' on the main thread'));

// Metrics and health on SQA_METRICS_PORT (default: none) for the container's health check.
const server = serveMetrics(registry, Number(process.env.SQA_METRICS_PORT || 0));

let stopping = false;
async function shutdown(sig: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${sig}: flushing and leaving the group`);
  server?.close();
  await processor.stop();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
