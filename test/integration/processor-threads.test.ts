// Processors on worker threads (SQA_PROCESSOR_THREADS): two threads of one process
// split the partitions as two group members, write through the main thread's one
// embedded engine, report their metrics summed and their flushes to the live
// channel, and a thread that dies mid-scenario is started again; the figures still
// equal the ground truth and every valid event is stored once.
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from 'prom-client';
import { validateEvent } from '../../events/schema.js';
import { kpis } from '../../dashboard/server/queries/kpis.js';
import { createProcessorThreads, type ProcessorThreads } from '../../processors/processor-threads.js';
import { testConfig, testKafka } from '../helpers/kafka.js';
import { makeScenario, produceScenario, expectFiguresMatch } from '../helpers/scenario.js';
import { caughtUp } from '../helpers/processor-child.js';
import { expectEachValidEventStoredOnce, testDb, waitFor } from '../helpers/db.js';

/** The value of every series of a metric in Prometheus text, summed. */
function metricSum(text: string, name: string): number {
  return text.split('\n').filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('processors on worker threads', () => {
  let processors: ProcessorThreads | null = null;
  afterAll(async () => {
    await processors?.stop();
  });

  it('split the partitions, sum their metrics, survive a dead thread and give the ground truth', async () => {
    const config = testConfig({ SQA_KAFKA_PARTITIONS: '4', SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '600', SQA_SESSION_TIMEOUT_MS: '6000' });
    const kafka = await testKafka(config);
    const db = await testDb();
    const registry = new Registry();
    const flushed = new Set<string>();
    const logs: string[] = [];
    const p = createProcessorThreads({
      threads: 2, config, brokers: config.kafka.brokers!, db, registry,
      onFlushed: (scopes) => { for (const s of scopes) flushed.add(s); },
      log: (m) => { logs.push(m); console.error(`[threads] ${m}`); },
    });
    processors = p;
    const sc = makeScenario({ seed: 23, durationMs: 20 * 60_000, rate: 40, services: ['voice', 'broadband', 'iptv'], regions: ['north', 'south'] });
    const n = sc.events.length;
    const half = Math.floor(n / 2);

    await p.start();
    // Each partition owned by exactly one thread (a thread learns of a lost partition only
    // when it rejoins, so this may take a rebalance to settle).
    await waitFor('both threads to own partitions, each one once', async () => p.threadStats().every((s) => s.partitions.length > 0)
      && p.stats().partitions.join() === '0,1,2,3', 60_000, 50);

    await produceScenario(kafka, config, sc.events, 0, half);
    await waitFor('the group to commit the first half', () => caughtUp(kafka, config), 120_000, 300);
    // Each thread counts its own messages; the main registry shows their sum, one per
    // message produced (the producer refuses invalid events before the topic).
    const produced = sc.events.slice(0, half).filter((e) => validateEvent(e).ok).length;
    expect(metricSum(await registry.metrics(), 'sqa_processor_events_total')).toBe(produced);
    expect(p.threadStats().every((s) => s.handled > 0)).toBe(true);

    const handledBefore = p.stats().handled;
    await p.terminateThread(1);
    // A dead thread owns nothing (its stats are reset when it exits, before the log line)…
    await waitFor('the thread to be seen dead', async () => logs.some((l) => /\[thread 1\] exited/.test(l)), 10_000, 20);
    // …until its new worker has joined the group and been given partitions again.
    await waitFor('the dead thread to be started again and own partitions', async () => p.threadStats()[1]!.partitions.length > 0
      && p.threadStats()[0]!.partitions.length < 4, 60_000, 50);
    // What the dead worker handled still counts.
    expect(p.stats().handled).toBeGreaterThanOrEqual(handledBefore);
    await produceScenario(kafka, config, sc.events, half, n);
    await waitFor('the group to commit every message', () => caughtUp(kafka, config), 120_000, 300);
    await p.flush(true);

    for (const truth of sc.truth.scopes) {
      expectFiguresMatch(await kpis(db, { service: truth.service, region: truth.region, from: sc.from, to: sc.to }), truth, expect);
    }
    for (const truth of sc.truth.services) {
      expectFiguresMatch(await kpis(db, { service: truth.service, region: null, from: sc.from, to: sc.to }), truth, expect);
    }
    // The live channel heard of every scope.
    expect([...flushed].sort()).toEqual(sc.truth.scopes.map((s) => `${s.service}|${s.region}`).sort());
    // Every valid event id reached the raw table once (late ones included: they are kept for drill-down).
    await expectEachValidEventStoredOnce(db, sc.events, expect);

    await p.stop();
    processors = null;
  }, 300_000);
});
