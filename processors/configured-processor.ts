// The processors of a process as its configuration asks (SQA_PROCESSOR_THREADS):
// one per worker thread, or one on the main thread. Both are a Processor, so the
// composition roots (processors/main.ts, bin/start.ts, the benches) do not care.
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Db } from '../infra/clickhouse/client.js';
import type { Config } from '../infra/config.js';
import { resolutionTargets } from '../infra/sla-config.js';
import { createProcessor, type Processor, type SnapshotStats } from './processor.js';
import { createProcessorThreads } from './processor-threads.js';
import { createProcessorMetrics } from './metrics.js';

export interface ConfiguredProcessorDeps {
  config: Config;
  brokers: string[];
  kafka: Kafka;
  db: Db;
  registry: Registry;
  onFlushed?: (scopes: Set<string>) => void;
  onSnapshot?: (s: SnapshotStats) => void;
  log?: (msg: string) => void;
  /** One resolution target for every service instead of the SLA file's (the bench). */
  resolutionTargetMs?: number;
}

export function createConfiguredProcessor(d: ConfiguredProcessorDeps): Processor {
  const { config } = d;
  // The optional hooks, passed on only when given (either kind takes them as they are).
  const hooks = { ...(d.onFlushed ? { onFlushed: d.onFlushed } : {}), ...(d.onSnapshot ? { onSnapshot: d.onSnapshot } : {}), ...(d.log ? { log: d.log } : {}) };
  if (config.processorThreads > 0) {
    return createProcessorThreads({
      threads: config.processorThreads, config, brokers: d.brokers, db: d.db, registry: d.registry, ...hooks,
      ...(d.resolutionTargetMs !== undefined ? { resolutionTargetMs: d.resolutionTargetMs } : {}),
    });
  }
  return createProcessor({
    kafka: d.kafka, db: d.db, config, metrics: createProcessorMetrics(d.registry),
    resolutionTargetMs: resolutionTargets(config.slaPath, d.resolutionTargetMs), ...hooks,
  });
}
