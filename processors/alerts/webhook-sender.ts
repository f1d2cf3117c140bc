// Delivers alert notifications to webhook receivers without ever holding up the
// evaluator: each receiver has its own bounded queue drained by its own loop, with
// exponential backoff and jitter between attempts (kafkajs' retrier shape). A
// receiver that stays down loses the oldest notifications first, counted in
// /metrics; receiver URLs may carry credentials, so logs and metrics name a
// receiver by index and host only.
import type { Counter, Gauge } from 'prom-client';
import type { Alert } from '../../events/alerts.js';
import { alertmanagerPayload, type AlertmanagerPayload } from './alertmanager-payload.js';

export interface WebhookMetrics {
  deliveries: Counter<'receiver' | 'result'>;
  queued: Gauge<'receiver'>;
}

export interface WebhookOptions {
  urls: readonly string[];
  externalUrl: string;
  metrics: WebhookMetrics;
  log: (msg: string) => void;
  /** Notifications a receiver may have waiting; older ones are dropped first. */
  maxQueue?: number;
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** Attempts per notification before it is given up. */
  maxAttempts?: number;
  timeoutMs?: number;
  random?: () => number;
}

export interface WebhookSender {
  send(alerts: readonly Alert[]): void;
  /** Resolves when every queue is empty (tests, shutdown). */
  idle(): Promise<void>;
  stop(): void;
}

/** "0:hooks.example.com": enough to tell receivers apart, nothing secret. */
export function receiverName(url: string, index: number): string {
  if (!URL.canParse(url)) throw new Error(`SQA_WEBHOOK_URLS entry ${index + 1}: not a URL`);
  return `${index}:${new URL(url).host}`;
}

export function createWebhookSender(o: WebhookOptions): WebhookSender {
  const maxQueue = o.maxQueue ?? 1000;
  const initial = o.initialBackoffMs ?? 500;
  const maxBackoff = o.maxBackoffMs ?? 30_000;
  const maxAttempts = o.maxAttempts ?? 10;
  const timeoutMs = o.timeoutMs ?? 5000;
  const random = o.random ?? Math.random;
  let stopped = false;
  const wakers = new Set<() => void>();

  const receivers = o.urls.map((url, i) => {
    const name = receiverName(url, i);
    const queue: AlertmanagerPayload[] = [];
    let busy = false;
    const idleWaiters: (() => void)[] = [];

    const sleep = (ms: number) => new Promise<void>((resolve) => {
      const t = setTimeout(() => { wakers.delete(wake); resolve(); }, ms);
      const wake = () => { clearTimeout(t); resolve(); };
      wakers.add(wake);
    });

    async function post(p: AlertmanagerPayload): Promise<string | null> {
      try {
        const res = await fetch(url, {
          method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(p), signal: AbortSignal.timeout(timeoutMs),
        });
        // Drain the body so the connection can be reused.
        await res.arrayBuffer();
        return res.ok ? null : `HTTP ${res.status}`;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    }

    async function drain(): Promise<void> {
      busy = true;
      while (!stopped && queue.length > 0) {
        const p = queue[0]!;
        let delivered = false;
        for (let attempt = 1; attempt <= maxAttempts && !stopped; attempt++) {
          const failure = await post(p);
          if (failure === null) {
            delivered = true;
            break;
          }
          o.metrics.deliveries.inc({ receiver: name, result: 'retry' });
          if (attempt === maxAttempts) break;
          const backoff = Math.min(maxBackoff, initial * 2 ** (attempt - 1));
          o.log(`webhook ${name}: ${failure}; attempt ${attempt}/${maxAttempts}, next in ~${backoff} ms`);
          await sleep(backoff * (0.5 + random()));
        }
        // The head may have been dropped for overflow while we were retrying it.
        if (queue[0] === p) queue.shift();
        o.metrics.deliveries.inc({ receiver: name, result: delivered ? 'ok' : 'failed' });
        if (!delivered && !stopped) o.log(`webhook ${name}: gave up on a ${p.status} notification for ${p.alerts[0]?.fingerprint} after ${maxAttempts} attempts`);
        o.metrics.queued.set({ receiver: name }, queue.length);
      }
      busy = false;
      for (const w of idleWaiters.splice(0)) w();
    }

    return {
      name,
      enqueue(p: AlertmanagerPayload) {
        queue.push(p);
        if (queue.length > maxQueue) {
          queue.splice(1, 1); // keep the head being delivered, drop the oldest waiting
          o.metrics.deliveries.inc({ receiver: name, result: 'dropped' });
        }
        o.metrics.queued.set({ receiver: name }, queue.length);
        if (!busy) void drain();
      },
      idle: () => (busy || queue.length > 0 ? new Promise<void>((r) => idleWaiters.push(r)) : Promise.resolve()),
    };
  });

  return {
    send(alerts) {
      if (stopped) return;
      for (const a of alerts) for (const r of receivers) r.enqueue(alertmanagerPayload(a, 'sqa', o.externalUrl));
    },
    async idle() {
      await Promise.all(receivers.map((r) => r.idle()));
    },
    stop() {
      stopped = true;
      for (const w of wakers) w();
    },
  };
}
