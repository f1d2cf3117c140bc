// Alerts end to end on the real broker and engine: events through HTTP ingest and the
// processors, the evaluator over the stored rollups and alarm intervals, and every
// delivery — the alerts table behind GET /api/v1/alerts, the sqa.alerts topic, the
// live channel and an Alertmanager-format webhook receiver that fails at first.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Alert } from '../../events/alerts.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import type { AlertmanagerPayload } from '../../processors/alerts/alertmanager-payload.js';
import { createAlertService, type AlertService } from '../../processors/alerts/alert-service.js';
import { finalMinutes } from '../../processors/alerts/minute-source.js';
import { waitFor } from '../helpers/db.js';
import { readTopics } from '../helpers/kafka.js';
import { startStack, type Stack } from '../helpers/stack.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 1, 2, 10, 0);
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();

/**
 * broadband/north (objective 99.9 %): a probe every minute 10:00–10:40 keeps the
 * scope's watermark moving; a critical alarm is raised at 10:10:00 and cleared at
 * 10:11:30. Minute 10:10 holds 60 000 ms of downtime, 10:11 holds 30 000 ms.
 * page-1h needs > 51 840 ms in the hour and > 4 320 ms in 5 min: it fires with the
 * evaluation of minute 10:10, at 10:11, and resolves when the 5-min window no
 * longer holds 10:11, at 10:17. No other rule comes close (6 h needs 129 600 ms).
 */
function scenario(): unknown[] {
  const events: unknown[] = [];
  for (let m = 0; m <= 40; m++) {
    events.push({ id: `p-${m}`, type: 'probe', ts: T0 + m * MIN + 5000, service: 'broadband', region: 'north', element: 'olt-1', ok: true, latencyMs: 12 });
  }
  const alarm = { type: 'alarm', service: 'broadband', region: 'north', element: 'olt-1', alarmId: 'A-1', severity: 'critical' };
  events.push({ ...alarm, id: 'a-raise', ts: T0 + 10 * MIN, state: 'raised' });
  events.push({ ...alarm, id: 'a-clear', ts: T0 + 11 * MIN + 30_000, state: 'cleared' });
  return events.sort((a, b) => (a as { ts: number }).ts - (b as { ts: number }).ts);
}

interface Receiver {
  server: Server;
  url: string;
  received: { at: number; status: number; body: AlertmanagerPayload }[];
}

