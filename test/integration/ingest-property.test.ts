// POST /api/v1/events bombarded with generated and adversarial bodies (issue #6
// item 2), on the real ingest route, the real producer and the real broker:
// every answer is a 4xx with a reason or a 202 listing each rejection by index,
// never a 5xx; the process keeps serving; and in mixed batches exactly the valid
// events are accepted and exactly those reach sqa.events, normalised.
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../infra/config.js';
import { createApp } from '../../infra/http/create-app.js';
import { MAX_DEAD_LETTER_BYTES } from '../../infra/kafka/dead-letter.js';
import { eventsRoute } from '../../ingest/events-route.js';
import { createKafkaEventProducer } from '../../ingest/kafka-producer.js';
import type { SqaEvent } from '../../events/types.js';
import { invalidEvent, text, validEvent, withId, type ValidCase } from '../helpers/event-arbitraries.js';
import { readTopics, testConfig, testKafka } from '../helpers/kafka.js';

const MAX_BODY = 4 * 1024 * 1024;
const AUTH = { authorization: 'Bearer feed' };
const FIELD_REASON = /^(event|id|type|ts|service|region|element|attrs|attrs\..*|alarmId|state|severity|serviceAffecting|ok|latencyMs|ticketId|category|scale|score): \S/;
const LINE_REASON = /^line \d+: (invalid JSON|not valid UTF-8)/;

interface Ingest {
  config: Config;
  kafka: Kafka;
  app: FastifyInstance;
  close(): Promise<void>;
}

async function startIngest(): Promise<Ingest> {
  const config = testConfig({ SQA_TOKENS: 'feed:ingest', SQA_MAX_BODY_BYTES: String(MAX_BODY), SQA_RATE_LIMIT_PER_MIN: '1000000' });
  const kafka = await testKafka(config);
  const producer = createKafkaEventProducer(kafka, config.kafka.topics);
  const { app } = createApp({ config, logger: false });
  await app.register(eventsRoute, { producer, maxBodyBytes: config.maxBodyBytes });
  await app.ready();
  return { config, kafka, app, close: async () => { await app.close(); await producer.close(); } };
}

function post(app: FastifyInstance, payload: string | Buffer, contentType?: string): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'POST', url: '/api/v1/events', headers: { ...AUTH, ...(contentType ? { 'content-type': contentType } : {}) }, payload });
}

interface Accepted { accepted: number; rejected: { index: number; reason: string }[]; duplicates: number[] }

/** The answer is a 202 with the response body, or a 4xx with `{error, details}`; anything else fails. */
function expectHandled(res: LightMyRequestResponse, what: string): Accepted | null {
  expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
  const body = res.json();
  if (res.statusCode === 202) {
    for (const r of body.rejected) expect(r.reason).toMatch(new RegExp(`${FIELD_REASON.source}|${LINE_REASON.source}`));
    return body as Accepted;
  }
  expect(res.statusCode, what).toBeGreaterThanOrEqual(400);
  expect(body.error, what).toMatch(/^SQA_E_[A-Z_]+$/);
  expect(typeof body.details === 'string' && body.details.length > 0, what).toBe(true);
  return null;
}

let run = 0;
const unique = (c: ValidCase, i: number) => withId(c, `r${run}.${i}:${String(c.raw.id).slice(0, 100)}`);

