// POST /api/v1/events against the real broker: valid events reach sqa.events with
// their scope key, rejected ones reach sqa.dlq with the reason, and the answer lists
// them by index. A stopped broker gives 503, never a silent 202.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import { createApp } from '../../infra/http/create-app.js';
import { createKafka, ensureTopics } from '../../infra/kafka/client.js';
import { startBroker, stopBroker } from '../../infra/kafka/broker.js';
import { eventsRoute } from '../../ingest/events-route.js';
import { createKafkaEventProducer } from '../../ingest/kafka-producer.js';
import type { Config } from '../../infra/config.js';
import { readTopics, testConfig, testKafka } from '../helpers/kafka.js';

const T = '2026-03-01T10:00:00Z';
const probe = (id: string, region = 'north') => ({ id, type: 'probe', ts: T, service: 'voice', region, ok: true, latencyMs: 12.5 });

async function buildApp(config: Config, kafka: Kafka) {
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  const { app } = createApp({ config, logger: false });
  await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
  return { app, producer };
}

describe('ingest against the real broker', () => {
  let config: Config;
  let kafka: Kafka;
  let app: FastifyInstance;
  let close: () => Promise<void>;

  beforeAll(async () => {
    config = testConfig({ SQA_TOKENS: 'secret-ingest:ingest,secret-read:read', SQA_MAX_BODY_BYTES: '20000' });
    kafka = await testKafka(config);
    const built = await buildApp(config, kafka);
    app = built.app;
    close = () => built.producer.close();
  });
  afterAll(async () => {
    await close();
    await app.close();
  });

  const auth = { authorization: 'Bearer secret-ingest' };

  it('forwards exactly the valid events, dead-letters the invalid ones and lists them by index', async () => {
    const body = [
      probe('e1'),
      { ...probe('e2', 'south'), latencyMs: -1 }, // invalid: latencyMs < 0
      probe('e1'), // same id again in the batch: forwarded once
      { id: 'e3', type: 'alarm', ts: 1772359200000, service: 'voice', region: 'north', alarmId: 'a1', state: 'raised', severity: 'critical' },
      { id: 'e4', type: 'survey', ts: T, service: 'voice', region: 'north', scale: 'csat', score: 0 }, // invalid: csat 1..5
      'not an object',
    ];
    const res = await app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload: body });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 3,
      duplicates: [2],
      rejected: [
        { index: 1, reason: 'latencyMs: must be >= 0' },
        { index: 4, reason: 'score: must be an integer from 1 to 5 on the csat scale' },
        { index: 5, reason: 'event: must be a JSON object' },
      ],
    });

    const nd = [JSON.stringify(probe('n1', 'east')), '{"id": broken', JSON.stringify({ ...probe('n2'), ok: true, latencyMs: undefined })].join('\n');
    const res2 = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { ...auth, 'content-type': 'application/x-ndjson' }, payload: nd });
    expect(res2.statusCode).toBe(202);
    const r2 = res2.json();
    expect(r2.accepted).toBe(1);
    expect(r2.rejected.map((r: { index: number }) => r.index)).toEqual([1, 2]);
    expect(r2.rejected[0].reason).toMatch(/^line 2: invalid JSON/);
    expect(r2.rejected[1].reason).toBe('latencyMs: required when ok is true');

    const msgs = await readTopics(kafka, [config.kafka.topics.events, config.kafka.topics.dlq], 7);
    const events = msgs.filter((m) => m.topic === config.kafka.topics.events);
    const dlq = msgs.filter((m) => m.topic === config.kafka.topics.dlq);
    expect(events.map((m) => [JSON.parse(m.value).id, m.key]).sort()).toEqual([
      ['e1', 'voice|north'], ['e3', 'voice|north'], ['n1', 'voice|east'],
    ]);
    // Normalised on the way in: epoch-ms time, serviceAffecting defaulted.
    const alarm = JSON.parse(events.find((m) => JSON.parse(m.value).id === 'e3')!.value);
    expect(alarm).toMatchObject({ ts: 1772359200000, serviceAffecting: true });
    expect(JSON.parse(events.find((m) => JSON.parse(m.value).id === 'e1')!.value).ts).toBe(Date.parse(T));
    const reasons = dlq.map((m) => JSON.parse(m.value).reason as string);
    expect(reasons.filter((r) => !r.startsWith('line 2: invalid JSON')).sort()).toEqual([
      'event: must be a JSON object',
      'latencyMs: must be >= 0',
      'latencyMs: required when ok is true',
      'score: must be an integer from 1 to 5 on the csat scale',
    ]);
    expect(reasons.filter((r) => r.startsWith('line 2: invalid JSON'))).toHaveLength(1);
    expect(dlq.find((m) => JSON.parse(m.value).reason === 'latencyMs: must be >= 0')!.value).toContain('"e2"');
  });

  it('refuses malformed JSON naming the position, a non-array body, and an oversized body', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { ...auth, 'content-type': 'application/json' }, payload: '[{"id": 1,]' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('SQA_E_BAD_REQUEST');
    expect(bad.json().details).toMatch(/^body: invalid JSON: .*position 10/);
    const obj = await app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload: probe('x') });
    expect(obj.statusCode).toBe(400);
    expect(obj.json().details).toMatch(/^body: must be a JSON array/);
    const big = await app.inject({ method: 'POST', url: '/api/v1/events', headers: auth, payload: Array.from({ length: 300 }, (_, i) => probe(`b${i}`)) });
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toBe('SQA_E_BODY_TOO_LARGE');
  });

  it('needs an ingest token when tokens are configured', async () => {
    const none = await app.inject({ method: 'POST', url: '/api/v1/events', payload: [probe('a')] });
    expect(none.statusCode).toBe(401);
    const wrong = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: 'Bearer nope' }, payload: [probe('a')] });
    expect(wrong.statusCode).toBe(401);
    const readOnly = await app.inject({ method: 'POST', url: '/api/v1/events', headers: { authorization: 'Bearer secret-read' }, payload: [probe('a')] });
    expect(readOnly.statusCode).toBe(403);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
  });
});

