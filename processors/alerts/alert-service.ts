// Wires the alert evaluator to its deliveries: the alerts table (inside the
// evaluator), the `sqa.alerts` topic, webhooks and in-process listeners (the
// dashboard's live channel when everything runs in one process).
import type { Kafka } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Alert } from '../../events/alerts.js';
import type { Config } from '../../infra/config.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { objectivesFor, type SlaConfig } from '../../infra/sla-config.js';
import type { AnomalyOptions } from '../core/alerts/anomaly.js';
import type { AnomalySubject } from '../core/alerts/alert-rules.js';
import { createAlertEvaluator, type AlertEvaluator } from './alert-evaluator.js';
import { createAlertMetrics } from './alert-metrics.js';
import { createAlertPublisher } from './alert-publisher.js';
import { createWebhookSender, type WebhookSender } from './webhook-sender.js';

export interface AlertServiceOptions {
  kafka: Kafka;
  db: Db;
  config: Config;
  sla: SlaConfig;
  registry: Registry;
  log: (msg: string) => void;
  onAlerts?: (alerts: readonly Alert[]) => void;
  anomaly?: Partial<Record<AnomalySubject, Partial<AnomalyOptions>>>;
  /** Webhook retry pacing (tests shorten it). */
  webhookBackoffMs?: number;
}

export interface AlertService {
  evaluator: AlertEvaluator;
  webhooks: WebhookSender;
  start(): void;
  stop(): Promise<void>;
}

export function createAlertService(o: AlertServiceOptions): AlertService {
  const metrics = createAlertMetrics(o.registry);
  const publisher = createAlertPublisher(o.kafka, o.config.kafka.topics.alerts);
  const webhooks = createWebhookSender({
    urls: o.config.alerts.webhookUrls, externalUrl: o.config.alerts.externalUrl, metrics, log: o.log,
    ...(o.webhookBackoffMs !== undefined ? { initialBackoffMs: o.webhookBackoffMs } : {}),
  });
  const evaluator = createAlertEvaluator({
    db: o.db,
    objectives: (service) => {
      const ob = objectivesFor(o.sla, service);
      return { availability: ob.availability, probeSuccess: ob.probeSuccess };
    },
    ...(o.anomaly ? { anomaly: o.anomaly } : {}),
    intervalMs: o.config.alerts.evalIntervalMs,
    log: o.log,
    publish: (alerts) => publisher.publish(alerts),
    notify: (alerts) => {
      for (const a of alerts) metrics.transitions.inc({ kind: a.labels.kind, status: a.status });
      webhooks.send(alerts);
      o.onAlerts?.(alerts);
    },
  });
  return {
    evaluator,
    webhooks,
    start: () => evaluator.start(),
    async stop() {
      await evaluator.stop();
      webhooks.stop();
      await publisher.close();
    },
  };
}
