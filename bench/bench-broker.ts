// The Kafka broker of a bench run: KAFKA_BROKERS if set, otherwise one local
// broker (infra/kafka/broker.ts) on SQA_BENCH_KAFKA_PORT (default 19292) in
// .data/bench-kafka, started on first use and stopped at the end of the run.
//
// Each bench part produces to topics of its own (a random prefix starting with
// `bench`): hundreds of megabytes a run. On the local broker, where every topic is a
// bench's, they are deleted when the run ends and, for runs that died, when the next
// one starts. Left there, 43 GB and ~4,000 partitions had piled up over a day of runs,
// and the broker loaded and kept them through every later run (docs/benchmarks.md,
// 2026-11-29 17:00).
import { resolve } from 'node:path';
import { createKafka } from '../infra/kafka/client.js';
import { startBroker, stopBroker } from '../infra/kafka/broker.js';

/** Topics the benches create: `bench…` prefixes (pipeline.ts, latency.ts, load-ingest.ts). */
const BENCH_TOPIC = /^bench/;

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
      started ??= startBroker({ dir, port, initialRebalanceDelayMs: 3000, log: (m) => process.stderr.write(`${m}\n`) }).then(async (b) => {
        pid = b.pid;
        const brokers = [`127.0.0.1:${port}`];
        await dropBenchTopics(brokers, 'left by an earlier run');
        return brokers;
      });
      return started;
    },
    pid: () => pid,
    async stop() {
      if (!started) return;
      // A run that failed before its broker was up has nothing to delete and no broker to stop.
      const brokers = await started.catch(() => null);
      // The broker is stopped either way; topics left now go at the next run's start.
      if (brokers) await dropBenchTopics(brokers, 'of this run').catch((err: unknown) => process.stderr.write(`[bench] bench topics not deleted: ${(err as Error).message}\n`));
      await stopBroker({ dir, port });
    },
  };
}

/** Deletes the bench topics on the bench's own broker; it frees their files a second later (infra/kafka/broker.ts). */
async function dropBenchTopics(brokers: string[], which: string): Promise<void> {
  const admin = createKafka({ brokers, clientId: 'sqa-bench-cleanup' }).admin();
  await admin.connect();
  try {
    const topics = (await admin.listTopics()).filter((t) => BENCH_TOPIC.test(t));
    if (topics.length === 0) return;
    process.stderr.write(`[bench] deleting ${topics.length} bench topic(s) ${which}\n`);
    // In groups: one request naming thousands of topics outlasts the request timeout.
    for (let i = 0; i < topics.length; i += 100) await admin.deleteTopics({ topics: topics.slice(i, i + 100), timeout: 60_000 });
  } finally {
    await admin.disconnect();
  }
}
