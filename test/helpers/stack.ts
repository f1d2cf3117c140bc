// The whole pipeline in this process, listening on an ephemeral port, as `npm start`
// composes it: ingest, processors, query API, live channel and the built dashboard.
import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Config } from '../../infra/config.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig, resolutionTargetMs } from '../../infra/sla-config.js';
import { eventsRoute } from '../../ingest/events-route.js';
import { createKafkaEventProducer } from '../../ingest/kafka-producer.js';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { registerDashboard, createLiveSource } from '../../dashboard/server/app.js';
import { testConfig, testKafka } from './kafka.js';
import { testDb } from './db.js';

export interface Stack {
  config: Config;
  kafka: Kafka;
  db: Db;
  app: FastifyInstance;
  processor: Processor;
  url: string;
  ingest(events: unknown[]): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const config = testConfig({ SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '1000', ...env });
  const kafka = await testKafka(config);
  const db = await testDb();
  const sla = loadSlaConfig();
  const registry = new Registry();
  const { app } = createApp({ config, logger: false });
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
  const liveSource = createLiveSource({ db, registry, pollMs: 300 });
  await registerDashboard(app, { db, sla, registry, liveSource, tokens: config.tokens });
  const processor = createProcessor({ kafka, db, config, resolutionTargetMs: (s) => resolutionTargetMs(sla, s), onFlushed: () => liveSource.notify() });
  await processor.start();
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    config, kafka, db, app, processor, url: address,
    async ingest(events) {
      const res = await fetch(`${address}/api/v1/events`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(events) });
      if (res.status !== 202) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as { rejected: unknown[] };
      if (body.rejected.length > 0) throw new Error(`ingest rejected ${JSON.stringify(body.rejected)}`);
    },
    async close() {
      await processor.stop();
      await app.close();
      await producer.close();
    },
  };
}
