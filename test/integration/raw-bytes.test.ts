// Garbage produced straight onto sqa.events (issue #6 item 2), interleaved with a
// simulator scenario in the same partitions: random bytes, invalid UTF-8, text
// that is not JSON, JSON that is not an event, events with bad fields, empty and
// null values, deep nesting, a near-1 MB message. The processors dead-letter each
// bad message with a reason and go on; the figures of the valid events equal the
// simulator's independent ground truth.
import fc from 'fast-check';
import { Partitioners, type Kafka, type Message } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpis } from '../../dashboard/server/queries/kpis.js';
import type { Db } from '../../infra/clickhouse/client.js';
import type { Config } from '../../infra/config.js';
import { MAX_DEAD_LETTER_BYTES } from '../../infra/kafka/dead-letter.js';
import { loadSlaConfig, resolutionTargetMs } from '../../infra/sla-config.js';
import { createProcessor, type Processor } from '../../processors/processor.js';
import { invalidEvent } from '../helpers/event-arbitraries.js';
import { storedRawIds, testDb, waitFor } from '../helpers/db.js';
import { readTopics, testConfig, testKafka } from '../helpers/kafka.js';
import { caughtUp } from '../helpers/processor-child.js';
import { expectFiguresMatch, makeScenario } from '../helpers/scenario.js';

interface Garbage {
  key: string | null;
  value: Buffer | null;
  /** The reason its dead letter must give. */
  reason: RegExp;
}

const exactly = (s: string) => new RegExp(`^${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

const scenario = makeScenario({ seed: 606, durationMs: 10 * 60_000, rate: 10 });
const scopes = [...new Set(scenario.truth.scopes.map((s) => `${s.service}|${s.region}`))];
const [service, region] = scopes[0]!.split('|') as [string, string];
// A probe of a real scope: accepted by mistake, it would change that scope's figures.
const probeRest = (extra = '') => `${extra},"type":"probe","ts":${scenario.from + 90_000},"service":"${service}","region":"${region}","ok":true,"latencyMs":1}`;
const probeJson = (id: string, extra = '') => `{"id":"${id}"${probeRest(extra)}`;

const garbage: fc.Arbitrary<Garbage> = fc.tuple(fc.constantFrom(...scopes, null), fc.oneof(
  // Random bytes, made invalid UTF-8 by a lone continuation byte.
  fc.uint8Array({ maxLength: 300 }).map((b) => ({ value: Buffer.concat([Buffer.from([0x80]), b]), reason: exactly('message: not valid UTF-8') })),
  // A well-formed probe but for an invalid byte sequence inside its id.
  fc.constantFrom([0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xf8, 0x88, 0x80, 0x80, 0x80]).map((bad) => ({
    value: Buffer.concat([Buffer.from('{"id":"utf8-'), Buffer.from(bad), Buffer.from(`"${probeRest()}`)]),
    reason: exactly('message: not valid UTF-8'),
  })),
  fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ value: Buffer.from(`#${s}`), reason: /^message: invalid JSON: \S/ })),
  fc.jsonValue({ maxDepth: 3 }).filter((j) => typeof j !== 'object' || j === null || Array.isArray(j))
    .map((j) => ({ value: Buffer.from(JSON.stringify(j)), reason: exactly('event: must be a JSON object') })),
  fc.dictionary(fc.string({ maxLength: 8 }).filter((k) => k !== 'type'), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 5 })
    .map((d) => ({ value: Buffer.from(JSON.stringify(d)), reason: exactly('type: required') })),
  // attrs may name the label at fault (attrs.site: …).
  invalidEvent.map((c) => ({ value: Buffer.from(JSON.stringify(c.raw)), reason: new RegExp(`^${c.field}(\\.[^:]*)?: \\S`) })),
  fc.constant({ value: Buffer.alloc(0), reason: /^message: invalid JSON: \S/ }),
  fc.constant({ value: null, reason: /^message: invalid JSON: \S/ }),
  fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => ({ value: Buffer.from(probeJson(`\\u${c.toString(16)}`)), reason: exactly('id: must be well-formed Unicode (it holds a lone surrogate)') })),
  fc.integer({ min: 10_000, max: 200_000 }).map((n) => ({ value: Buffer.from(probeJson('deep', `,"attrs":{"a":${'['.repeat(n)}${']'.repeat(n)}}`)), reason: exactly('attrs.a: must be string') })),
)).map(([key, g]) => ({ key, ...g }));