describe('ingest when the broker stops', () => {
  // A broker of its own, so stopping it does not disturb the tests sharing the main one.
  // Default heap (512 MiB): with 256 MiB one CI run saw it die of OutOfMemoryError while
  // starting its LogManager.
  const dir = resolve('.test-data', 'kafka-stop');
  const port = Number(process.env.SQA_TEST_KAFKA_STOP_PORT || 19192);

  it('answers 503 with a clear message, and 202 again after a restart', async () => {
    rmSync(dir, { recursive: true, force: true });
    await startBroker({ dir, port });
    try {
      const config = testConfig({ KAFKA_BROKERS: `127.0.0.1:${port}` });
      const kafka = createKafka({ brokers: config.kafka.brokers!, clientId: 'stop-test', retries: 1 });
      await ensureTopics(kafka, config.kafka.topics, 1);
      const { app, producer } = await buildApp(config, kafka);
      const ok = await app.inject({ method: 'POST', url: '/api/v1/events', payload: [probe('s1')] });
      expect(ok.statusCode).toBe(202);

      await stopBroker({ dir, port });
      const down = await app.inject({ method: 'POST', url: '/api/v1/events', payload: [probe('s2')] });
      expect(down.statusCode).toBe(503);
      expect(down.json()).toMatchObject({ error: 'SQA_E_UNAVAILABLE', details: expect.stringMatching(/^Kafka is unavailable/) });

      await startBroker({ dir, port });
      let again = 0;
      for (let i = 0; i < 30 && again !== 202; i++) {
        again = (await app.inject({ method: 'POST', url: '/api/v1/events', payload: [probe('s3')] })).statusCode;
        if (again !== 202) await new Promise((r) => setTimeout(r, 1000));
      }
      expect(again).toBe(202);
      await producer.close().catch((err: unknown) => console.error('producer close after restart:', err));
      await app.close();
    } finally {
      await stopBroker({ dir, port });
    }
  }, 180_000);
});
