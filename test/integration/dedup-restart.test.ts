// Remembered ids across a restart with incremental id snapshots (docs/processors.md,
// "Remembered ids"): a snapshot after a rotation writes only the new ids; a snapshot
// whose state row failed is retried; one whose state row never landed leaves its
// segments behind, which the next owner ignores. Ids seen before the last durable
// snapshot are still duplicates after the restart. Real broker, real engine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { ClickHouseClient } from '@clickhouse/client';
import { Registry } from 'prom-client';
import type { Config } from '../../infra/config.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { createProcessorMetrics } from '../../processors/metrics.js';
import { testConfig, testKafka } from '../helpers/kafka.js';
import { rows, testDb, waitFor } from '../helpers/db.js';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
const scope = { service: 'voice', region: 'north' };
const probe = (id: string, ts: number) => ({ id, type: 'probe', ts, ...scope, ok: true, latencyMs: 10 });
const batch = (name: string, n: number, from: number, stepMs: number) => Array.from({ length: n }, (_, i) => probe(`${name}-${i}`, from + i * stepMs));
// d1: 10:00:00–10:00:59.8; d2: 10:02:30–10:02:59.9 (watermark 10:00:30 passes the first
// rotation's mark, 10:00:00: d1's ids become the previous generation); d3: 10:03:00–10:03:09.9.
const d1 = batch('d1', 300, T0, 200);
const d2 = batch('d2', 300, T0 + 150_000, 100);
const d3 = batch('d3', 100, T0 + 180_000, 100);

/** The store adapter with a switch that refuses inserts into processor_state. */
function stateRowsFailing(db: Db) {
  const state = { failing: 0 };
  const client = new Proxy(db.client, {
    get(target, prop, receiver) {
      if (prop === 'insert') {
        return async (args: Parameters<ClickHouseClient['insert']>[0]) => {
          if (state.failing > 0 && args.table.endsWith('.processor_state')) {
            state.failing--;
            throw new Error('injected processor_state write failure');
          }
          return target.insert(args);
        };
      }
      const v: unknown = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  return { db: { ...db, client } as Db, state };
}

describe('remembered ids across a restart, incremental snapshots', () => {
  let config: Config;
  let kafka: Kafka;
  let db: Db;
  let producer: Producer;
  const started: Processor[] = [];

  beforeAll(async () => {
    // No timed snapshots: the test takes each one itself.
    config = testConfig({ SQA_FLUSH_MS: '100000', SQA_SNAPSHOT_MS: '100000' });
    kafka = await testKafka(config);
    db = await testDb();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  });
  afterAll(async () => {
    for (const p of started) await p.stop().catch(() => undefined);
    await producer?.disconnect();
    await db?.close();
  });

  const send = (events: unknown[]) =>
    producer.send({ topic: config.kafka.topics.events, acks: -1, messages: events.map((e) => ({ key: 'voice|north', value: JSON.stringify(e) })) });

  function start(store: Db, registry = new Registry()): { processor: Processor; metrics: ReturnType<typeof createProcessorMetrics> } {
    const metrics = createProcessorMetrics(registry);
    const processor = createProcessor({ kafka, db: store, config, resolutionTargetMs: () => 86_400_000, metrics, log: () => {} });
    started.push(processor);
    return { processor, metrics };
  }

  const handled = (p: Processor, n: number) => waitFor(`${n} messages handled`, async () => p.stats().handled >= n, 60_000);
  const outcomes = async (m: ReturnType<typeof createProcessorMetrics>) =>
    Object.fromEntries((await m.events.get()).values.map((v) => [v.labels.outcome, v.value]));
  /** Per generation: [generation, segments, bytes]. */
  const segments = async () => (await rows<{ generation: string; n: string; bytes: string }>(db,
    `SELECT generation, count() AS n, sum(length(units)) AS bytes FROM ${db.t('processor_ids')} FINAL WHERE scope = 'voice|north' GROUP BY generation ORDER BY generation`))
    .map((g) => [Number(g.generation), Number(g.n), Number(g.bytes)]);

  it('suppresses duplicates of ids seen before the last durable snapshot, after a restart', async () => {
    const flaky = stateRowsFailing(db);
    const a = start(flaky.db);
    await a.processor.start();

    await send(d1);
    await handled(a.processor, 300);
    await a.processor.flush(true);
    // Snapshot 1: generation 0 holds d1-0 alone (the first advance rotates), generation 1 the rest.
    // Each unit is one byte: an id's length, then its characters ('d1-0' → 5 bytes).
    const first = await segments();
    expect(first.map((g) => g.slice(0, 2))).toEqual([[0, 1], [1, 1]]);
    expect(first[0]![2]).toBe(5);

    await send(d2);
    await handled(a.processor, 600);
    // Snapshot 2's state row fails once; the retry writes it. Its segments: only d2's ids,
    // generation 1 is not written again.
    flaky.state.failing = 1;
    await expect(a.processor.flush(true)).rejects.toThrow(/injected/);
    await a.processor.flush(true);
    const second = await segments();
    // d2-0 is added before its event moves the watermark (the rotation): generation 1 gains a
    // segment of its 5 bytes. d2-1 … d2-299 (9, 90 and 200 ids of 4, 5 and 6 characters, each
    // after its length unit) → 9·5 + 90·6 + 200·7 = 1,985 bytes in generation 2.
    expect(second).toEqual([[0, 1, 5], [1, 2, first[1]![2]! + 5], [2, 1, 1985]]);

    // d3 arrives; its snapshot's segments land but its state row never does, and the process goes.
    await send(d3);
    await handled(a.processor, 700);
    flaky.state.failing = 1_000;
    await expect(a.processor.flush(true)).rejects.toThrow(/injected/);
    expect((await segments())[2]!.slice(0, 2)).toEqual([2, 2]);
    await a.processor.stop();

    // The next owner restores snapshot 2 (ignoring d3's orphan segment) and replays d3.
    const b = start(db);
    await b.processor.start();
    await handled(b.processor, 100);
    // Every id again (all seen before the last durable snapshot, or replayed since), and ten new ones.
    // None of d2 and d3 is late (newest 10:03:09.9 → watermark 10:01:09.9); forgotten, they would count again.
    const fresh = batch('new', 10, T0 + 190_000, 100);
    await send([...d1, ...d2, ...d3, ...fresh]);
    await handled(b.processor, 100 + 710);
    // d1-0 alone is forgotten (generation 0 went at the rotation) and late, as in a run without restart.
    expect(await outcomes(b.metrics)).toMatchObject({ applied: 100 + 10, duplicate: 699, late: 1 });
    await b.processor.flush(true);
    // Hour 10:00: 300 + 300 + 100 + 10 distinct probes.
    const hour = await waitFor('the hour rollup', async () => {
      const r = await rows<{ probes: string }>(db, `SELECT probes FROM ${db.t('rollup_1h')} FINAL WHERE service = 'voice' AND region = 'north'`);
      return r.length === 1 ? r : null;
    });
    expect(Number(hour[0]!.probes)).toBe(710);
  });
});
