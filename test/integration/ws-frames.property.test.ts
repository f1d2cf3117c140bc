// The live channel (/api/v1/live) under generated and hostile client frames (issue
// #6 item 2), on a real server with real `ws` clients and the embedded ClickHouse
// engine: every malformed frame gets one error frame and the connection stays
// open; frames the WebSocket protocol itself forbids (over the size limit, text
// that is not UTF-8) close only that connection; the server keeps serving every
// other client, which still receives its snapshot and its updates.
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createLiveSource, registerDashboard, type LiveSource } from '../../dashboard/server/app.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { parseTokens } from '../../infra/config.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { connectWs, type WsClient } from '../helpers/ws-client.js';
import { testDb } from '../helpers/db.js';

const TOKENS = 'reader-token:read';
const NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_MESSAGE_BYTES = 64 * 1024;

interface Msg {
  type: string;
  error?: string;
  details?: string;
  scopes?: { service: string; region: string; kpis: { probes: { total: number } } }[];
}

type Client = WsClient<Msg>;

let db: Db;
let app: FastifyInstance;
let source: LiveSource;
let url: string;
let version = 0;

const connect = (): Promise<Client> => connectWs<Msg>(`${url}?token=reader-token`);

/** One scope's figures for the current minute, in the minute, hour and day rows (as the processor writes them). */
async function putNow(service: string, region: string, probes: number): Promise<void> {
  const now = Date.now();
  version++;
  for (const [res, unit] of [['1m', 60_000], ['1h', 3_600_000], ['1d', 86_400_000]] as const) {
    await db.client.insert({
      table: db.t(`rollup_${res}`), format: 'JSONEachRow',
      values: [{ service, region, start: Math.floor(now / unit) * unit / 1000, version, final: 0, probes, probes_ok: probes }],
    });
  }
}

/** What the protocol (docs/api.md, protocol.ts header) makes of a text frame, stated here independently. */
function classify(text: string): 'ping' | 'subscribe' | 'invalid' {
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return 'invalid';
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return 'invalid';
  const keys = Object.keys(m);
  const o = m as Record<string, unknown>;
  if (o.type === 'ping') return keys.length === 1 ? 'ping' : 'invalid';
  if (o.type !== 'subscribe' || keys.some((k) => k !== 'type' && k !== 'filter')) return 'invalid';
  const f = o.filter;
  if (f === undefined || f === null) return 'subscribe';
  if (typeof f !== 'object' || Array.isArray(f)) return 'invalid';
  return Object.entries(f).every(([k, v]) => (k === 'service' || k === 'region') && typeof v === 'string' && NAME.test(v)) ? 'subscribe' : 'invalid';
}

