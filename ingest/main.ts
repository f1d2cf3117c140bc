// `npm run ingest`: the HTTP ingest endpoint alone (docker-compose service).
import { Registry, collectDefaultMetrics } from 'prom-client';
import { loadConfig } from '../infra/config.js';
import { createApp } from '../infra/http/create-app.js';
import { createKafka, ensureTopics, resolveBrokers } from '../infra/kafka/client.js';
import { eventsRoute } from './events-route.js';
import { createKafkaEventProducer } from './kafka-producer.js';
import { createIngestMetrics } from './metrics.js';

const config = loadConfig();
const brokers = await resolveBrokers(config);
const kafka = createKafka({ brokers, clientId: `${config.kafka.clientId}-ingest`, retries: 3 });
await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
const registry = new Registry();
collectDefaultMetrics({ register: registry });
const { app } = createApp({ config });
const producer = createKafkaEventProducer(kafka, config.kafka.topics);
await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes, metrics: createIngestMetrics(registry) });
app.get('/readyz', async (_req, reply) => {
  try {
    await producer.connect();
    return { status: 'ready' };
  } catch (err) {
    return reply.status(503).send({ error: 'SQA_E_UNAVAILABLE', details: `kafka: ${(err as Error).message}` });
  }
});
app.get('/metrics', { config: { scope: 'read' } }, async (_req, reply) => reply.type(registry.contentType).send(await registry.metrics()));
await app.listen({ port: config.port, host: config.host });

async function shutdown(): Promise<void> {
  await app.close();
  await producer.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown());
process.on('SIGTERM', () => void shutdown());
