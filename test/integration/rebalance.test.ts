// Scale-out: two processors in one consumer group split the partitions; one is
// stopped and restarted mid-scenario, so partitions move to the other and back.
// The figures still equal the ground truth. Both members run in this process
// around one embedded engine (chdb allows one engine per process; with
// CLICKHOUSE_URL they would be separate processes, as in docker-compose).
import { afterAll, describe, expect, it } from 'vitest';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { kpis } from '../../dashboard/server/queries/kpis.js';
import { testConfig, testKafka } from '../helpers/kafka.js';
import { makeScenario, produceScenario, expectFiguresMatch } from '../helpers/scenario.js';
import { caughtUp } from '../helpers/processor-child.js';
import { testDb, waitFor } from '../helpers/db.js';

describe('processors in one consumer group', () => {
  const running = new Set<Processor>();
  afterAll(async () => {
    for (const p of running) await p.stop();
  });

  it('hand partitions over on a rebalance without losing or doubling anything', async () => {
    const config = testConfig({ SQA_KAFKA_PARTITIONS: '4', SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '600', SQA_SESSION_TIMEOUT_MS: '6000' });
    const kafka = await testKafka(config);
    const db = await testDb();
    const make = (name: string) => {
      const p = createProcessor({ kafka, db, config, resolutionTargetMs: () => 86_400_000, log: (m) => console.error(`[${name}] ${m}`) });
      running.add(p);
      return p;
    };
    const sc = makeScenario({ seed: 11, durationMs: 20 * 60_000, rate: 40, services: ['voice', 'broadband', 'iptv'], regions: ['north', 'south', 'east'] });
    const n = sc.events.length;

    const a = make('a');
    const b = make('b');
    await Promise.all([a.start(), b.start()]);
    // A member learns it lost partitions only when it rejoins: until then the first to join
    // may still count all four while the other already has its share.
    await waitFor('both members to own partitions, four in all', async () => a.stats().partitions.length > 0 && b.stats().partitions.length > 0
      && a.stats().partitions.length + b.stats().partitions.length === 4, 60_000);
    expect(a.stats().partitions.length + b.stats().partitions.length).toBe(4);

    await produceScenario(kafka, config, sc.events, 0, Math.floor(n * 0.5));
    await waitFor('b to be working', async () => b.stats().handled > 0, 60_000);
    await b.stop();
    running.delete(b);
    await waitFor('a to take over every partition', async () => a.stats().partitions.length === 4, 60_000);
    await produceScenario(kafka, config, sc.events, Math.floor(n * 0.5), Math.floor(n * 0.75));

    const b2 = make('b2');
    await b2.start();
    await waitFor('the restarted member to own partitions again', async () => b2.stats().partitions.length > 0 && a.stats().partitions.length < 4, 60_000);
    await produceScenario(kafka, config, sc.events, Math.floor(n * 0.75), n);
    await waitFor('the group to commit every message', () => caughtUp(kafka, config), 120_000, 500);
    await a.flush(true);
    await b2.flush(true);

    for (const truth of [...sc.truth.scopes, ...sc.truth.services]) {
      const got = await kpis(db, { service: truth.service, region: truth.region, from: sc.from, to: sc.to });
      expectFiguresMatch(got, truth, expect);
    }
  }, 300_000);
});
