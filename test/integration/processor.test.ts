// The processors end to end on the real broker and the real ClickHouse engine, on a
// small hand-built scenario whose figures are worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Partitioners, type Kafka, type Producer } from 'kafkajs';
import type { Config } from '../../infra/config.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { Registry } from 'prom-client';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { createProcessorMetrics } from '../../processors/metrics.js';
import { readTopics, testConfig, testKafka } from '../helpers/kafka.js';
import { rows, storedRawIds, testDb, waitFor } from '../helpers/db.js';

const T0 = Date.UTC(2026, 2, 1, 10, 0, 0); // 10:00:00
const at = (m: number, s = 0) => T0 + m * 60_000 + s * 1000;
const scope = { service: 'voice', region: 'north' };
const probe = (id: string, ts: number, latencyMs?: number) => ({ id, type: 'probe', ts, ...scope, ok: latencyMs !== undefined, ...(latencyMs !== undefined ? { latencyMs } : {}) });
const alarm = (id: string, alarmId: string, state: string, ts: number, severity = 'critical') => ({ id, type: 'alarm', ts, ...scope, alarmId, state, severity, serviceAffecting: true });
const ticket = (id: string, state: string, ts: number) => ({ id, type: 'complaint', ts, ...scope, ticketId: 'T1', state, ...(state === 'opened' ? { category: 'network' } : {}) });
const survey = (id: string, scale: string, score: number) => ({ id, type: 'survey', ts: at(2), ...scope, scale, score });

// Arrival order matters: B's clear comes before its raise, p1 is sent twice, and the
// 10:10 probe arrives after 10:20 (watermark 10:18) so it is late.
const scenario: unknown[] = [
  probe('p1', at(0, 10), 10), probe('p2', at(0, 20), 20), probe('p3', at(0, 30)), probe('p1', at(0, 10), 10),
  alarm('a1', 'A', 'raised', at(0)), ticket('t1', 'opened', at(1)), probe('p4', at(1, 5), 30), ticket('t2', 'acknowledged', at(1, 30)),
  alarm('a2', 'A', 'acknowledged', at(2)), survey('s1', 'nps', 9), survey('s2', 'nps', 6), survey('s3', 'nps', 8),
  survey('s4', 'csat', 4), survey('s5', 'csat', 2),
  alarm('b2', 'B', 'cleared', at(4), 'major'), alarm('b1', 'B', 'raised', at(3), 'major'),
  ticket('t3', 'resolved', at(4)), alarm('a3', 'A', 'cleared', at(5)),
  probe('p5', at(20), 40), probe('late', at(10), 50),
];

