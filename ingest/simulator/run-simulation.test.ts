import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import type { EventProducer, Rejected } from '../event-producer.js';
import { parseCli, parseDuration } from './cli-args.js';
import { generateEvents, simulate } from './generator.js';
import { runSimulation } from './run-simulation.js';
import { httpTarget } from './send-targets.js';

const START = Date.parse('2026-01-05T10:00:00Z');
const gen = { seed: 3, start: START, durationMs: 5 * 60_000, rate: 20, faults: { invalidRate: 0.05 } };

describe('runSimulation', () => {
  it('sends every event in order, in batches, and counts rejections', async () => {
    const got: unknown[] = [];
    const sizes: number[] = [];
    const lines: string[] = [];
    const s = await runSimulation({
      generator: gen, batchSize: 100, log: (l) => lines.push(l),
      send: async (batch) => {
        got.push(...batch);
        sizes.push(batch.length);
        return { rejected: 1 };
      },
    });
    expect(got).toEqual([...generateEvents(gen)]);
    expect(sizes.slice(0, -1).every((n) => n === 100)).toBe(true);
    expect(s).toMatchObject({ sent: got.length, batches: sizes.length, rejected: sizes.length, aborted: false });
    expect(lines.at(-1)).toMatch(/done: sent \d+ events/);
  });

  it('validates for a Kafka producer: valid events normalised, invalid ones to the dead letters', async () => {
    const events: SqaEvent[] = [];
    const dead: Rejected[] = [];
    const producer: EventProducer = {
      sendEvents: async (e) => void events.push(...e),
      sendRejected: async (r) => void dead.push(...r),
      close: async () => {},
    };
    const s = await runSimulation({ generator: gen, producer, log: null });
    const invalid = [...simulate(gen)].filter((e) => e.fault === 'invalid').length;
    expect(invalid).toBeGreaterThan(0);
    expect(dead).toHaveLength(invalid);
    expect(s.rejected).toBe(invalid);
    expect(events.every((e) => typeof e.ts === 'number')).toBe(true);
    expect(events.length + dead.length).toBe(s.sent);
  });

  it('paces events by the wall clock in real time and stops on abort', async () => {
    const ac = new AbortController();
    const wallStart = Date.now();
    const late: number[] = [];
    const realGen = { ...gen, start: wallStart, durationMs: Infinity, rate: 500, faults: {} };
    let sent = 0;
    setTimeout(() => ac.abort(), 1200);
    const s = await runSimulation({
      generator: realGen, realtime: true, signal: ac.signal, log: null, flushIntervalMs: 100,
      send: async (batch) => {
        const now = Date.now();
        for (const e of batch) {
          const ts = (e as { ts: unknown }).ts;
          const ms = typeof ts === 'number' ? ts : Date.parse(String(ts));
          // Nothing is sent before its time.
          if (ms > now + 5) late.push(ms - now);
        }
        sent += batch.length;
        return { rejected: 0 };
      },
    });
    expect(s.aborted).toBe(true);
    expect(late).toEqual([]);
    // ~1.2 s at 500/s, give or take start-up.
    expect(sent).toBeGreaterThan(250);
    expect(sent).toBeLessThan(800);
  });

  it('needs exactly one target', async () => {
    await expect(runSimulation({ generator: gen, log: null })).rejects.toThrow(/exactly one/);
  });
});

describe('HTTP target', () => {
  const requests: { auth: string | undefined; body: unknown[] }[] = [];
  let failNext = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"kafka down"}');
        return;
      }
      const events = JSON.parse(body) as unknown[];
      requests.push({ auth: req.headers.authorization, body: events });
      res.writeHead(202, { 'content-type': 'application/json' })
        .end(JSON.stringify({ accepted: events.length - 1, rejected: [{ index: 0, reason: 'x: test' }], duplicates: [] }));
    });
  });
  let url = '';
  beforeAll(async () => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('posts JSON batches with the bearer token and retries a 503', async () => {
    failNext = 2;
    const send = httpTarget({ url, token: 'secret', retry: { attempts: 4, initialDelayMs: 10, maxDelayMs: 20 } });
    const s = await runSimulation({ generator: gen, send, batchSize: 500, log: null });
    expect(requests.flatMap((r) => r.body)).toEqual([...generateEvents(gen)]);
    expect(requests.every((r) => r.auth === 'Bearer secret')).toBe(true);
    expect(s.rejected).toBe(requests.length);
  });

  it('gives up at once on a client error', async () => {
    const send = httpTarget({ url: `${url}nope/`, fetch: async () => new Response('{"error":"bad"}', { status: 400 }) });
    await expect(send([{}])).rejects.toMatchObject({ code: 'SQA_E_SIM_SEND', retriable: false });
  });
});

describe('command line', () => {
  const now = Date.parse('2026-01-05T10:07:31Z');
  it('parses durations', () => {
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('0')).toBe(Infinity);
    expect(parseDuration('inf')).toBe(Infinity);
    expect(() => parseDuration('10')).toThrow(/unit/);
  });

  it('replays the last duration by default and writes a file with --out', () => {
    const s = parseCli(['--seed', '7', '--duration', '10m', '--rate', '200', '--out', 'dir/'], {}, now);
    expect(s).toMatchObject({ target: 'file', out: 'dir/', realtime: false });
    expect(s !== 'help' && s.generator).toMatchObject({ seed: 7, rate: 200, durationMs: 600_000, start: Date.parse('2026-01-05T09:57:00Z') });
  });

  it('starts now in real time and takes the URL, faults and lateness', () => {
    const s = parseCli(['--realtime', '--duration', 'inf', '--url', 'http://x:1', '--late', '0.01'], { SQA_LATENESS_MS: '60000' }, now);
    expect(s).toMatchObject({ target: 'http', url: 'http://x:1', realtime: true });
    expect(s !== 'help' && s.generator).toMatchObject({ start: now, durationMs: Infinity, latenessMs: 60_000, faults: { lateRate: 0.01 } });
  });

  it('rejects bad arguments', () => {
    expect(() => parseCli(['--target', 'file'], {}, now)).toThrow(/--out/);
    expect(() => parseCli(['--rate', 'fast'], {}, now)).toThrow(/--rate/);
    expect(() => parseCli(['--bogus'], {}, now)).toThrow();
  });
});
