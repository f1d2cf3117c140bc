import { describe, expect, it } from 'vitest';
import { createPollLoop } from './poll-loop.js';

describe('poll loop', () => {
  it('runs at once and then after each run, logs a failure streak once and its end once, and stops', async () => {
    const logs: string[] = [];
    const outcomes = [false, false, true, true];
    let runs = 0;
    const loop = createPollLoop({
      what: 'task', intervalMs: 5, log: (m) => logs.push(m),
      run: async () => {
        const ok = outcomes[runs++] ?? true;
        if (!ok) throw new Error('store down');
      },
    });
    loop.start();
    loop.start(); // idempotent
    await new Promise((r) => setTimeout(r, 100));
    await loop.stop();
    const after = runs;
    await new Promise((r) => setTimeout(r, 30));
    expect(runs).toBe(after);
    expect(runs).toBeGreaterThanOrEqual(4);
    expect(logs).toEqual(['task failed, retrying every 5 ms: store down', 'task recovered']);
  });
});
