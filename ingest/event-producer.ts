// The Kafka side of ingest: valid events to `sqa.events` keyed `service|region`,
// rejected input to `sqa.dlq` (CONTRACT.md section 2). Implementation lands with infra/kafka.
import type { SqaEvent } from '../events/types.js';

export interface Rejected {
  reason: string;
  raw: unknown;
}

export interface EventProducer {
  /** Resolves once Kafka acknowledged every event (acks = all). */
  sendEvents(events: SqaEvent[]): Promise<void>;
  sendRejected(items: Rejected[]): Promise<void>;
  close(): Promise<void>;
}
