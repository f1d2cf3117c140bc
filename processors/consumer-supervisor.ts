// Keeps the processors' Kafka consumer consuming across crashes. A kafkajs
// consumer crashes when the broker is gone longer than its retries last; kafkajs
// then restarts it only if it deems the error retriable, and either way the
// restarted consumer is a fresh group member that has forgotten which topics were
// paused. A processor whose consumer silently stopped while its process lives is
// the worst outcome (no supervisor notices), so this module restarts the consumer
// itself after every crash, with backoff, and re-applies the pause as soon as the
// new member has joined and before it fetches.
import type { Consumer } from 'kafkajs';
import { backoffDelay } from './retry.js';

export interface ConsumerSupervisorDeps {
  consumer: Consumer;
  topic: string;
  /** Connects and runs the consumer; called again after each crash. */
  run: () => Promise<void>;
  log: (msg: string) => void;
  /** Called on each crash, before the restart is scheduled. */
  onCrash?: () => void;
  initialMs?: number;
  maxMs?: number;
  rng?: () => number;
}

export interface ConsumerSupervisor {
  /** The wanted state; applied now if the consumer is a group member, else when it (re)joins. */
  setPaused(paused: boolean): void;
  /** No restart after this (the processor is stopping). */
  stop(): void;
}

/**
 * Pass `retry.restartOnFailure: async () => false` to the consumer, so that this
 * supervisor is the only one restarting it.
 */
export function superviseConsumer(d: ConsumerSupervisorDeps): ConsumerSupervisor {
  const { consumer, topic } = d;
  const initialMs = d.initialMs ?? 300;
  const maxMs = d.maxMs ?? 10_000;
  const rng = d.rng ?? Math.random;
  let paused = false;
  // consumer.pause/resume throw between a crash and the next join (kafkajs has no consumer group then).
  let member = false;
  let stopped = false;
  let attempt = 0;
  let timer: NodeJS.Timeout | null = null;

  function apply(): void {
    if (!member) return;
    try {
      if (paused) consumer.pause([{ topic }]);
      else consumer.resume([{ topic }]);
    } catch (err) {
      // The consumer stopped and its STOP or CRASH event is still to come; the next join applies the state.
      member = false;
      d.log(`could not ${paused ? 'pause' : 'resume'} the consumer now (${(err as Error).message}); done when it rejoins`);
    }
  }

  function schedule(why: string): void {
    if (stopped) return;
    const delay = backoffDelay(attempt++, initialMs, maxMs, rng);
    d.log(`${why}; restarting the consumer in ${delay} ms (attempt ${attempt})`);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void restart();
    }, delay);
  }

  async function restart(): Promise<void> {
    if (stopped) return;
    try {
      await d.run();
    } catch (err) {
      // A failed start that kafkajs did not turn into a crash (e.g. connect refused).
      schedule(`consumer restart failed: ${(err as Error).message}`);
    }
  }

  consumer.on(consumer.events.GROUP_JOIN, () => {
    member = true;
    attempt = 0;
    // A fresh member consumes everything; a rejoining one keeps kafkajs' pause, so this only matters after a crash.
    if (paused) apply();
  });
  consumer.on(consumer.events.STOP, () => {
    member = false;
  });
  consumer.on(consumer.events.CRASH, (e) => {
    member = false;
    d.onCrash?.();
    schedule(`consumer crashed: ${e.payload.error.message}`);
  });

  return {
    setPaused(p) {
      paused = p;
      apply();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
    },
  };
}
