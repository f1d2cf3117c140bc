// Issue #6, a broker outage: ingest (the HTTP events route) and a processor run
// against a broker of their own; mid-scenario the broker is stopped for 30 s and
// started again on the same data while both keep running. Ingest answers 503 while
// it is down; the client retries those batches afterwards, in order, as the 503's
// message tells it to; the processor reconnects by itself. Nothing acknowledged
// (202) is lost, nothing is counted twice: the figures read back from ClickHouse
// equal the simulator's ground truth (CONTRACT.md section 4).
import { afterAll, describe, expect, inject, it } from 'vitest';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { Db } from '../../infra/clickhouse/client.js';
import { createApp } from '../../infra/http/create-app.js';
import { createKafka, ensureTopics } from '../../infra/kafka/client.js';
import { startBroker, stopBroker } from '../../infra/kafka/broker.js';
import { loadSlaConfig, resolutionTargetMs } from '../../infra/sla-config.js';
import { eventsRoute } from '../../ingest/events-route.js';
import { createKafkaEventProducer } from '../../ingest/kafka-producer.js';
import { kpis } from '../../dashboard/server/queries/kpis.js';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { createProcessorMetrics } from '../../processors/metrics.js';
import { testConfig } from '../helpers/kafka.js';
import { expectEachValidEventStoredOnce, testDb, waitFor } from '../helpers/db.js';
import { caughtUp } from '../helpers/processor-child.js';
import { expectFiguresMatch, makeScenario } from '../helpers/scenario.js';

const OUTAGE_MS = 30_000;
const BATCH = 250;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('a 30 s broker outage while ingest and a processor run', () => {
  // A broker of its own (port and dir), so stopping it disturbs no other test; its
  // controller takes port + 1, hence the step of 4 from the suite's broker.
  const dir = resolve('.test-data', 'kafka-outage');
  const port = Number(process.env.SQA_TEST_KAFKA_OUTAGE_PORT || inject('kafkaPort') + 4);
  let app: FastifyInstance | null = null;
  let processor: Processor | null = null;
  let db: Db | null = null;
  let closeProducer: (() => Promise<void>) | null = null;

  afterAll(async () => {
    await processor?.stop().catch((err: unknown) => console.error('processor stop:', err));
    await closeProducer?.().catch((err: unknown) => console.error('producer close:', err));
    await app?.close();
    await db?.close();
    await stopBroker({ dir, port });
  });

  it('loses nothing acknowledged, counts nothing twice, and recovers without a restart', async () => {
    rmSync(dir, { recursive: true, force: true });
    await startBroker({ dir, port });
    const config = testConfig({
      KAFKA_BROKERS: `127.0.0.1:${port}`, SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '1000', SQA_SESSION_TIMEOUT_MS: '10000',
    });
    // Ingest fails fast (few retries) so a client hears 503 within seconds, as ingest/main.ts does.
    const ingestKafka = createKafka({ brokers: config.kafka.brokers!, clientId: 'outage-ingest', retries: 3 });
    await ensureTopics(ingestKafka, config.kafka.topics, config.kafka.partitions);
    const producer = createKafkaEventProducer(ingestKafka, config.kafka.topics);
    closeProducer = () => producer.close();
    app = createApp({ config, logger: false }).app;
    await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
    db = await testDb();
    const sla = loadSlaConfig();
    const logs: string[] = [];
    const registry = new Registry();
    processor = createProcessor({
      kafka: createKafka({ brokers: config.kafka.brokers!, clientId: 'outage-processors' }), db, config,
      resolutionTargetMs: (s) => resolutionTargetMs(sla, s), metrics: createProcessorMetrics(registry),
      log: (m) => logs.push(`${new Date().toISOString()} ${m}`),
    });
    await processor.start();

    // 20 minutes of four scopes at 25 events/s, with the simulator's duplicates,
    // out-of-order, late and invalid events.
    const sc = makeScenario({ seed: 606, durationMs: 20 * 60_000, rate: 25 });
    const batches: unknown[][] = [];
    for (let i = 0; i < sc.events.length; i += BATCH) batches.push(sc.events.slice(i, i + BATCH));
    const post = async (b: unknown[]) => app!.inject({ method: 'POST', url: '/api/v1/events', payload: b });

    // Part 1: 40 % of the scenario while the broker is up.
    let next = 0;
    const part1 = Math.floor(batches.length * 0.4);
    for (; next < part1; next++) expect((await post(batches[next]!)).statusCode).toBe(202);
    await waitFor('the processor to handle part of the scenario', async () => processor!.stats().handled > 0, 60_000);

    // The outage: the client keeps sending; every batch is refused with 503 and kept for a retry.
    await stopBroker({ dir, port });
    const downAt = Date.now();
    const refused: unknown[][] = [];
    const answers: number[] = [];
    while (Date.now() - downAt < OUTAGE_MS && next < batches.length) {
      const res = await post(batches[next]!);
      answers.push(res.statusCode);
      expect(res.json()).toMatchObject({ error: 'SQA_E_UNAVAILABLE', details: expect.stringMatching(/^Kafka is unavailable/) });
      refused.push(batches[next++]!);
      await sleep(1000);
    }
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(answers)).toEqual(new Set([503]));
    const statsDuring = processor.stats();
    await sleep(Math.max(0, OUTAGE_MS - (Date.now() - downAt)));
    const outageMs = Date.now() - downAt;

    await startBroker({ dir, port });
    const upAt = Date.now();
    // The client retries the refused batches in their order, then sends the rest.
    let firstAcceptedMs: number | null = null;
    let retries = 0;
    for (const b of [...refused, ...batches.slice(next)]) {
      for (let attempt = 0; ; attempt++) {
        const res = await post(b);
        if (res.statusCode === 202) break;
        expect(res.statusCode).toBe(503);
        expect(attempt, 'ingest still refusing 60 s after the broker came back').toBeLessThan(60);
        retries++;
        await sleep(1000);
      }
      firstAcceptedMs ??= Date.now() - upAt;
    }

    await waitFor('the processor to commit every message', () => caughtUp(ingestKafka, config), 150_000, 500);
    const recoveredMs = Date.now() - upAt;
    // The processor was never restarted by the test: it is the same instance, and it went on handling.
    expect(processor.stats().handled).toBeGreaterThan(statsDuring.handled);

    // Every valid event id reached the raw table once (late ones included: they are kept for drill-down).
    const valid = await expectEachValidEventStoredOnce(db, sc.events, expect);

    for (const truth of sc.truth.scopes) {
      expectFiguresMatch(await kpis(db, { service: truth.service, region: truth.region, from: sc.from, to: sc.to }), truth, expect);
    }
    for (const truth of sc.truth.services) {
      expectFiguresMatch(await kpis(db, { service: truth.service, region: null, from: sc.from, to: sc.to }), truth, expect);
    }
    // The figures docs/reliability.md quotes.
    const crashes = (await registry.getSingleMetric('sqa_consumer_crashes_total')?.get())?.values[0]?.value ?? 0;
    console.log(JSON.stringify({
      consumerCrashes: crashes,
      events: sc.events.length, uniqueValid: valid.size, late: sc.truth.late.length, duplicates: sc.truth.duplicates.length,
      batches: batches.length, refusedBatches: refused.length, retried503: retries, outageMs, firstAcceptedMs, recoveredMs,
      processorLog: logs.filter((l) => !/assigned partitions/.test(l)).slice(0, 20),
    }, null, 1));
  }, 240_000);
});
