// One real Kafka broker for the whole test run (STYLE.md: integration tests share
// one broker and isolate themselves by topic prefix). KAFKA_BROKERS points the
// suite at an existing cluster instead.
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
import { runningPid, startBroker, stopBroker } from '../infra/kafka/broker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBrokers: string[];
    kafkaDir: string;
    kafkaPort: number;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const port = Number(process.env.SQA_TEST_KAFKA_PORT || 19092);
  const dir = resolve('.test-data', 'kafka');
  project.provide('kafkaDir', dir);
  project.provide('kafkaPort', port);
  if (process.env.KAFKA_BROKERS) {
    project.provide('kafkaBrokers', process.env.KAFKA_BROKERS.split(','));
    return async () => {};
  }
  const opts = { dir, port, log: (m: string) => console.error(m) };
  // A broker left over from an interrupted run is reused; otherwise start clean.
  if (runningPid(opts) === null) rmSync(join(dir), { recursive: true, force: true });
  const { started } = await startBroker(opts, 120_000);
  project.provide('kafkaBrokers', [`127.0.0.1:${port}`]);
  return async () => {
    if (started) await stopBroker(opts);
  };
}
