// Exponential backoff with full jitter (as kafkajs' retrier does). Programming
// errors (TypeError, RangeError…) are not retried: they would fail the same way.
export interface RetryOptions {
  initialMs?: number;
  maxMs?: number;
  /** Give up after this many attempts; Infinity retries until `signal` aborts. */
  attempts?: number;
  rng?: () => number;
  signal?: AbortSignal;
  onRetry?: (err: unknown, attempt: number, delayMs: number) => void;
}

export function isProgrammingError(err: unknown): boolean {
  return err instanceof TypeError || err instanceof RangeError || err instanceof SyntaxError || err instanceof ReferenceError;
}

export function backoffDelay(attempt: number, initialMs: number, maxMs: number, rng: () => number): number {
  const cap = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(cap / 2 + (rng() * cap) / 2);
}

export async function retry<T>(fn: () => Promise<T>, o: RetryOptions = {}): Promise<T> {
  const { initialMs = 200, maxMs = 10_000, attempts = 5, rng = Math.random } = o;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (isProgrammingError(err) || attempt + 1 >= attempts || o.signal?.aborted) throw err;
      const delay = backoffDelay(attempt, initialMs, maxMs, rng);
      o.onRetry?.(err, attempt + 1, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
