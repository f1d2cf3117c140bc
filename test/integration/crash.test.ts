// Crash safety: a processor process is killed with SIGKILL at random points of a
// simulator scenario, three times, and restarted on the same data; the figures read
// back from ClickHouse still equal the ground truth exactly (CONTRACT.md section 4).
import { afterAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { createDb } from '../../infra/clickhouse/client.js';
import { kpis } from '../../dashboard/server/queries/kpis.js';
import { testConfig, testKafka } from '../helpers/kafka.js';
import { makeScenario, produceScenario, expectFiguresMatch } from '../helpers/scenario.js';
import { caughtUp, childEnv, startProcessorChild, type ChildProcessor } from '../helpers/processor-child.js';
import { waitFor } from '../helpers/db.js';

// Seeded so a failure can be replayed: the kill delays come from this sequence.
let seed = 20261128;
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

describe('processors killed with SIGKILL', () => {
  const children: ChildProcessor[] = [];
  afterAll(() => {
    for (const c of children) c.proc.kill('SIGKILL');
  });

  it('end with figures equal to the ground truth', async () => {
    const config = testConfig({ SQA_RAW_TTL_DAYS: '3650' });
    const kafka = await testKafka(config);
    // Two processor threads in each process: SIGKILL takes both, and the engine they share.
    const env = { ...childEnv(config), SQA_RAW_TTL_DAYS: '3650', SQA_PROCESSOR_THREADS: '2' };
    const sc = makeScenario({ seed: 7, durationMs: 20 * 60_000, rate: 40 });
    const n = sc.events.length;
    await produceScenario(kafka, config, sc.events, 0, Math.floor(n * 0.4));

    const kills: string[] = [];
    for (let k = 0; k < 3; k++) {
      const child = startProcessorChild(env);
      children.push(child);
      await Promise.race([child.assigned, child.exited.then(() => { throw new Error(`child exited early:\n${child.output()}`); })]);
      const delay = 300 + Math.floor(rand() * 2500);
      await new Promise((r) => setTimeout(r, delay));
      child.proc.kill('SIGKILL');
      await child.exited;
      kills.push(`${delay} ms after assignment`);
      await produceScenario(kafka, config, sc.events, Math.floor(n * (0.4 + 0.2 * k)), Math.floor(n * (0.6 + 0.2 * k)));
    }
    expect(kills).toHaveLength(3);

    const last = startProcessorChild(env);
    children.push(last);
    await waitFor('the processor to commit every message', () => caughtUp(kafka, config), 120_000, 500);
    last.proc.kill('SIGTERM');
    expect(await last.exited).toBe(0);

    const db = createDb({ ...config.clickhouse, path: join(config.dataDir, 'clickhouse') });
    try {
      for (const truth of sc.truth.scopes) {
        const got = await kpis(db, { service: truth.service, region: truth.region, from: sc.from, to: sc.to });
        expectFiguresMatch(got, truth, expect);
      }
      for (const truth of sc.truth.services) {
        const got = await kpis(db, { service: truth.service, region: null, from: sc.from, to: sc.to });
        expectFiguresMatch(got, truth, expect);
      }
    } finally {
      await db.close();
    }
  }, 300_000);
});
