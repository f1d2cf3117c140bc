// Instrumentation of alert evaluation and delivery (exposed by /metrics).
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WebhookMetrics } from './webhook-sender.js';

export function createAlertMetrics(registry: Registry): WebhookMetrics & { transitions: Counter<'kind' | 'status'> } {
  const registers = [registry];
  return {
    transitions: new Counter({ name: 'sqa_alert_transitions_total', help: 'Alert state changes delivered, by kind and new status', labelNames: ['kind', 'status'], registers }),
    deliveries: new Counter({
      name: 'sqa_webhook_deliveries_total',
      help: 'Webhook notification outcomes per receiver: ok, retry (a failed attempt), failed (gave up), dropped (queue full)',
      labelNames: ['receiver', 'result'], registers,
    }),
    queued: new Gauge({ name: 'sqa_webhook_queue_length', help: 'Notifications waiting per webhook receiver', labelNames: ['receiver'], registers }),
  };
}
