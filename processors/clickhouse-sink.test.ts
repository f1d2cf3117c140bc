// Raw events go in as RowBinary blocks, rollups as JSONEachRow text written by hand: what the
// engine stores must be exactly what came in, whatever characters the fields hold.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../infra/clickhouse/client.js';
import { testDb } from '../test/helpers/db.js';
import type { SqaEvent } from '../events/types.js';
import { emptyRollup, sketchFromRecord, sketchOf } from './core/index.js';
import { insertRaw, rollupLine, rollupRow, writeFigures } from './clickhouse-sink.js';
import { rawLinesSql } from '../infra/clickhouse/raw-blocks.js';
import { rawBody } from '../test/helpers/raw-events.js';

let db: Db;
beforeAll(async () => { db = await testDb(); });
afterAll(async () => { await db?.close(); });

describe('raw events sink', () => {
  it('stores each message text byte for byte in blocks of one scope and minute, tabs, newlines and backslashes included', async () => {
    const tricky = 'a\tb\nc\\d "q" é 🚨';
    const event: SqaEvent = { id: `id-${tricky}`, type: 'alarm', ts: Date.UTC(2026, 0, 2, 3, 4, 5, 678), service: 'voice', region: 'north', element: tricky, alarmId: `A\\1\t`, state: 'raised', severity: 'major', serviceAffecting: true };
    const text = JSON.stringify({ ...event, note: 'as received\\n', ts: '2026-01-02T03:04:05.678Z' });
    // Pretty-printed JSON: raw newlines and tabs between tokens, as a producer may send.
    const probe: SqaEvent = { id: 'p-1', type: 'probe', ts: Date.UTC(2026, 0, 2, 3, 4, 6), service: 'voice', region: 'north', ok: false };
    const pretty = JSON.stringify(probe, null, '\t');
    const nextMinute: SqaEvent = { ...probe, id: 'p-2', ts: Date.UTC(2026, 0, 2, 3, 5, 0) };
    const otherScope: SqaEvent = { ...probe, id: 'p-3', region: 'south' };
    // Arrival order is not event-time order: the block's first and last times are the extremes.
    const early: SqaEvent = { ...probe, id: 'p-0', ts: Date.UTC(2026, 0, 2, 3, 4, 1) };
    const all = [{ event, text }, { event: probe, text: pretty }, { event: nextMinute, text: JSON.stringify(nextMinute) },
      { event: otherScope, text: JSON.stringify(otherScope) }, { event: early, text: JSON.stringify(early) }];
    await insertRaw(db, [rawBody(all)]);

    const blocks = await db.client.query({
      query: `SELECT service, region, toUnixTimestamp(minute) AS minute, toInt64(toUnixTimestamp64Milli(first_ts)) AS first, toInt64(toUnixTimestamp64Milli(last_ts)) AS last, events
        FROM ${db.t('events_raw_blocks')} ORDER BY service, region, minute`,
      format: 'JSONEachRow',
    });
    expect(await blocks.json()).toEqual([
      { service: 'voice', region: 'north', minute: Date.UTC(2026, 0, 2, 3, 4) / 1000, first: early.ts, last: probe.ts, events: 3 },
      { service: 'voice', region: 'north', minute: Date.UTC(2026, 0, 2, 3, 5) / 1000, first: nextMinute.ts, last: nextMinute.ts, events: 1 },
      { service: 'voice', region: 'south', minute: Date.UTC(2026, 0, 2, 3, 4) / 1000, first: otherScope.ts, last: otherScope.ts, events: 1 },
    ]);
    const lines = await db.client.query({
      query: `SELECT service, region, ts_ms, payload FROM (${rawLinesSql(db.t('events_raw_blocks'), '1')}) ORDER BY ts_ms, region`,
      format: 'JSONEachRow',
    });
    expect(await lines.json()).toEqual([early, event, probe, otherScope, nextMinute].map((e) => ({
      service: e.service, region: e.region, ts_ms: e.ts, payload: all.find((x) => x.event === e)!.text,
    })));
  });
});

describe('rollup sink', () => {
  // Zero bucket and sub-millisecond (negative) keys included: they sort first in the sketch.
  const r = { ...emptyRollup('voice "x"\\', 'north\tn', '1m', Date.UTC(2026, 0, 2, 3, 4)), probes: 6, probesOk: 5, faults: 2, version: 7, final: true,
    latency: sketchOf([0, 0.5, 3, 3, 86_400_000]) };

  it('writes the same row as the object form, the latency map from the compact sketch', () => {
    expect(JSON.parse(rollupLine(r))).toEqual(JSON.parse(JSON.stringify(rollupRow(r))));
    expect(rollupLine(r).endsWith('}\n')).toBe(true);
  });

  // Embedded: JSONEachRow text from the sketch. Server: objects through the client
  // (here the same engine behind the client, with the server's code path taken).
  it.each([['the embedded engine', true], ['a ClickHouse server', false]] as const)('stores the row and its latency map as ClickHouse reads them back (%s)', async (_, embedded) => {
    const target = { ...db, embedded };
    await target.client.command({ query: `TRUNCATE TABLE ${db.t('rollup_1m')}` });
    await writeFigures(target, { rollups: [r], alarms: [], tickets: [] });
    const rs = await db.client.query({
      query: `SELECT service, region, toUnixTimestamp(start) AS s, probes, probes_ok, faults, version, final, latency FROM ${db.t('rollup_1m')} FINAL`,
      format: 'JSONEachRow',
    });
    const rows = await rs.json<Record<string, unknown> & { latency: Record<string, unknown> }>();
    expect(rows.map((x) => ({ ...x, latency: sketchFromRecord(x.latency) }))).toEqual([{
      service: r.service, region: r.region, s: r.start / 1000, probes: 6, probes_ok: 5, faults: 2, version: 7, final: 1, latency: r.latency,
    }]);
  });
});
