// The whole pipeline on a simulator scenario file: events go in through HTTP ingest
// (JSON arrays and NDJSON), through the real broker and processors, into the real
// ClickHouse engine, and come back out of GET /api/v1/kpis equal to the ground truth
// the simulator wrote beside them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Registry } from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { Kafka } from 'kafkajs';
import type { Config } from '../../infra/config.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig, resolutionTargetMs } from '../../infra/sla-config.js';
import { eventsRoute } from '../../ingest/events-route.js';
import { createKafkaEventProducer } from '../../ingest/kafka-producer.js';
import { writeScenario, readScenarioEvents, readScenarioTruth, type ScenarioTruthFile } from '../../ingest/simulator/scenario-file.js';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { registerDashboard, createLiveSource } from '../../dashboard/server/app.js';
import { testConfig, testKafka } from '../helpers/kafka.js';
import { testDb, waitFor } from '../helpers/db.js';
import { caughtUp } from '../helpers/processor-child.js';
import { expectFiguresMatch } from '../helpers/scenario.js';

describe('a simulator scenario through the whole pipeline', () => {
  let config: Config;
  let kafka: Kafka;
  let db: Db;
  let app: FastifyInstance;
  let processor: Processor;
  let scenario: ScenarioTruthFile;
  let events: unknown[];

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sqa-scenario-'));
    await writeScenario(dir, {
      seed: 3, start: Date.UTC(2026, 6, 1, 12, 0), durationMs: 15 * 60_000, rate: 30,
      services: ['mobile-data', 'sms'], regions: ['west', 'east'], incidentsPerHour: 8, complaintsPerHour: 40, surveysPerHour: 40,
      faults: { duplicateRate: 0.02, outOfOrderRate: 0.03, lateRate: 0.003, invalidRate: 0.003 },
    }, loadSlaConfig(), { log: () => {} });
    scenario = await readScenarioTruth(dir);
    events = [];
    for await (const e of readScenarioEvents(dir)) events.push(e);

    config = testConfig({ SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '600', SQA_TOKENS: 'feed:ingest,viewer:read' });
    kafka = await testKafka(config);
    db = await testDb();
    const built = createApp({ config, logger: false });
    app = built.app;
    const producer = createKafkaEventProducer(kafka, config.kafka.topics);
    await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
    app.addHook('onClose', () => producer.close());
    const registry = new Registry();
    await registerDashboard(app, { db, sla: loadSlaConfig(), registry, liveSource: createLiveSource({ db, registry }), tokens: config.tokens, webRoot: null });
    await app.ready();
    const sla = loadSlaConfig();
    processor = createProcessor({ kafka, db, config, resolutionTargetMs: (s) => resolutionTargetMs(sla, s) });
    await processor.start();
  });
  afterAll(async () => {
    await processor?.stop();
    await app?.close();
  });

  it('ingests the scenario and answers the ground truth from /api/v1/kpis', async () => {
    let rejected = 0;
    for (let i = 0; i < events.length; i += 500) {
      const batch = events.slice(i, i + 500);
      // Every other batch as NDJSON: both body forms must give the same result.
      const ndjson = (i / 500) % 2 === 1;
      const res = await app.inject({
        method: 'POST', url: '/api/v1/events',
        headers: { authorization: 'Bearer feed', 'content-type': ndjson ? 'application/x-ndjson' : 'application/json' },
        payload: ndjson ? batch.map((e) => JSON.stringify(e)).join('\n') : JSON.stringify(batch),
      });
      expect(res.statusCode).toBe(202);
      rejected += res.json().rejected.length;
    }
    expect(rejected).toBe(scenario.truth.invalid);
    await waitFor('the processors to commit every message', () => caughtUp(kafka, config), 120_000, 500);
    await processor.flush(true);

    const from = scenario.from;
    const to = scenario.to;
    for (const truth of [...scenario.truth.scopes, ...scenario.truth.services]) {
      const q = new URLSearchParams({ service: truth.service, from, to, ...(truth.region ? { region: truth.region } : {}) });
      const res = await app.inject({ method: 'GET', url: `/api/v1/kpis?${q}`, headers: { authorization: 'Bearer viewer' } });
      expect(res.statusCode, res.body).toBe(200);
      expectFiguresMatch(res.json(), truth, expect);
    }
  }, 240_000);
});
