// `npm run alerts`: the alert evaluator as its own process (docker-compose). One
// instance per deployment: it reads every scope's rollups from ClickHouse, so it
// does not need Kafka partitions to split the work.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { serveMetrics } from '../../infra/metrics-server.js';
import { loadConfig } from '../../infra/config.js';
import { createDb } from '../../infra/clickhouse/client.js';
import { migrate } from '../../infra/clickhouse/migrate.js';
import { createKafka, ensureTopics, resolveBrokers } from '../../infra/kafka/client.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { createAlertService } from './alert-service.js';

const config = loadConfig();
const log = (m: string) => console.error(`[alerts ${process.pid}] ${m}`);
const brokers = await resolveBrokers(config, log);
const kafka = createKafka({ brokers, clientId: `${config.kafka.clientId}-alerts` });
await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
const db = createDb(config.clickhouse);
await migrate(db, { rawTtlDays: config.rawTtlDays });
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const service = createAlertService({ kafka, db, config, sla: loadSlaConfig(config.slaPath ?? undefined), registry, log });
service.start();
log(`evaluating every ${config.alerts.evalIntervalMs} ms; ${config.alerts.webhookUrls.length} webhook receiver(s)`);

// Metrics and health on SQA_METRICS_PORT (default: none) for the container's health check.
const server = serveMetrics(registry, Number(process.env.SQA_METRICS_PORT || 0));

let stopping = false;
async function shutdown(sig: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${sig}: stopping`);
  server?.close();
  await service.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
