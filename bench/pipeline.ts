// Throughput of broker → processors → ClickHouse against a bare kafkajs consumer
// that only parses the same messages (issue: the pipeline should sustain at least
// 0.8 of the bare rate). Both read the same pre-produced topic.
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join, resolve } from 'node:path';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';
import type { Kafka } from 'kafkajs';
import { loadConfig, type Config } from '../infra/config.js';
import { freshBenchDb } from './bench-db.js';
import { machineCpu, threadCpu, threadCpuPerEvent } from './thread-cpu.js';
import { createKafka, ensureTopics } from '../infra/kafka/client.js';
import { createKafkaEventProducer } from '../ingest/kafka-producer.js';
import { simulate } from '../ingest/simulator/generator.js';
import { validateEvent } from '../events/schema.js';
import type { SqaEvent } from '../events/types.js';
import type { Processor } from '../processors/processor.js';
import { createConfiguredProcessor } from '../processors/configured-processor.js';
import type { ProcessorThreads } from '../processors/processor-threads.js';
import { Registry } from 'prom-client';

/** One round: the bare consumer, then the pipeline, over the same topic. */
export interface PipelineRound {
  bareEventsPerSec: number;
  pipelineEventsPerSec: number;
  ratio: number;
  /** CPU time per event of each phase (µs): this process (all threads: JS, GC, the embedded engine) and the broker. */
  bareCpu: CpuPerEvent;
  pipelineCpu: CpuPerEvent;
}

export interface PipelineResult {
  /** Events timed per round, after the warm-up events. */
  events: number;
  warm: number;
  /**
   * Rounds in turn, not one long run: on this VM one run's ratio moves by ±0.1
   * with what else the host does, so the median of several is the figure.
   */
  rounds: PipelineRound[];
  medianRatio: number;
}

export interface CpuPerEvent {
  process: number;
  broker: number | null;
  /** Share of the wall time the JS thread was busy (event-loop utilisation, 0–1): near 1, that one thread is the limit. */
  jsBusy: number;
  /** µs per event by thread name (bench/thread-cpu.ts). */
  threads: string;
  /**
   * µs per event of CPU spent meanwhile by the rest of the machine (neither this
   * process nor the broker), and stolen by the hypervisor; null where unknown. The
   * pipeline needs both cores, so CPU taken elsewhere costs it more than the bare consumer.
   */
  elsewhere: number | null;
  steal: number | null;
}