/** A webhook receiver that answers 503 until `failUntil`, then 200. */
async function receiver(failUntil: () => number): Promise<Receiver> {
  const received: Receiver['received'] = [];
  const read = async (req: IncomingMessage) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as AlertmanagerPayload;
  };
  const server = createServer((req, res) => {
    void read(req).then((body) => {
      const status = Date.now() < failUntil() ? 503 : 200;
      received.push({ at: Date.now(), status, body });
      res.statusCode = status;
      res.end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook?token=s3cret`, received };
}

let stack: Stack;
let hook: Receiver;
let failUntil = Infinity;
let registry: Registry;
let service: AlertService;

beforeAll(async () => {
  stack = await startStack();
  hook = await receiver(() => failUntil);
  registry = new Registry();
  const config = { ...stack.config, alerts: { evalIntervalMs: 60_000, webhookUrls: [hook.url], externalUrl: 'http://noc.example:8080' } };
  service = createAlertService({ kafka: stack.kafka, db: stack.db, config, sla: loadSlaConfig(), registry, log: () => {}, webhookBackoffMs: 100 });
});

afterAll(async () => {
  await service?.stop();
  hook?.server.close();
  await stack?.close();
});

describe('alerts through the pipeline', () => {
  it('fires and resolves page-1h at the worked-out minutes and delivers to table, topic, live channel and webhook', async () => {
    const ws = new WebSocket(`${stack.url.replace('http', 'ws')}/api/v1/live`);
    const frames: Alert[] = [];
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; alert?: Alert };
      if (m.type === 'alert') frames.push(m.alert!);
    });
    await new Promise((r) => ws.once('open', r));

    await stack.ingest(scenario());
    // The last probe (10:40:05) moves the watermark to 10:38:05: minutes up to 10:37 close.
    await waitFor('final minutes through 10:38', async () => {
      const p = (await finalMinutes(stack.db)).find((s) => s.service === 'broadband');
      return p !== undefined && p.completeThrough >= T0 + 38 * MIN;
    });

    // The receiver refuses for the first second: evaluation must not wait for it.
    failUntil = Date.now() + 1000;
    const delivered = await service.evaluator.evaluateOnce();
    expect(hook.received.filter((r) => r.status === 200)).toHaveLength(0);

    const brief = (a: Alert) => [a.status, a.labels.severity, a.labels.subject, a.values.rule, a.startsAt, a.endsAt];
    expect(delivered.map(brief)).toEqual([
      ['firing', 'page', 'availability', 'page-1h', iso(11), null],
      ['resolved', 'page', 'availability', 'page-1h', iso(11), iso(17)],
    ]);
    const fp = delivered[0]!.fingerprint;
    expect(delivered[0]!.labels).toEqual({ alertname: 'SloBurnRate', service: 'broadband', region: 'north', kind: 'burn_rate', subject: 'availability', severity: 'page' });
    // 1 h: 60 000 / 3 600 000 / 0.001 = 16.667×; 5 min: 60 000 / 300 000 / 0.001 = 200×.
    expect(delivered[0]!.values).toMatchObject({ longBurn: 16.667, shortBurn: 200, objective: 0.999 });

    // The API: resolved now, nothing firing.
    const get = async (q: string) => (await (await fetch(`${stack.url}/api/v1/alerts${q}`)).json()) as { alerts: Alert[] };
    expect((await get('?state=firing')).alerts).toEqual([]);
    expect((await get('?state=resolved')).alerts).toEqual([delivered[1]]);
    expect((await get('?state=resolved&service=voice')).alerts).toEqual([]);
    expect((await fetch(`${stack.url}/api/v1/alerts?state=open`)).status).toBe(400);

    // The topic: both transitions, keyed by scope.
    const messages = await readTopics(stack.kafka, [stack.config.kafka.topics.alerts], 2);
    expect(messages.map((m) => [m.key, (JSON.parse(m.value) as Alert).status])).toEqual([['broadband|north', 'firing'], ['broadband|north', 'resolved']]);

    // The live channel pushes what the evaluator wrote: the newest state of the
    // occurrence (both transitions came from one evaluation, so one row, resolved).
    await waitFor('the alert frame', async () => frames.length >= 1);
    expect(frames).toEqual([delivered[1]]);
    ws.close();

    // The webhook: refused, retried with backoff, then both notifications in order.
    await service.webhooks.idle();
    const ok = hook.received.filter((r) => r.status === 200).map((r) => r.body);
    expect(ok.map((b) => [b.status, b.alerts[0]!.status, b.alerts[0]!.fingerprint])).toEqual([['firing', 'firing', fp], ['resolved', 'resolved', fp]]);
    expect(hook.received.filter((r) => r.status === 503).length).toBeGreaterThanOrEqual(1);
    expect(ok[0]).toMatchObject({
      version: '4', receiver: 'sqa', truncatedAlerts: 0, externalURL: 'http://noc.example:8080',
      groupLabels: { alertname: 'SloBurnRate', service: 'broadband', region: 'north', subject: 'availability', severity: 'page' },
    });
    expect(ok[0]!.alerts[0]).toMatchObject({ startsAt: iso(11), endsAt: '0001-01-01T00:00:00Z', generatorURL: 'http://noc.example:8080/?service=broadband&region=north&period=24h' });
    expect(ok[1]!.alerts[0]!.endsAt).toBe(iso(17));
    const metrics = await registry.metrics();
    const failed = hook.received.filter((r) => r.status === 503).length;
    expect(metrics).toContain(`sqa_webhook_deliveries_total{receiver="0:127.0.0.1:${new URL(hook.url).port}",result="retry"} ${failed}`);
    expect(metrics).toMatch(/sqa_webhook_deliveries_total\{receiver="[^"]+",result="ok"\} 2/);
    // The receiver's URL carries a secret: metrics name it by index and host only.
    expect(metrics).not.toContain('s3cret');
  });

  it('a restarted evaluator rebuilds its state from the store and delivers nothing twice', async () => {
    const again = createAlertService({ kafka: stack.kafka, db: stack.db, config: stack.config, sla: loadSlaConfig(), registry: new Registry(), log: () => {} });
    try {
      expect(await again.evaluator.evaluateOnce()).toEqual([]);
      // More data after the restart: a second outage 10:45:00–10:47:00 (120 000 ms).
      // 1 h at 10:46 holds 60 000 (10:45) + 90 000 (the first) = 150 000 > 51 840 → fires at 10:46.
      const alarm = { type: 'alarm', service: 'broadband', region: 'north', element: 'olt-2', alarmId: 'A-2', severity: 'major' };
      const probes = Array.from({ length: 20 }, (_, i) => ({ id: `p2-${i}`, type: 'probe', ts: T0 + (41 + i) * MIN + 5000, service: 'broadband', region: 'north', element: 'olt-1', ok: true, latencyMs: 12 }));
      await stack.ingest([...probes.slice(0, 4), { ...alarm, id: 'b-raise', ts: T0 + 45 * MIN, state: 'raised' }, ...probes.slice(4, 6),
        { ...alarm, id: 'b-clear', ts: T0 + 47 * MIN, state: 'cleared' }, ...probes.slice(6)]);
      await waitFor('final minutes through 10:50', async () => ((await finalMinutes(stack.db)).find((s) => s.service === 'broadband')?.completeThrough ?? 0) >= T0 + 50 * MIN);
      const next = await again.evaluator.evaluateOnce();
      expect(next.map((a) => [a.status, a.values.rule, a.startsAt])).toEqual([['firing', 'page-1h', iso(46)]]);
      // The page-6h rule would hold as well from 10:47 (6 h: 210 000 > 129 600; 30 min > 10 800): still one page alert.
      expect(again.evaluator.active().map((a) => a.labels.severity)).toEqual(['page']);
    } finally {
      await again.stop();
    }
  });
});
