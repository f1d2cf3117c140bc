// One place builds the kafkajs client and creates the contract's topics, so every
// process (ingest, processors, simulator, tests) talks to Kafka the same way.
import { join } from 'node:path';
import { Kafka, logLevel, type KafkaConfig, type LogEntry } from 'kafkajs';
import type { Config, Topics } from '../config.js';
import { startBroker } from './broker.js';

export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Connection retries; low values make a down broker fail fast (HTTP 503). */
  retries?: number;
}

function logCreator() {
  return ({ level, log }: LogEntry) => {
    const { message, ...extra } = log;
    // kafkajs logs every reconnect attempt as an error; only warnings and worse surface.
    if (level <= logLevel.WARN) console.error(`[kafkajs] ${message}`, JSON.stringify(extra).slice(0, 500));
  };
}

export function createKafka(s: KafkaSettings): Kafka {
  const cfg: KafkaConfig = {
    clientId: s.clientId,
    brokers: s.brokers,
    connectionTimeout: 3000,
    requestTimeout: 30000,
    retry: { retries: s.retries ?? 8, initialRetryTime: 200, maxRetryTime: 5000 },
    logLevel: logLevel.WARN,
    logCreator,
  };
  return new Kafka(cfg);
}

/** Brokers from KAFKA_BROKERS, or the local broker started (or reused) under dataDir. */
export async function resolveBrokers(config: Config, log: (m: string) => void = console.error): Promise<string[]> {
  if (config.kafka.brokers) return config.kafka.brokers;
  await startBroker({ dir: join(config.dataDir, 'kafka'), port: config.kafka.localPort, log });
  return [`127.0.0.1:${config.kafka.localPort}`];
}

/**
 * Creates the contract's topics if missing (CONTRACT.md section 2). Retries while
 * a freshly started broker is still electing its controller.
 */
export async function ensureTopics(kafka: Kafka, topics: Topics, partitions: number, timeoutMs = 60_000): Promise<void> {
  const admin = kafka.admin();
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  try {
    await admin.connect();
    while (Date.now() < deadline) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = [topics.events, topics.dlq, topics.alerts].filter((t) => !existing.has(t));
        if (missing.length > 0) {
          await admin.createTopics({
            waitForLeaders: true,
            topics: missing.map((topic) => ({ topic, numPartitions: topic === topics.events ? partitions : Math.min(partitions, 3), replicationFactor: 1 })),
          });
        }
        const meta = await admin.fetchTopicMetadata({ topics: [topics.events, topics.dlq, topics.alerts] });
        if (meta.topics.every((t) => t.partitions.every((p) => p.leader >= 0))) return;
      } catch (err) {
        lastErr = err;
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    throw new Error(`could not create Kafka topics within ${timeoutMs} ms: ${String(lastErr)}`);
  } finally {
    await admin.disconnect();
  }
}
