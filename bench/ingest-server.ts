// The ingest server of `npm run bench -- load-ingest`, in a process of its own so
// that its RSS is its own: createApp + the events route + the real Kafka
// producer, as ingest/main.ts composes them. Configured from the environment
// like ingest/main.ts; tells its parent the port over IPC and answers `memory`
// requests with its RSS (after a full GC, so garbage does not pass for growth).
import { loadConfig } from '../infra/config.js';
import { createApp } from '../infra/http/create-app.js';
import { createKafka, ensureTopics } from '../infra/kafka/client.js';
import { eventsRoute } from '../ingest/events-route.js';
import { createKafkaEventProducer } from '../ingest/kafka-producer.js';

export type IngestServerMessage = { type: 'listening'; port: number } | { type: 'memory'; rss: number; heapUsed: number };

const send = (m: IngestServerMessage) => process.send?.(m);
const config = loadConfig();
if (!config.kafka.brokers) throw new Error('KAFKA_BROKERS: required (the bench passes its broker)');
const kafka = createKafka({ brokers: config.kafka.brokers, clientId: 'sqa-bench-ingest', retries: 3 });
await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
const { app } = createApp({ config, logger: { level: 'warn' } });
const producer = createKafkaEventProducer(kafka, config.kafka.topics);
await producer.connect();
await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
await app.listen({ port: 0, host: '127.0.0.1' });

process.on('message', (m: { type?: string }) => {
  if (m.type === 'memory') {
    (globalThis as { gc?: () => void }).gc?.();
    const u = process.memoryUsage();
    send({ type: 'memory', rss: u.rss, heapUsed: u.heapUsed });
  } else if (m.type === 'stop') {
    void app.close().then(() => producer.close()).then(() => process.exit(0));
  }
});
send({ type: 'listening', port: (app.server.address() as { port: number }).port });
