// A processor as a real child process (processors/main.ts), so tests can kill it
// with SIGKILL like a crash, and restart it on the same data directory.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Kafka } from 'kafkajs';
import type { Config } from '../../infra/config.js';

export interface ChildProcessor {
  proc: ChildProcess;
  /** Resolves when the child has been assigned partitions. */
  assigned: Promise<void>;
  output: () => string;
  exited: Promise<number | null>;
}

export function startProcessorChild(env: Record<string, string>): ChildProcessor {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'processors/main.ts'], {
    env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let onAssigned: () => void = () => {};
  const assigned = new Promise<void>((r) => (onAssigned = r));
  const take = (b: Buffer) => {
    out += b.toString();
    if (/assigned partitions \[\d/.test(out)) onAssigned();
  };
  proc.stdout!.on('data', take);
  proc.stderr!.on('data', take);
  const exited = new Promise<number | null>((r) => proc.on('exit', (code) => r(code)));
  return { proc, assigned, output: () => out, exited };
}

export function childEnv(config: Config): Record<string, string> {
  return {
    KAFKA_BROKERS: config.kafka.brokers!.join(','),
    SQA_TOPIC_PREFIX: config.kafka.topics.events.replace(/sqa\.events$/, ''),
    SQA_DATA_DIR: config.dataDir,
    SQA_KAFKA_PARTITIONS: String(config.kafka.partitions),
    SQA_FLUSH_MS: '200',
    SQA_SNAPSHOT_MS: '600',
    SQA_SESSION_TIMEOUT_MS: '6000',
  };
}

/** True when the group has committed every message of the events topic. */
export async function caughtUp(kafka: Kafka, config: Config): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const ends = await admin.fetchTopicOffsets(config.kafka.topics.events);
    const [committed] = await admin.fetchOffsets({ groupId: config.kafka.consumerGroup, topics: [config.kafka.topics.events] });
    return ends.every((e) => {
      const c = committed!.partitions.find((p) => p.partition === e.partition);
      return e.high === '0' || (c !== undefined && c.offset === e.high);
    });
  } finally {
    await admin.disconnect();
  }
}
