// Where simulated events go. A target is one function that takes a batch of raw
// events in send order and resolves once the receiver has taken them, saying how
// many it rejected. Retries re-send the whole batch: event ids make that safe
// (CONTRACT.md section 1 counts a repeated id once).
import { setTimeout as sleep } from 'node:timers/promises';
import { validateEvent } from '../../events/schema.js';
import type { SqaEvent } from '../../events/types.js';
import type { EventProducer, Rejected } from '../event-producer.js';
import { SimulatorError, sendError } from './errors.js';
import { Rng } from './prng.js';

export type SendBatch = (events: unknown[], signal?: AbortSignal) => Promise<{ rejected: number }>;

export interface RetryPolicy {
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, initialDelayMs: 200, maxDelayMs: 5000 };

function retriable(err: unknown): boolean {
  return err instanceof SimulatorError ? err.retriable : (err as { retriable?: unknown } | null)?.retriable === true;
}

/** Exponential backoff with jitter; gives up at once on errors that retrying cannot fix. */
export function withRetry(send: SendBatch, policy: RetryPolicy = DEFAULT_RETRY, seed = 0x5eed): SendBatch {
  // Jitter from a seeded stream: the simulator never uses Math.random.
  const rng = new Rng(seed);
  return async (events, signal) => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await send(events, signal);
      } catch (err) {
        if (!retriable(err) || attempt >= policy.attempts || signal?.aborted) throw err;
        const delay = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** (attempt - 1)) * rng.uniform(0.5, 1);
        await sleep(delay, undefined, { signal });
      }
    }
  };
}

export interface HttpTargetOptions {
  /** Base URL of the service; events go to `${url}/api/v1/events`. */
  url: string;
  /** Bearer token (SQA_TOKEN), if the service requires one. */
  token?: string;
  retry?: RetryPolicy;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** POSTs each batch as a JSON array; the 202 answer lists the rejected ones. */
export function httpTarget(o: HttpTargetOptions): SendBatch {
  const endpoint = `${o.url.replace(/\/+$/, '')}/api/v1/events`;
  const doFetch = o.fetch ?? fetch;
  const once: SendBatch = async (events, signal) => {
    const timeout = AbortSignal.timeout(o.timeoutMs ?? 30_000);
    let res: Response;
    try {
      res = await doFetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(o.token ? { authorization: `Bearer ${o.token}` } : {}) },
        body: JSON.stringify(events),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (err) {
      throw sendError(`POST ${endpoint} failed: ${(err as Error).message}`, !signal?.aborted, err);
    }
    const text = await res.text();
    if (res.status >= 200 && res.status < 300) {
      const body = parseBody(text);
      return { rejected: Array.isArray(body?.rejected) ? body.rejected.length : 0 };
    }
    // 408, 429 and 5xx are the receiver's momentary trouble; other 4xx are ours.
    const again = res.status === 408 || res.status === 429 || res.status >= 500;
    throw sendError(`POST ${endpoint} answered ${res.status}: ${text.slice(0, 500)}`, again);
  };
  return withRetry(once, o.retry);
}

function parseBody(text: string): { rejected?: unknown } | null {
  try {
    return JSON.parse(text) as { rejected?: unknown };
  } catch (err) {
    throw sendError(`the events endpoint answered a body that is not JSON: ${(err as Error).message}`, false, err);
  }
}

/**
 * Produces straight to Kafka through the ingest's producer, validating here as
 * the HTTP ingest would: valid events (normalised) to `sqa.events`, the rest
 * with their reason to `sqa.dlq` (CONTRACT.md section 2).
 */
export function producerTarget(producer: EventProducer, retry: RetryPolicy = DEFAULT_RETRY): SendBatch {
  const once: SendBatch = async (raw) => {
    const valid: SqaEvent[] = [];
    const dead: Rejected[] = [];
    for (const r of raw) {
      const v = validateEvent(r);
      if (v.ok) valid.push(v.event);
      else dead.push({ reason: v.reason, raw: r });
    }
    await Promise.all([producer.sendEvents(valid), dead.length > 0 ? producer.sendRejected(dead) : Promise.resolve()]);
    return { rejected: dead.length };
  };
  return withRetry(once, retry);
}