/** CPU seconds so far of this process (every thread) and of the broker process, if known. */
function cpuNow(brokerPid: number | null): { process: number; broker: number | null; elu: EventLoopUtilization; threads: Map<string, number>; machine: ReturnType<typeof machineCpu> } {
  const u = process.cpuUsage();
  let broker: number | null = null;
  if (brokerPid !== null) {
    try {
      // Fields 14 and 15 of /proc/<pid>/stat: utime and stime in clock ticks (100 per second on Linux).
      const fields = readFileSync(`/proc/${brokerPid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      broker = (Number(fields[11]) + Number(fields[12])) / 100;
    } catch (err) {
      log(`broker CPU not readable (${(err as Error).message}); reporting this process only`);
    }
  }
  return { process: (u.user + u.system) / 1e6, broker, elu: performance.eventLoopUtilization(), threads: threadCpu(), machine: machineCpu() };
}

/** CPU per event between two cpuNow() readings. */
function perEvent(a: ReturnType<typeof cpuNow>, b: ReturnType<typeof cpuNow>, events: number): CpuPerEvent {
  return {
    process: ((b.process - a.process) / events) * 1e6,
    broker: a.broker !== null && b.broker !== null ? ((b.broker - a.broker) / events) * 1e6 : null,
    jsBusy: performance.eventLoopUtilization(b.elu, a.elu).utilization,
    threads: threadCpuPerEvent(a.threads, b.threads, events),
    elsewhere: a.machine && b.machine && a.broker !== null && b.broker !== null
      // Clock ticks against microseconds: slightly negative when nothing else ran.
      ? Math.max(0, ((b.machine.busy - a.machine.busy - (b.process - a.process) - (b.broker - a.broker)) / events) * 1e6)
      : null,
    steal: a.machine && b.machine ? ((b.machine.steal - a.machine.steal) / events) * 1e6 : null,
  };
}

interface Phase {
  rate: number;
  cpu: CpuPerEvent;
}

const log = (m: string) => process.stderr.write(`[bench:pipeline] ${m}\n`);

async function produce(kafka: Kafka, config: Config, count: number): Promise<number> {
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  const batch: SqaEvent[] = [];
  let sent = 0;
  const start = Date.UTC(2026, 0, 1);
  for (const e of simulate({ seed: 11, start, durationMs: Infinity, rate: 20_000 })) {
    const v = validateEvent(e.event);
    if (!v.ok) continue;
    batch.push(v.event);
    if (batch.length === 5000) {
      await producer.sendEvents(batch.splice(0));
      sent += 5000;
      if (sent % 50_000 === 0) log(`produced ${sent}/${count}`);
    }
    if (sent >= count) break;
  }
  await producer.close();
  return sent;
}

/**
 * The bare consumer over the whole topic; its clock starts once it has parsed `warm`
 * messages, so that it is timed over the same last `total − warm` messages as the pipeline.
 */
async function bare(kafka: Kafka, topic: string, total: number, warm: number, brokerPid: number | null, profile = true): Promise<Phase> {
  const consumer = kafka.consumer({ groupId: `bare-${randomBytes(3).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let n = 0;
  let n0 = -1;
  let t0 = 0;
  let cpu0 = cpuNow(brokerPid);
  let stopProfile = null as (() => Promise<void>) | null; // set in eachBatch, which TS cannot follow
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset }) => {
      for (const m of batch.messages) {
        JSON.parse(m.value!.toString('utf8'));
        n++;
      }
      resolveOffset(batch.lastOffset());
      if (n0 < 0 && n >= warm) {
        if (profile) stopProfile = await startProfile('bare');
        n0 = n;
        t0 = performance.now();
        cpu0 = cpuNow(brokerPid);
      }
      if (n >= total) done();
    },
  });
  await finished;
  const secs = (performance.now() - t0) / 1000;
  const cpu = perEvent(cpu0, cpuNow(brokerPid), n - n0);
  await stopProfile?.();
  await consumer.disconnect();
  return { rate: (n - n0) / secs, cpu };
}

async function pipeline(kafka: Kafka, config: Config, total: number, warm: number, brokerPid: number | null): Promise<Phase> {
  // A fresh database each run: rows left by earlier runs (the same seed, the same
  // day) would make the engine merge ever larger parts, and runs incomparable.
  const db = await freshBenchDb('bench_pipeline');
  // As deployed (processors/main.ts): threads as configured, metrics instrumented (part of the cost).
  const processor: Processor & Partial<Pick<ProcessorThreads, 'threadStats'>> = createConfiguredProcessor({
    config, brokers: config.kafka.brokers!, kafka, db, registry: new Registry(), resolutionTargetMs: 86_400_000, log: () => {}, onFlushed: () => {},
  });
  const timer = setInterval(() => log(`pipeline handled ${processor.stats().handled}/${total}`), 2000);
  const starting = processor.start();
  // The clock starts once the threads have handled the warm-up events and every
  // thread has its partitions (the first to join consumes alone until the group has
  // rebalanced), counting only what is left. Fresh worker isolates compile kafkajs's
  // and the processors' code while they run: on V8's helper threads that was 0.5–1 µs
  // per event of a cold round, which a processor running for hours does not pay
  // (docs/benchmarks.md, 2026-11-29 11:00).
  const consuming = () => processor.stats().handled >= warm && (processor.threadStats?.().every((s) => s.partitions.length > 0) ?? true);
  while (!consuming()) await new Promise((r) => setTimeout(r, 5));
  const profile = await startProfile('pipeline');
  const started = performance.now();
  const before = processor.stats().handled;
  if (before >= total) throw new Error(`the pipeline handled all ${total} events before every thread had partitions: produce more (SQA_BENCH_EVENTS)`);
  log(`clock started after ${before} events`);
  const cpu0 = cpuNow(brokerPid);
  while (processor.stats().handled < total) await new Promise((r) => setTimeout(r, 20));
  const handledAt = performance.now();
  await processor.flush(true); // the figures are durable only once flushed
  const secs = (performance.now() - started) / 1000;
  log(`all handled after ${((handledAt - started) / 1000).toFixed(2)} s; the final flush took ${Math.round(performance.now() - handledAt)} ms more`);
  const cpu = perEvent(cpu0, cpuNow(brokerPid), total - before);
  await starting;
  await profile?.();
  clearInterval(timer);
  await processor.stop();
  // The embedded engine is left open: chdb's close() never settles, which would let
  // node exit here before the figures are printed. The process ends right after.
  void db;
  return { rate: (total - before) / secs, cpu };
}