// 300 pieces of garbage, reproducible (fast-check's seed), plus a few big ones:
// near the broker's 1 MiB message limit, each would overflow a batch of dead letters.
const junk: Garbage[] = [
  ...fc.sample(garbage, { numRuns: 300, seed: 606 }),
  ...Array.from({ length: 4 }, (_, i) => ({ key: scopes[i % scopes.length]!, value: Buffer.from(probeJson(`big${i}`, `,"element":"${'e'.repeat(900_000)}"`)), reason: exactly('element: must NOT have more than 128 characters') })),
];

describe('raw garbage on the events topic', () => {
  let config: Config;
  let kafka: Kafka;
  let db: Db;
  let processor: Processor;

  beforeAll(async () => {
    config = testConfig({ SQA_FLUSH_MS: '200', SQA_SNAPSHOT_MS: '500' });
    kafka = await testKafka(config);
    db = await testDb();
    const sla = loadSlaConfig();
    processor = createProcessor({ kafka, db, config, resolutionTargetMs: (s) => resolutionTargetMs(sla, s), log: () => {} });
    await processor.start();
  });
  afterAll(async () => {
    await processor?.stop();
    await db?.close();
  });

  it('is dead-lettered message by message while the valid events give the ground truth', async () => {
    // Garbage after every ~20th event, in the partitions of the scopes it names.
    const messages: Message[] = [];
    const every = Math.floor(scenario.events.length / junk.length);
    scenario.events.forEach((e, i) => {
      const o = e as { service?: unknown; region?: unknown };
      messages.push({ key: typeof o.service === 'string' && typeof o.region === 'string' ? `${o.service}|${o.region}` : null, value: JSON.stringify(e) });
      const g = junk[i / every];
      if (i % every === 0 && g) messages.push({ key: g.key, value: g.value });
    });
    expect(messages.length).toBe(scenario.events.length + junk.length);
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
    try {
      // Batches of 200, a big message alone: the producer would not split a batch over 1 MiB.
      let batch: Message[] = [];
      const send = async () => {
        if (batch.length > 0) await producer.send({ topic: config.kafka.topics.events, acks: -1, messages: batch });
        batch = [];
      };
      for (const m of messages) {
        const big = (m.value?.length ?? 0) > 100_000;
        if (big || batch.length >= 200) await send();
        batch.push(m);
        if (big) await send();
      }
      await send();
    } finally {
      await producer.disconnect();
    }

    await waitFor('the processor to commit every message', () => caughtUp(kafka, config), 180_000, 500);
    expect(processor.stats().handled).toBe(messages.length);

    for (const truth of [...scenario.truth.scopes, ...scenario.truth.services]) {
      expectFiguresMatch(await kpis(db, { service: truth.service, region: truth.region, from: scenario.from, to: scenario.to }), truth, expect);
    }
    // None of the garbage became a raw event either.
    const stored = await storedRawIds(db);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored.filter((id) => id.startsWith('utf8-') || id.startsWith('big') || id === 'deep')).toEqual([]);

    // One dead letter per bad message: the garbage, the scenario's own invalid events, its late ones.
    const expected = junk.length + scenario.truth.invalid + scenario.truth.late.length;
    const letters = (await readTopics(kafka, [config.kafka.topics.dlq], expected, 60_000)).map((m) => {
      expect(Buffer.byteLength(m.value)).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
      return JSON.parse(m.value) as { reason: string; raw: unknown };
    });
    expect(letters.length).toBe(expected);
    const late = letters.filter((l) => l.reason === 'late');
    expect(late.map((l) => (l.raw as { id: string }).id).sort()).toEqual([...scenario.truth.late].sort());
    // Every garbage message's reason is among the letters, as often as it was sent.
    const left = letters.filter((l) => l.reason !== 'late').map((l) => l.reason);
    // Exact reasons first, so a looser pattern cannot take the letter an exact one needs.
    for (const g of [...junk].sort((x, y) => Number(y.reason.source.endsWith('$')) - Number(x.reason.source.endsWith('$')))) {
      const i = left.findIndex((r) => g.reason.test(r));
      expect(i, `a dead letter ${g.reason} for ${g.value === null ? 'null' : g.value.subarray(0, 80).toString('hex')}`).toBeGreaterThanOrEqual(0);
      left.splice(i, 1);
    }
    // What is left are the scenario's invalid events, each with a reason naming a field.
    expect(left).toHaveLength(scenario.truth.invalid);
    for (const r of left) expect(r).toMatch(/^[a-zA-Z.]+: \S/);
  }, 300_000);
});
