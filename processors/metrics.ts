// Instrumentation of the processors (exposed by /metrics through the registry
// the composition root passes in).
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export function createProcessorMetrics(registry: Registry) {
  const reg = [registry];
  return {
    events: new Counter({ name: 'sqa_processor_events_total', help: 'Messages handled by the processors, by outcome', labelNames: ['outcome'], registers: reg }),
    lag: new Gauge({ name: 'sqa_consumer_lag', help: 'Messages behind the partition high watermark', labelNames: ['partition'], registers: reg }),
    sinkRows: new Histogram({ name: 'sqa_sink_batch_rows', help: 'Rows written per sink flush', buckets: [1, 10, 100, 1000, 10000, 100000], registers: reg }),
    sinkErrors: new Counter({ name: 'sqa_sink_errors_total', help: 'Failed sink flushes (retried)', registers: reg }),
    flushSeconds: new Histogram({ name: 'sqa_sink_flush_seconds', help: 'Duration of a sink flush', buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 30], registers: reg }),
    emitDelay: new Histogram({
      name: 'sqa_window_emit_delay_seconds', help: 'Wall-clock delay from applying an event to its rollup being durable',
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30], registers: reg,
    }),
    scopes: new Gauge({ name: 'sqa_processor_scopes', help: 'Scopes held in memory', registers: reg }),
    consumerCrashes: new Counter({ name: 'sqa_consumer_crashes_total', help: 'Kafka consumer crashes (each followed by a restart with backoff)', registers: reg }),
    paused: new Gauge({ name: 'sqa_processor_paused', help: '1 while consumption is paused because the sink is failing', registers: reg }),
  };
}

export type ProcessorMetrics = ReturnType<typeof createProcessorMetrics>;