describe('mixed batches', () => {
  let ingest: Ingest;
  beforeAll(async () => { ingest = await startIngest(); });
  afterAll(async () => { await ingest?.close(); });

  it('accept exactly the valid events, reject each broken one by index naming the field, and forward exactly the valid ones', async () => {
    const sent: SqaEvent[] = [];
    let dead = 0;
    const item = fc.oneof({ weight: 3, arbitrary: validEvent.map((c) => ({ valid: c })) }, { weight: 2, arbitrary: invalidEvent.map((c) => ({ invalid: c })) });
    // NDJSON bodies may also carry lines that are not JSON or not UTF-8 at all.
    const line = fc.oneof({ weight: 8, arbitrary: item.map((i) => ({ item: i })) },
      { weight: 1, arbitrary: fc.constantFrom('{"id": broken', '[1,', 'NaN', '{"ts": Infinity}', "{'single': 'quotes'}").map((s) => ({ broken: Buffer.from(s) })) },
      { weight: 1, arbitrary: fc.uint8Array({ minLength: 1, maxLength: 20 }).map((b) => ({ broken: Buffer.concat([Buffer.from('{"id":"'), Buffer.from([0xff, 0xfe]), Buffer.from(b.filter((x) => x !== 0x0a)), Buffer.from('"}')]) })) });
    await fc.assert(fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.boolean(), async (lines, ndjson) => {
      run++;
      const parts = ndjson ? lines : lines.filter((l) => 'item' in l);
      const valid: SqaEvent[] = [];
      const invalid: { index: number; field: string | null }[] = [];
      const values: Buffer[] = parts.map((l, index) => {
        if (!('item' in l)) {
          invalid.push({ index, field: null });
          return l.broken;
        }
        if ('valid' in l.item) {
          const c = unique(l.item.valid, index);
          valid.push(c.expected);
          return Buffer.from(JSON.stringify(c.raw));
        }
        invalid.push({ index, field: l.item.invalid.field });
        return Buffer.from(JSON.stringify(l.item.invalid.raw));
      });
      const body = ndjson ? Buffer.concat(values.flatMap((v) => [v, Buffer.from('\n')])) : Buffer.from(`[${values.join(',')}]`);
      const res = await post(ingest.app, body, ndjson ? 'application/x-ndjson' : 'application/json');
      expect(res.statusCode, res.body.slice(0, 500)).toBe(202);
      const answer = res.json() as Accepted;
      expect(answer.accepted).toBe(valid.length);
      expect(answer.duplicates).toEqual([]);
      expect(answer.rejected.map((r) => r.index)).toEqual(invalid.map((r) => r.index));
      answer.rejected.forEach((r, i) => {
        const field = invalid[i]!.field;
        if (field === null) expect(r.reason).toMatch(new RegExp(`^line ${r.index + 1}: (invalid JSON|not valid UTF-8)`));
        else expect(r.reason.startsWith(`${field}: `) || (field === 'attrs' && r.reason.startsWith('attrs.')), `${r.reason} names ${field}`).toBe(true);
      });
      sent.push(...valid);
      dead += invalid.length;
    }), { numRuns: 120 });

    // What reached the topics: every valid event once, normalised, keyed by its scope; every rejection dead-lettered.
    const { events, dlq } = ingest.config.kafka.topics;
    const msgs = await readTopics(ingest.kafka, [events, dlq], sent.length + dead, 60_000);
    const got = msgs.filter((m) => m.topic === events);
    expect(got.length).toBe(sent.length);
    const byId = new Map(got.map((m) => [JSON.parse(m.value).id as string, m]));
    for (const e of sent) {
      const m = byId.get(e.id);
      expect(m, e.id).toBeDefined();
      expect(JSON.parse(m!.value)).toEqual(JSON.parse(JSON.stringify(e)));
      expect(m!.key).toBe(`${e.service}|${e.region}`);
    }
    const letters = msgs.filter((m) => m.topic === dlq);
    expect(letters.length).toBe(dead);
    for (const l of letters) expect(JSON.parse(l.value).reason).toMatch(new RegExp(`${FIELD_REASON.source}|${LINE_REASON.source}`));
  }, 180_000);
});