describe('processors on the real broker and ClickHouse engine', () => {
  let config: Config;
  let kafka: Kafka;
  let db: Db;
  let producer: Producer;
  let processor: Processor;
  const registry = new Registry();

  beforeAll(async () => {
    config = testConfig({ SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '500' });
    kafka = await testKafka(config);
    db = await testDb();
    producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    processor = createProcessor({ kafka, db, config, resolutionTargetMs: () => 24 * 3_600_000, metrics: createProcessorMetrics(registry) });
    await processor.start();
  });
  afterAll(async () => {
    await processor?.stop();
    await producer?.disconnect();
    await db?.close();
  });

  it('computes the hand-worked figures, dead-letters late and malformed input, and keeps raw events', async () => {
    await producer.send({ topic: config.kafka.topics.events, acks: -1, messages: scenario.map((e) => ({ key: 'voice|north', value: JSON.stringify(e) })) });
    await producer.send({ topic: config.kafka.topics.events, acks: -1, messages: [{ key: 'voice|north', value: '{"id": "x", not json' }, { key: 'voice|north', value: JSON.stringify({ ...probe('bad', at(20)), latencyMs: -5, ok: true }) }] });

    const t = db.t('rollup_1h');
    const [hour] = await waitFor('the 10:00 hour rollup with all probes', async () => {
      const r = await rows<Record<string, number | string>>(db, `SELECT * FROM ${t} FINAL WHERE service = 'voice' AND region = 'north'`);
      return r.length === 1 && Number(r[0]!.probes) === 5 ? r : null;
    });
    // Hour 10:00–11:00: probes p1 p2 p3 p4 p5 (p1's repeat counted once, the late one not) = 5, ok = 4.
    // Faults: A raised 10:00 and B raised 10:03 → 2. MTTR: A 10:00→10:05 = 300 s, B 10:03→10:04 = 60 s → sum 360 000 ms over 2.
    // MTTA: A 10:00→10:02 = 120 000 ms. Ticket: opened 10:01, ack 10:01:30 → 30 000 ms, resolved 10:04 → 180 000 ms, within 24 h.
    // NPS: 9 promoter, 6 detractor, 8 passive → 3 responses. CSAT: 4 satisfied of 2.
    expect(hour).toMatchObject({
      probes: 5, probes_ok: 4, faults: 2, mttr_sum_ms: 360000, mttr_count: 2, mtta_sum_ms: 120000, mtta_count: 1,
      opened_network: 1, opened_billing: 0, response_sum_ms: 30000, response_count: 1,
      resolution_sum_ms: 180000, resolution_count: 1, resolved_timely: 1,
      nps_responses: 3, nps_promoters: 1, nps_detractors: 1, csat_responses: 2, csat_satisfied: 1,
    });
    expect(hour!.start).toBe('2026-03-01 10:00:00');

    const minutes = await rows<{ start: string; probes: number; probes_ok: number; faults: number; mttr_sum_ms: number; final: number }>(db,
      `SELECT start, probes, probes_ok, faults, mttr_sum_ms, final FROM ${db.t('rollup_1m')} FINAL WHERE service = 'voice' ORDER BY start`);
    // 10:00 holds p1 p2 p3 and A's raise; 10:04 B's clear (60 s); 10:05 A's clear (300 s).
    expect(minutes.find((m) => m.start === '2026-03-01 10:00:00')).toMatchObject({ probes: 3, probes_ok: 2, faults: 1, final: 1 });
    expect(minutes.find((m) => m.start === '2026-03-01 10:04:00')).toMatchObject({ mttr_sum_ms: 60000 });
    expect(minutes.find((m) => m.start === '2026-03-01 10:05:00')).toMatchObject({ mttr_sum_ms: 300000 });
    // Windows up to the watermark (10:20 − 2 min = 10:18) are final; 10:20 is still open.
    expect(minutes.find((m) => m.start === '2026-03-01 10:20:00')).toMatchObject({ probes: 1, final: 0 });

    const alarms = await rows<{ alarm_id: string; raised: string; acked: string | null; cleared: string | null; outage: number }>(db,
      `SELECT alarm_id, raised, acked, cleared, outage FROM ${db.t('alarms')} FINAL ORDER BY alarm_id`);
    expect(alarms).toEqual([
      { alarm_id: 'A', raised: '2026-03-01 10:00:00.000', acked: '2026-03-01 10:02:00.000', cleared: '2026-03-01 10:05:00.000', outage: 1 },
      { alarm_id: 'B', raised: '2026-03-01 10:03:00.000', acked: null, cleared: '2026-03-01 10:04:00.000', outage: 1 },
    ]);

    // 20 messages in the scenario, one a repeat of p1 → 19 distinct valid events kept for drill-down (the late one too).
    const raw = await waitFor('raw events', async () => {
      const ids = await storedRawIds(db);
      return ids.length === 19 ? ids : null;
    });
    expect(new Set(raw).size).toBe(19);

    const dlq = await readTopics(kafka, [config.kafka.topics.dlq], 3);
    const reasons = dlq.map((m) => JSON.parse(m.value).reason as string).sort();
    expect(reasons).toHaveLength(3);
    expect(reasons[0]).toBe('late');
    expect(reasons[1]).toBe('latencyMs: must be >= 0');
    expect(reasons[2]).toMatch(/^message: invalid JSON/);
    expect(JSON.parse(dlq.find((m) => JSON.parse(m.value).reason === 'late')!.value).raw.id).toBe('late');

    // Outcomes of the 22 messages: 18 applied, p1's repeat, the late probe, the two malformed ones.
    const counted = (await registry.getSingleMetric('sqa_processor_events_total')!.get()).values;
    expect(Object.fromEntries(counted.map((v) => [v.labels.outcome, v.value]))).toEqual({ applied: 18, duplicate: 1, late: 1, invalid: 2 });
  });

  it('commits offsets once the state that includes them is durable', async () => {
    await processor.flush(true);
    const admin = kafka.admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: config.kafka.consumerGroup, topics: [config.kafka.topics.events] });
      const ends = await admin.fetchTopicOffsets(config.kafka.topics.events);
      const byPartition = new Map(ends.map((e) => [e.partition, e.high]));
      for (const p of committed[0]!.partitions) expect(p.offset === '-1' ? '0' : p.offset).toBe(byPartition.get(p.partition));
      const state = await rows<{ scope: string; offset: string }>(db, `SELECT scope, offset FROM ${db.t('processor_state')} FINAL`);
      expect(state.map((s) => s.scope)).toEqual(['voice|north']);
    } finally {
      await admin.disconnect();
    }
  });
});
