// `npm run dashboard`: query API, live channel and web app alone (docker-compose
// service), against the ClickHouse named by CLICKHOUSE_URL. Changes written by the
// processors in other containers reach the live channel through LiveSource's poll.
import { Registry, collectDefaultMetrics } from 'prom-client';
import { loadConfig } from '../../infra/config.js';
import { createDb } from '../../infra/clickhouse/client.js';
import { migrate } from '../../infra/clickhouse/migrate.js';
import { createApp } from '../../infra/http/create-app.js';
import { createKafka } from '../../infra/kafka/client.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { createLiveSource, registerDashboard } from './app.js';
import { kafkaCheck } from './kafka-check.js';

const config = loadConfig();
const log = (m: string, err?: unknown) => console.error(`[dashboard] ${m}${err ? `: ${(err as Error).message ?? String(err)}` : ''}`);
const db = createDb(config.clickhouse);
await migrate(db, { rawTtlDays: config.rawTtlDays });
const sla = loadSlaConfig(config.slaPath ?? undefined);
const registry = new Registry();
collectDefaultMetrics({ register: registry });

// Readiness includes Kafka only when a cluster is named: this process never starts
// the local broker.
const checks = config.kafka.brokers
  ? [kafkaCheck(createKafka({ brokers: config.kafka.brokers, clientId: `${config.kafka.clientId}-dashboard`, retries: 1 }))]
  : [];

const { app } = createApp({ config });
const liveSource = createLiveSource({ db, registry, log });
await registerDashboard(app, { db, sla, registry, liveSource, tokens: config.tokens, checks });
await app.listen({ port: config.port, host: config.host });
log(`listening on ${config.host}:${config.port}`);

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log(`${signal}: stopping`);
  await app.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
