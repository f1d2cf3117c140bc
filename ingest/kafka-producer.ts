// Produces valid events to `sqa.events` keyed `service|region` (so one partition,
// and so one consumer, owns a scope) and rejected input to `sqa.dlq`
// (CONTRACT.md section 2). acks=-1 with idempotence: a 202 means durable.
import { CompressionTypes, Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Topics } from '../infra/config.js';
import { scopeKey, type SqaEvent } from '../events/types.js';
import type { EventProducer, Rejected } from './event-producer.js';
import { chunkMessages } from '../infra/kafka/chunk-messages.js';
import { deadLetterValue } from '../infra/kafka/dead-letter.js';

export class KafkaUnavailableError extends Error {
  readonly code = 'SQA_E_KAFKA_UNAVAILABLE';
  readonly retriable = true;
}

export function createKafkaEventProducer(kafka: Kafka, topics: Pick<Topics, 'events' | 'dlq'>): EventProducer & { connect(): Promise<void> } {
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    createPartitioner: Partitioners.DefaultPartitioner,
    retry: { retries: 3, initialRetryTime: 100, maxRetryTime: 1000 },
  });
  let connected: Promise<void> | null = null;
  const connect = (): Promise<void> => {
    connected ??= producer.connect().catch((err: unknown) => {
      connected = null;
      throw new KafkaUnavailableError(`Kafka is unavailable: ${(err as Error).message}`, { cause: err });
    });
    return connected;
  };

  async function send(topic: string, messages: { key: string | null; value: string }[]): Promise<void> {
    if (messages.length === 0) return;
    await connect();
    for (const chunk of chunkMessages(messages)) {
      try {
        await producer.send({ topic, acks: -1, compression: CompressionTypes.None, messages: chunk });
      } catch (err) {
        throw new KafkaUnavailableError(`Kafka did not acknowledge ${chunk.length} message(s) on ${topic}: ${(err as Error).message}`, { cause: err });
      }
    }
  }

  return {
    connect,
    sendEvents: (events: SqaEvent[]) => send(topics.events, events.map((e) => ({ key: scopeKey(e), value: JSON.stringify(e) }))),
    sendRejected: (items: Rejected[]) => send(topics.dlq, items.map((r) => ({ key: null, value: deadLetterValue(r.reason, r.raw) }))),
    close: async () => {
      await producer.disconnect();
      connected = null;
    },
  };
}
