// Throughput of broker → processors → ClickHouse against a bare kafkajs consumer
// that only parses the same messages (issue: the pipeline should sustain at least
// 0.8 of the bare rate). Both read the same pre-produced topic.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../infra/config.js';
import { createDb } from '../infra/clickhouse/client.js';
import { migrate } from '../infra/clickhouse/migrate.js';
import { createKafka, ensureTopics } from '../infra/kafka/client.js';
import { createKafkaEventProducer } from '../ingest/kafka-producer.js';
import { simulate } from '../ingest/simulator/generator.js';
import { validateEvent } from '../events/schema.js';
import type { SqaEvent } from '../events/types.js';
import { createProcessor } from '../processors/processor.js';

export interface PipelineResult {
  events: number;
  bareEventsPerSec: number;
  pipelineEventsPerSec: number;
  ratio: number;
}

const log = (m: string) => process.stderr.write(`[bench:pipeline] ${m}\n`);

async function produce(kafka: Kafka, config: Config, count: number): Promise<number> {
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  const batch: SqaEvent[] = [];
  let sent = 0;
  const start = Date.UTC(2026, 0, 1);
  for (const e of simulate({ seed: 11, start, durationMs: Infinity, rate: 20_000 })) {
    const v = validateEvent(e.event);
    if (!v.ok) continue;
    batch.push(v.event);
    if (batch.length === 5000) {
      await producer.sendEvents(batch.splice(0));
      sent += 5000;
      if (sent % 50_000 === 0) log(`produced ${sent}/${count}`);
    }
    if (sent >= count) break;
  }
  await producer.close();
  return sent;
}

async function bare(kafka: Kafka, topic: string, count: number): Promise<number> {
  const consumer = kafka.consumer({ groupId: `bare-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0;
  let t0 = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset }) => {
      if (t0 === 0) t0 = performance.now();
      for (const m of batch.messages) {
        JSON.parse(m.value!.toString('utf8'));
        n++;
      }
      resolveOffset(batch.lastOffset());
      if (n >= count) done();
    },
  });
  await finished;
  const secs = (performance.now() - t0) / 1000;
  await consumer.disconnect();
  return n / secs;
}

async function pipeline(kafka: Kafka, config: Config, count: number): Promise<number> {
  const db = createDb({ ...config.clickhouse, path: resolve(config.dataDir, 'clickhouse') });
  await migrate(db, { rawTtlDays: 30 });
  const processor = createProcessor({
    kafka, db, config, resolutionTargetMs: () => 86_400_000, log: () => {},
    onFlushed: () => {},
  });
  const timer = setInterval(() => log(`pipeline handled ${processor.stats().handled}/${count}`), 2000);
  await processor.start();
  // Like the bare consumer, the clock starts at the first message, not at the group join.
  while (processor.stats().handled === 0) await new Promise((r) => setTimeout(r, 5));
  const started = performance.now();
  while (processor.stats().handled < count) await new Promise((r) => setTimeout(r, 20));
  await processor.flush(true); // the figures are durable only once flushed
  const secs = (performance.now() - started) / 1000;
  clearInterval(timer);
  await processor.stop();
  // The embedded engine is left open: chdb's close() never settles, which would let
  // node exit here before the figures are printed. The process ends right after.
  void db;
  return count / secs;
}

export async function benchPipeline(brokers: string[], count = 300_000): Promise<PipelineResult> {
  const config = loadConfig({
    KAFKA_BROKERS: brokers.join(','), SQA_TOPIC_PREFIX: `bench${randomBytes(3).toString('hex')}.`,
    SQA_DATA_DIR: resolve('.data', 'bench'), SQA_KAFKA_PARTITIONS: '6',
  });
  const kafka = createKafka({ brokers, clientId: 'sqa-bench' });
  await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
  const events = await produce(kafka, config, count);
  log(`produced ${events} events; bare consumer …`);
  const bareRate = await bare(kafka, config.kafka.topics.events, events);
  log(`bare consumer: ${Math.round(bareRate)} events/s; pipeline …`);
  const pipeRate = await pipeline(kafka, config, events);
  return { events, bareEventsPerSec: bareRate, pipelineEventsPerSec: pipeRate, ratio: pipeRate / bareRate };
}
