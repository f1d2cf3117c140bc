// A task run again `intervalMs` after each run ends, until stopped. A failure is
// logged once per failure streak (and its end once), then retried on the same
// pacing: the task itself keeps whatever it must not lose for the next run.
export interface PollLoop {
  /** Runs the task now, then on its pacing. Idempotent. */
  start(): void;
  /** Stops the pacing and waits for a run in progress. */
  stop(): Promise<void>;
}

export function createPollLoop(o: { what: string; intervalMs: number; run: () => Promise<unknown>; log: (msg: string) => void }): PollLoop {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let stopped = true;
  let failing = false;

  function tick(): void {
    timer = null;
    running = o.run()
      .then(() => {
        if (failing) o.log(`${o.what} recovered`);
        failing = false;
      }, (err: unknown) => {
        if (!failing) o.log(`${o.what} failed, retrying every ${o.intervalMs} ms: ${err instanceof Error ? err.message : String(err)}`);
        failing = true;
      })
      .finally(() => {
        running = null;
        if (!stopped) timer = setTimeout(tick, o.intervalMs);
      });
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      tick();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
