// The Kafka broker of a bench run: KAFKA_BROKERS if set, otherwise one local
// broker (infra/kafka/broker.ts) on SQA_BENCH_KAFKA_PORT (default 19292) in
// .data/bench-kafka, started on first use and stopped at the end of the run.
import { resolve } from 'node:path';
import { startBroker, stopBroker } from '../infra/kafka/broker.js';

export interface BenchBroker {
  brokers(): Promise<string[]>;
  /** Stops the broker if this run started it. */
  stop(): Promise<void>;
  /** The local broker's process id (null when KAFKA_BROKERS names another). */
  pid(): number | null;
}

export function benchBroker(env: Record<string, string | undefined> = process.env): BenchBroker {
  const given = env.KAFKA_BROKERS?.split(',').map((b) => b.trim()).filter(Boolean);
  const dir = resolve('.data', 'bench-kafka');
  const port = Number(env.SQA_BENCH_KAFKA_PORT || 19292);
  let started: Promise<string[]> | null = null;
  let pid: number | null = null;
  return {
    brokers() {
      if (given && given.length > 0) return Promise.resolve(given);
      started ??= startBroker({ dir, port, initialRebalanceDelayMs: 3000, log: (m) => process.stderr.write(`${m}\n`) }).then((b) => {
        pid = b.pid;
        return [`127.0.0.1:${port}`];
      });
      return started;
    },
    pid: () => pid,
    async stop() {
      if (started) await stopBroker({ dir, port });
    },
  };
}