describe('hostile bodies', () => {
  let ingest: Ingest;
  // Rejections answered so far: each must be on sqa.dlq.
  let dead = 0;
  beforeAll(async () => { ingest = await startIngest(); });
  afterAll(async () => { await ingest?.close(); });

  it('random bytes, text and JSON under any content type: a 4xx with a reason or a 202 accepting nothing', async () => {
    const contentType = fc.constantFrom(undefined, 'application/json', 'application/x-ndjson', 'text/plain', 'application/json; charset=utf-16',
      'application/xml', 'application/octet-stream', 'multipart/form-data; boundary=x', 'text/html', 'application/x-www-form-urlencoded', '*/*', 'garbage');
    const body = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((b) => Buffer.from(b)),
      text(0, 500).map((s) => Buffer.from(s)),
      fc.jsonValue().map((j) => Buffer.from(JSON.stringify(j))),
      fc.array(fc.jsonValue({ maxDepth: 3 }), { maxLength: 30 }).map((a) => Buffer.from(JSON.stringify(a))),
      fc.array(fc.jsonValue({ maxDepth: 2 }).map((j) => JSON.stringify(j)), { maxLength: 30 }).map((l) => Buffer.from(l.join('\n'))),
    );
    await fc.assert(fc.asyncProperty(body, contentType, async (b, ct) => {
      const answer = expectHandled(await post(ingest.app, b, ct), `${ct} ${b.subarray(0, 60).toString('hex')}`);
      if (answer) expect(answer.accepted).toBe(0);
      dead += answer?.rejected.length ?? 0;
    }), { numRuns: 200 });
  }, 120_000);

  it('adversarial bodies: each answered as the contract says', async () => {
    const probe = (id: string) => ({ id, type: 'probe', ts: '2026-03-01T10:00:00Z', service: 'voice', region: 'north', ok: true, latencyMs: 5 });
    const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);
    const cases: [string, string | Buffer, string | undefined, number, (r: LightMyRequestResponse) => void][] = [
      ['empty body', '', 'application/json', 400, (r) => expect(r.json().details).toMatch(/^body: invalid JSON/)],
      ['empty array', '[]', 'application/json', 202, (r) => expect(r.json()).toEqual({ accepted: 0, rejected: [], duplicates: [] })],
      ['empty NDJSON', '\n\n\n', 'application/x-ndjson', 202, (r) => expect(r.json()).toEqual({ accepted: 0, rejected: [], duplicates: [] })],
      ['not an array', '{"id":"x"}', 'application/json', 400, (r) => expect(r.json().details).toMatch(/^body: must be a JSON array/)],
      ['top-level __proto__', '{"__proto__":{"polluted":true}}', 'application/json', 400, (r) => expect(r.json().details).toMatch(/^body: must be a JSON array/)],
      ['NaN is not JSON', '[{"latencyMs": NaN}]', 'application/json', 400, (r) => expect(r.json().details).toMatch(/^body: invalid JSON/)],
      ['1e400 parses to Infinity', JSON.stringify([probe('inf')]).replace('"latencyMs":5', '"latencyMs":1e400'), 'application/json', 202,
        (r) => expect(r.json().rejected).toEqual([{ index: 0, reason: 'latencyMs: must be number' }])],
      ['deeply nested element', `[${deep(100_000)}]`, 'application/json', 202,
        (r) => expect(r.json().rejected).toEqual([{ index: 0, reason: 'event: must be a JSON object' }])],
      ['deeply nested attrs', JSON.stringify([{ ...probe('deep'), attrs: 0 }]).replace('"attrs":0', `"attrs":{"a":${deep(50_000)}}`), 'application/json', 202,
        (r) => expect(r.json().rejected).toEqual([{ index: 0, reason: 'attrs.a: must be string' }])],
      ['prototype keys in an event', `[${JSON.stringify(probe('proto')).slice(0, -1)},"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}]`, 'application/json', 202,
        (r) => expect(r.json()).toEqual({ accepted: 1, rejected: [], duplicates: [] })],
      ['a 3 MB string', JSON.stringify([{ ...probe('huge'), id: 'x'.repeat(3_000_000) }]), 'application/json', 202,
        (r) => expect(r.json().rejected).toEqual([{ index: 0, reason: 'id: must NOT have more than 128 characters' }])],
      ['timestamps far off', JSON.stringify([{ ...probe('past'), ts: '0001-01-01T00:00:00Z' }, { ...probe('future'), ts: 9007199254740991 }]), 'application/json', 202,
        (r) => expect(r.json().rejected.map((x: { reason: string }) => x.reason)).toEqual(['ts: must be between 2000-01-01 and 2100-01-01', 'ts: must be between 2000-01-01 and 2100-01-01'])],
      ['invalid UTF-8 in a JSON array', Buffer.concat([Buffer.from('[{"id":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]), 'application/json', 400,
        (r) => expect(r.json().details).toBe('body: not valid UTF-8 (JSON text must be UTF-8)')],
      ['UTF-16 bytes', Buffer.from(JSON.stringify([probe('u16')]), 'utf16le'), 'application/json', 400, (r) => expect(r.json().details).toMatch(/^body: invalid JSON/)],
      ['invalid UTF-8 on one NDJSON line', Buffer.concat([Buffer.from(`${JSON.stringify(probe('nd1'))}\n{"id":"`), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from(`"}\n${JSON.stringify(probe('nd2'))}`)]), 'application/x-ndjson', 202,
        (r) => expect(r.json()).toEqual({ accepted: 2, rejected: [{ index: 1, reason: 'line 2: not valid UTF-8' }], duplicates: [] })],
      ['a lone surrogate escape', '[{"id":"\\ud800","type":"probe","ts":1772359200000,"service":"voice","region":"north","ok":false}]', 'application/json', 202,
        (r) => expect(r.json().rejected).toEqual([{ index: 0, reason: 'id: must be well-formed Unicode (it holds a lone surrogate)' }])],
      ['XML', '<events/>', 'application/xml', 415, (r) => expect(r.json().error).toBe('SQA_E_UNSUPPORTED_MEDIA_TYPE')],
      ['over the body limit', JSON.stringify([{ ...probe('big'), id: 'x'.repeat(MAX_BODY) }]), 'application/json', 413, (r) => expect(r.json().error).toBe('SQA_E_BODY_TOO_LARGE')],
    ];
    for (const [what, payload, ct, status, check] of cases) {
      const res = await post(ingest.app, payload, ct);
      expect(res.statusCode, `${what}: ${res.body.slice(0, 300)}`).toBe(status);
      dead += expectHandled(res, what)?.rejected.length ?? 0;
      check(res);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 120_000);

  it('a gigantic batch of valid events (larger than one Kafka message) is accepted whole', async () => {
    // ~3 MB of events of one scope: one partition, three times the broker's 1 MiB message limit.
    const big = Array.from({ length: 2500 }, (_, i) => ({
      id: `giant-${i}`, type: 'probe', ts: Date.UTC(2026, 2, 1, 10) + i, service: 'giant', region: 'one', ok: true, latencyMs: i,
      attrs: { pad: 'p'.repeat(1000) },
    }));
    const res = await post(ingest.app, JSON.stringify(big), 'application/json');
    expect(res.statusCode, res.body.slice(0, 300)).toBe(202);
    expect(res.json()).toEqual({ accepted: 2500, rejected: [], duplicates: [] });
    // And as many rejections, each a dead letter: 2500 × 1 KB broken events.
    const broken = big.map((e) => ({ ...e, latencyMs: -1 }));
    const res2 = await post(ingest.app, JSON.stringify(broken), 'application/json');
    expect(res2.statusCode, res2.body.slice(0, 300)).toBe(202);
    expect(res2.json().rejected).toHaveLength(2500);
    dead += 2500;
  }, 120_000);

  it('keeps serving, and every dead letter is small enough to produce and names its reason', async () => {
    const res = await post(ingest.app, JSON.stringify([{ id: 'after', type: 'survey', ts: 1772359200000, service: 'voice', region: 'north', scale: 'nps', score: 9 }]), 'application/json');
    expect(res.json()).toEqual({ accepted: 1, rejected: [], duplicates: [] });
    expect((await ingest.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    const { dlq } = ingest.config.kafka.topics;
    const letters = await readTopics(ingest.kafka, [dlq], dead, 60_000);
    expect(letters.length).toBe(dead);
    for (const l of letters) {
      expect(Buffer.byteLength(l.value)).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
      expect(JSON.parse(l.value).reason).toMatch(new RegExp(`${FIELD_REASON.source}|${LINE_REASON.source}`));
    }
    // The 3 MB string and the 100 000-deep nesting were kept clipped rather than failing the send.
    const clipped = letters.map((l) => JSON.parse(l.value)).filter((l) => l.truncated === true);
    expect(clipped.map((l) => l.reason).sort()).toEqual(['attrs.a: must be string', 'event: must be a JSON object', 'id: must NOT have more than 128 characters']);
  }, 120_000);
});