/**
 * With SQA_BENCH_CPU_PROFILE=<dir>, CPU profiles of the JS thread over the bare
 * consumer's and the pipeline's phases (not the producing) are written there.
 */
async function startProfile(phase: 'bare' | 'pipeline'): Promise<(() => Promise<void>) | null> {
  const dir = process.env.SQA_BENCH_CPU_PROFILE;
  if (!dir) return null;
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${phase}-${Date.now()}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    log(`CPU profile of the ${phase} phase: ${file}`);
  };
}

/**
 * Besides the rates, the CPU time each phase spends per event, so the 2-core
 * ceiling of the pipeline can be worked out: the bare consumer's cost is one JS
 * thread's, the pipeline's is spread over its JS thread, the engine's threads and the broker.
 */
export async function benchPipeline(brokers: string[], count = 300_000, brokerPid: number | null = null, rounds = 1, warm = 150_000): Promise<PipelineResult> {
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new Error(`pipeline bench: rounds must be a whole number ≥ 1, got ${rounds}`);
  if (!(Number.isInteger(warm) && warm >= 0)) throw new Error(`pipeline bench: warm-up events must be a whole number ≥ 0, got ${warm}`);
  const config = loadConfig({
    KAFKA_BROKERS: brokers.join(','), SQA_TOPIC_PREFIX: `bench${randomBytes(3).toString('hex')}.`,
    SQA_DATA_DIR: resolve('.data', 'bench'), SQA_KAFKA_PARTITIONS: '6', SQA_PROCESSOR_THREADS: process.env.SQA_PROCESSOR_THREADS,
  });
  const kafka = createKafka({ brokers, clientId: 'sqa-bench' });
  await ensureTopics(kafka, config.kafka.topics, config.kafka.partitions);
  // Each round, the bare consumer and the pipeline read the whole topic and are timed
  // over the same last `count` events: the first `warm` compile their code (the bare
  // consumer's first round was 370k events/s against 506–515k when kafkajs's decoding
  // was not compiled yet) and, for the pipeline, form the group.
  const total = await produce(kafka, config, warm + count);
  const events = total - warm;
  // The broker is fresh: its JVM compiles the fetch path on the first reads. Untimed,
  // the bare consumer reads the topic once, so that no round pays for that (in the
  // first round the broker spent 0.4–0.7 µs per pipeline event against 0.14–0.3 in
  // the later ones, on the two cores the pipeline needs; docs/benchmarks.md, 2026-11-29 17:00).
  log('warming the broker up: one untimed read of the topic …');
  await bare(kafka, config.kafka.topics.events, total, 0, brokerPid, false);
  const results: PipelineRound[] = [];
  for (let r = 1; r <= rounds; r++) {
    log(`round ${r}/${rounds}: bare consumer …`);
    const b = await bare(kafka, config.kafka.topics.events, total, warm, brokerPid);
    log(`round ${r}/${rounds}: bare consumer ${Math.round(b.rate)} events/s; pipeline …`);
    // A group of its own each round, so that the processors read the topic from its start again.
    const round = { ...config, kafka: { ...config.kafka, consumerGroup: `${config.kafka.consumerGroup}-${r}` } };
    const p = await pipeline(kafka, round, total, warm, brokerPid);
    log(`round ${r}/${rounds}: pipeline ${Math.round(p.rate)} events/s, ratio ${(p.rate / b.rate).toFixed(2)}`);
    results.push({ bareEventsPerSec: b.rate, pipelineEventsPerSec: p.rate, ratio: p.rate / b.rate, bareCpu: b.cpu, pipelineCpu: p.cpu });
  }
  const ratios = results.map((x) => x.ratio).sort((a, b) => a - b);
  const mid = Math.floor(ratios.length / 2);
  const medianRatio = ratios.length % 2 === 1 ? ratios[mid]! : (ratios[mid - 1]! + ratios[mid]!) / 2;
  return { events, warm, rounds: results, medianRatio };
}
