// The supervisor's decisions with a stand-in consumer and fake timers; the real
// thing (a kafkajs consumer through a 30 s broker outage) is in
// test/integration/broker-outage.test.ts.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Consumer } from 'kafkajs';
import { superviseConsumer } from './consumer-supervisor.js';

const EVENTS = { GROUP_JOIN: 'consumer.group_join', CRASH: 'consumer.crash', STOP: 'consumer.stop' };

/** What the supervisor uses of a kafkajs consumer: its events, pause and resume (which throw outside the group, as kafkajs does). */
function standIn() {
  const emitter = new EventEmitter();
  const calls: string[] = [];
  let member = false;
  const consumer = {
    events: EVENTS,
    on: (event: string, fn: (e: unknown) => void) => emitter.on(event, fn),
    pause: () => {
      if (!member) throw new Error('Consumer group was not initialized');
      calls.push('pause');
    },
    resume: () => {
      if (!member) throw new Error('Consumer group was not initialized');
      calls.push('resume');
    },
  };
  return {
    consumer: consumer as unknown as Consumer,
    calls,
    join: () => { member = true; emitter.emit(EVENTS.GROUP_JOIN, { payload: {} }); },
    crash: (message: string) => { member = false; emitter.emit(EVENTS.STOP); emitter.emit(EVENTS.CRASH, { payload: { error: new Error(message), restart: false } }); },
  };
}

describe('consumer supervisor', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('restarts after every crash with growing delays, and again when the restart itself fails', async () => {
    const c = standIn();
    const logs: string[] = [];
    let runs = 0;
    let failNext = 1;
    const s = superviseConsumer({
      consumer: c.consumer, topic: 't', log: (m) => logs.push(m), rng: () => 1, initialMs: 100, maxMs: 1000,
      run: async () => {
        runs++;
        if (failNext-- > 0) throw new Error('connect ECONNREFUSED');
      },
    });
    c.crash('broker gone');
    // rng 1 → the full cap: attempt 0 waits 100 ms, attempt 1 200 ms (100 · 2¹).
    await vi.advanceTimersByTimeAsync(99);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(199);
    expect(runs).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(2);
    expect(logs).toEqual([
      'consumer crashed: broker gone; restarting the consumer in 100 ms (attempt 1)',
      'consumer restart failed: connect ECONNREFUSED; restarting the consumer in 200 ms (attempt 2)',
    ]);
    // A join resets the backoff: the next crash waits 100 ms again.
    c.join();
    c.crash('again');
    expect(logs.at(-1)).toBe('consumer crashed: again; restarting the consumer in 100 ms (attempt 1)');
    s.stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs).toBe(2);
  });

  it('keeps a pause wanted while out of the group and applies it at the next join, before fetching', () => {
    const c = standIn();
    const s = superviseConsumer({ consumer: c.consumer, topic: 't', log: () => {}, run: async () => {} });
    c.join();
    s.setPaused(true);
    expect(c.calls).toEqual(['pause']);
    c.crash('broker gone');
    // kafkajs' fresh consumer group after a restart has forgotten the pause.
    c.join();
    expect(c.calls).toEqual(['pause', 'pause']);
    c.crash('broker gone');
    // Resumed while out of the group: the fresh member after the restart is not paused.
    s.setPaused(false);
    expect(c.calls).toEqual(['pause', 'pause']);
    c.join();
    expect(c.calls).toEqual(['pause', 'pause']);
    s.setPaused(true);
    s.setPaused(false);
    expect(c.calls).toEqual(['pause', 'pause', 'pause', 'resume']);
    s.stop();
  });
});
