import { describe, expect, it } from 'vitest';
import { backoffDelay, retry } from './retry.js';

describe('retry', () => {
  it('backs off exponentially with jitter between half and all of the cap', () => {
    // attempt 3 with 100 ms initial: cap = 100 × 2³ = 800 → delay in [400, 800]
    expect(backoffDelay(3, 100, 10_000, () => 0)).toBe(400);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(800);
    // the cap never exceeds maxMs
    expect(backoffDelay(20, 100, 5_000, () => 1)).toBe(5000);
  });

  it('retries until it succeeds, and gives up after the attempts', async () => {
    let n = 0;
    const v = await retry(async () => { if (++n < 3) throw new Error('flaky'); return n; }, { initialMs: 1, attempts: 5 });
    expect(v).toBe(3);
    let m = 0;
    await expect(retry(async () => { m++; throw new Error('down'); }, { initialMs: 1, attempts: 3 })).rejects.toThrow('down');
    expect(m).toBe(3);
  });

  it('does not retry programming errors', async () => {
    let n = 0;
    await expect(retry(async () => { n++; throw new TypeError('x is undefined'); }, { initialMs: 1 })).rejects.toThrow(TypeError);
    expect(n).toBe(1);
  });
});
