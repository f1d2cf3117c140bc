// Alert transitions onto the `sqa.alerts` topic (CONTRACT.md section 2), keyed by
// scope like the events, so a consumer sees one scope's transitions in order.
import type { Kafka, Producer } from 'kafkajs';
import type { Alert } from '../../events/alerts.js';

export interface AlertPublisher {
  publish(alerts: readonly Alert[]): Promise<void>;
  close(): Promise<void>;
}

export function createAlertPublisher(kafka: Kafka, topic: string): AlertPublisher {
  let producer: Producer | null = null;
  let connecting: Promise<Producer> | null = null;
  const connected = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const p = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
      try {
        await p.connect();
      } catch (err) {
        connecting = null;
        throw err;
      }
      producer = p;
      return p;
    })();
    return connecting;
  };
  return {
    async publish(alerts) {
      if (alerts.length === 0) return;
      const p = await connected();
      await p.send({
        topic,
        acks: -1,
        messages: alerts.map((a) => ({ key: `${a.labels.service}|${a.labels.region}`, value: JSON.stringify(a) })),
      });
    },
    async close() {
      await producer?.disconnect();
      producer = null;
      connecting = null;
    },
  };
}