const injection = fc.constantFrom("' OR 1=1 --", "x'; DROP TABLE rollup_1m; --", '{service:String}', '\\', '\u2019', 'Voice', 'voice north', '', 'a'.repeat(65), '__proto__');
const filterValue = fc.oneof(fc.stringMatching(NAME), injection, fc.jsonValue({ maxDepth: 2 }));
const filter = fc.oneof(
  fc.record({ service: filterValue, region: filterValue }, { requiredKeys: [] }),
  fc.dictionary(fc.oneof(fc.constantFrom('service', 'region', '__proto__', 'constructor', 'site'), fc.string({ maxLength: 6 })), filterValue, { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);
/** A client frame: text in every shape, JSON close to the protocol, up to just under the size limit. */
const frame = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.jsonValue({ maxDepth: 3 }).map((j) => JSON.stringify(j)),
  fc.record({
    type: fc.oneof(fc.constantFrom('subscribe', 'ping', 'unsubscribe', 'PING', '', '__proto__', 'constructor'), fc.jsonValue({ maxDepth: 1 })),
    filter: filter,
    extra: fc.jsonValue({ maxDepth: 1 }),
  }, { requiredKeys: ['type'] }).map((m) => JSON.stringify(m)),
  fc.tuple(fc.constantFrom('subscribe', 'ping'), fc.constantFrom('__proto__', 'constructor', 'prototype'), fc.jsonValue({ maxDepth: 2 }))
    .map(([type, key, v]) => `{"type":"${type}",${JSON.stringify(key)}:${JSON.stringify(v)}}`),
  fc.constantFrom('{"type":"subscribe","filter":{"__proto__":{"service":"voice"}}}', '{"type":"subscribe","filter":{"service":"voice","__proto__":{"polluted":true}}}',
    '{"__proto__":{"type":"ping"}}', '{"type":"ping","type":"subscribe"}', '{"type":"subscribe","filter":{"service":"voice"},"filter":7}'),
  fc.integer({ min: 1000, max: MAX_MESSAGE_BYTES - 100 }).map((n) => JSON.stringify({ type: 'subscribe', filter: { service: 'x'.repeat(n) } })),
  fc.integer({ min: 1, max: 20_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`),
);

beforeAll(async () => {
  // Live figures cover the current UTC day: keep the test clear of midnight.
  const msToMidnight = 86_400_000 - (Date.now() % 86_400_000);
  if (msToMidnight < 120_000) await new Promise((r) => setTimeout(r, msToMidnight + 1000));
  db = await testDb();
  await putNow('voice', 'north', 5);
  await putNow('sms', 'east', 2);
  const registry = new Registry();
  source = createLiveSource({ db, registry, pollMs: 200 });
  ({ app } = createApp({ config: { tokens: parseTokens(TOKENS), maxBodyBytes: 1 << 20 }, logger: false }));
  await registerDashboard(app, { db, sla: loadSlaConfig(), registry, liveSource: source, tokens: parseTokens(TOKENS), webRoot: null, live: { minIntervalMs: 100 } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  url = `ws://127.0.0.1:${(app.server.address() as { port: number }).port}/api/v1/live`;
});

afterAll(async () => {
  await app?.close();
  await db?.close();
});

describe('live channel under hostile frames', () => {
  let observer: Client;
  beforeAll(async () => {
    observer = await connect();
    await observer.nextIndex((m) => m.type === 'snapshot');
  });

  it('answers every malformed frame with one error frame and keeps the connection; valid ones as the protocol says', async () => {
    const c = await connect();
    await c.nextIndex((m) => m.type === 'snapshot');
    let pongs = 0;
    await fc.assert(fc.asyncProperty(frame, async (text) => {
      const mark = c.messages.length;
      c.ws.send(text);
      // A ping after each frame: its pong marks the end of the frame's answers (replies are sent in order).
      c.ws.send('{"type":"ping"}');
      pongs++;
      const kind = classify(text);
      const end = await c.nextIndex((m) => m.type === 'pong', mark, 15_000, kind === 'ping' ? 2 : 1);
      const errors = c.messages.slice(mark, end).filter((m) => m.type === 'error');
      if (kind !== 'invalid') {
        expect(errors, text.slice(0, 200)).toEqual([]);
      } else {
        expect(errors, text.slice(0, 200)).toHaveLength(1);
        expect(errors[0]).toMatchObject({ error: 'SQA_E_BAD_MESSAGE', details: expect.stringMatching(/\S/) });
      }
      expect(c.closed).toBeNull();
    }), { numRuns: 200 });
    expect(pongs).toBe(200);
    // Binary frames get an error frame too.
    for (const bytes of [Buffer.from([1, 2, 3]), Buffer.from('{"type":"ping"}'), Buffer.alloc(60_000, 0xff)]) {
      const mark = c.messages.length;
      c.ws.send(bytes, { binary: true });
      const i = await c.nextIndex((m) => m.type === 'error', mark);
      expect(c.messages[i]!.details).toContain('binary');
    }
    expect(c.ws.readyState).toBe(WebSocket.OPEN);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    c.ws.close();
  }, 180_000);

  it('a valid subscribe after all that still filters: a snapshot of the scope asked, an unknown scope gives an empty one', async () => {
    const c = await connect();
    await c.nextIndex((m) => m.type === 'snapshot');
    for (const bad of ['{"type":"subscribe","filter":{"service":"voice\' OR 1=1 --"}}', '{"type":"subscribe","filter":{"region":["north"]}}']) {
      const mark = c.messages.length;
      c.ws.send(bad);
      const i = await c.nextIndex((m) => m.type === 'error', mark);
      expect(c.messages[i]!.details).toMatch(/^filter\.(service|region): must be a string matching/);
    }
    let mark = c.messages.length;
    c.ws.send(JSON.stringify({ type: 'subscribe', filter: { service: 'sms' } }));
    let i = await c.nextIndex((m) => m.type === 'snapshot', mark);
    expect(c.messages[i]!.scopes!.map((s) => `${s.service}|${s.region}`)).toEqual(['sms|east']);
    mark = c.messages.length;
    c.ws.send(JSON.stringify({ type: 'subscribe', filter: { service: 'nowhere' } }));
    i = await c.nextIndex((m) => m.type === 'snapshot', mark);
    expect(c.messages[i]!.scopes).toEqual([]);
    c.ws.close();
  });

  it('a flood of frames sent without waiting leaves the connection answering', async () => {
    const c = await connect();
    await c.nextIndex((m) => m.type === 'snapshot');
    const flood = fc.sample(frame, { numRuns: 2000, seed: 7 });
    const mark = c.messages.length;
    for (const f of flood) c.ws.send(f);
    c.ws.send('{"type":"ping"}');
    // Every ping of the flood and the last one are answered, and every malformed frame.
    const pings = flood.filter((f) => classify(f) === 'ping').length + 1;
    await c.nextIndex((m) => m.type === 'pong', mark, 60_000, pings);
    expect(c.messages.slice(mark).filter((m) => m.type === 'error')).toHaveLength(flood.filter((f) => classify(f) === 'invalid').length);
    expect(c.closed).toBeNull();
    c.ws.close();
  }, 90_000);

  it('a frame over the size limit or text that is not UTF-8 closes that connection only', async () => {
    const big = await connect();
    await big.nextIndex((m) => m.type === 'snapshot');
    big.ws.send(JSON.stringify({ type: 'subscribe', filter: { service: 'x'.repeat(MAX_MESSAGE_BYTES) } }));
    // 1009: message too big (RFC 6455 7.4.1).
    expect((await big.waitClosed()).code).toBe(1009);

    const bad = await connect();
    await bad.nextIndex((m) => m.type === 'snapshot');
    bad.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    // 1007: a text frame whose payload is not UTF-8.
    expect((await bad.waitClosed()).code).toBe(1007);
  });

  it('meanwhile the other clients were served: the observer gets updates, a new client its snapshot', async () => {
    const mark = observer.messages.length;
    await putNow('voice', 'north', 42);
    source.notify();
    await observer.nextIndex((m) => m.type === 'update' && m.scopes!.some((s) => s.service === 'voice' && s.region === 'north' && s.kpis.probes.total === 42), mark);
    expect(observer.closed).toBeNull();
    expect(observer.messages.filter((m) => m.type === 'error')).toEqual([]);
    const late = await connect();
    const i = await late.nextIndex((m) => m.type === 'snapshot');
    expect(late.messages[i]!.scopes!.find((s) => s.service === 'voice' && s.region === 'north')!.kpis.probes.total).toBe(42);
    late.ws.close();
    observer.ws.close();
  });
});
