// Shared helpers for integration tests against the real broker.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../../infra/config.js';
import { createKafka, ensureTopics } from '../../infra/kafka/client.js';

export function testBrokers(): string[] {
  return inject('kafkaBrokers');
}

/** A configuration isolated by a unique topic prefix and data dir. */
export function testConfig(extra: Record<string, string> = {}): Config {
  const prefix = `t${randomBytes(4).toString('hex')}.`;
  return loadConfig({
    KAFKA_BROKERS: testBrokers().join(','),
    SQA_TOPIC_PREFIX: prefix,
    SQA_DATA_DIR: `.test-data/${prefix.slice(0, -1)}`,
    SQA_KAFKA_PARTITIONS: '3',
    ...extra,
  });
}

export async function testKafka(config: Config, retries = 5): Promise<Kafka> {
  const kafka = createKafka({ brokers: config.kafka.brokers!, clientId: 'sqa-test', retries });
  await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
  return kafka;
}

export interface ReadMessage {
  topic: string;
  partition: number;
  key: string | null;
  value: string;
}

/** Reads every message of the topics from the beginning until `count` arrived or the time runs out. */
export async function readTopics(kafka: Kafka, topics: string[], count: number, timeoutMs = 20_000): Promise<ReadMessage[]> {
  const consumer = kafka.consumer({ groupId: `reader-${randomBytes(4).toString('hex')}`, sessionTimeout: 6000 });
  const out: ReadMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    let done: () => void = () => {};
    const finished = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        out.push({ topic, partition, key: message.key?.toString() ?? null, value: message.value?.toString() ?? '' });
        if (out.length >= count) done();
      },
    });
    await Promise.race([finished, new Promise((r) => setTimeout(r, timeoutMs))]);
    // Linger briefly so that any message beyond the expected count is seen too.
    await new Promise((r) => setTimeout(r, 500));
  } finally {
    await consumer.disconnect();
  }
  return out;
}
