// Ingest instrumentation for /metrics.
import { Counter, type Registry } from 'prom-client';
import type { IngestMetrics } from './events-route.js';

export function createIngestMetrics(registry: Registry): IngestMetrics {
  const events = new Counter({ name: 'sqa_ingest_events_total', help: 'Events received by POST /api/v1/events, by outcome', labelNames: ['outcome'], registers: [registry] });
  return {
    accepted: (n) => events.inc({ outcome: 'accepted' }, n),
    rejected: (n) => events.inc({ outcome: 'rejected' }, n),
  };
}
