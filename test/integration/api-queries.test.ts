// The dashboard's query layer on the real embedded ClickHouse engine, against
// hand-built rollup and alarm rows whose figures are worked out by hand below.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../infra/clickhouse/client.js';
import { parseSlaConfig } from '../../infra/sla-config.js';
import { kpis, kpisForScopes } from '../../dashboard/server/queries/kpis.js';
import { series } from '../../dashboard/server/queries/series.js';
import { sla } from '../../dashboard/server/queries/sla.js';
import { splitPeriod } from '../../dashboard/server/queries/period.js';
import { sketchKey } from '../../processors/core/index.js';
import { testDb } from '../helpers/db.js';

const at = (hhmm: string, day = '2026-03-01') => Date.parse(`${day}T${hhmm}:00Z`);
const MIN = 60_000;
const LATER = () => Date.parse('2027-01-01T00:00:00Z');

type Res = '1m' | '1h' | '1d';
interface RollupIn {
  service: string;
  region: string;
  start: number;
  version?: number;
  final?: number;
  [column: string]: unknown;
}

/** A latency sketch holding `n` probes of `ms` each (plus more pairs). */
function latency(...pairs: [ms: number, n: number][]): Record<number, number> {
  const s: Record<number, number> = {};
  for (const [ms, n] of pairs) s[sketchKey(ms)] = (s[sketchKey(ms)] ?? 0) + n;
  return s;
}

let db: Db;

async function putRollups(res: Res, rows: RollupIn[]): Promise<void> {
  await db.client.insert({
    table: db.t(`rollup_${res}`), format: 'JSONEachRow',
    values: rows.map(({ start, version, final, ...rest }) => ({ ...rest, start: start / 1000, version: version ?? 1, final: final ?? 1 })),
  });
}

async function putAlarm(a: { service: string; region: string; id: string; raised: number; cleared: number | null; outage?: boolean; acked?: number; version?: number; deleted?: boolean }): Promise<void> {
  const outage = a.outage ?? true;
  await db.client.insert({
    table: db.t('alarms'), format: 'JSONEachRow',
    values: [{
      service: a.service, region: a.region, alarm_id: a.id, element: '', severity: outage ? 'critical' : 'minor',
      service_affecting: 1, outage: outage ? 1 : 0, raised: a.raised, acked: a.acked ?? null, cleared: a.cleared, version: a.version ?? 1, is_deleted: a.deleted ? 1 : 0,
    }],
  });
}

/** Sums rows into windows of `unit` ms (counters add, latency maps merge), as the processor's hours and days do. */
function sumInto(rows: readonly RollupIn[], unit: number): RollupIn[] {
  const by = new Map<string, RollupIn>();
  for (const r of rows) {
    const b = Math.floor(r.start / unit) * unit;
    const key = `${r.service}|${r.region}|${b}`;
    const acc = by.get(key) ?? { service: r.service, region: r.region, start: b, version: 0, latency: {} };
    acc.version = Math.max(acc.version!, r.version ?? 1);
    for (const [col, v] of Object.entries(r)) {
      if (['service', 'region', 'start', 'version', 'final'].includes(col)) continue;
      if (col === 'latency') {
        const into = acc.latency as Record<string, number>;
        for (const [k, n] of Object.entries(v as Record<string, number>)) into[k] = (into[k] ?? 0) + n;
      } else {
        acc[col] = ((acc[col] as number | undefined) ?? 0) + (v as number);
      }
    }
    by.set(key, acc);
  }
  return [...by.values()];
}

/**
 * Writes minute rows (every version given) and, like the processor, the hour and day
 * rows that sum the newest version of each minute.
 */
async function putMinutes(rows: RollupIn[]): Promise<void> {
  await putRollups('1m', rows);
  const newest = new Map<string, RollupIn>();
  for (const r of rows) {
    const key = `${r.service}|${r.region}|${r.start}`;
    if ((newest.get(key)?.version ?? 0) < (r.version ?? 1)) newest.set(key, r);
  }
  await putRollups('1h', sumInto([...newest.values()], 3_600_000));
  await putRollups('1d', sumInto([...newest.values()], 86_400_000));
}

const within1pc = (actual: number | null, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! / expected - 1)).toBeLessThan(0.01);
};

beforeAll(async () => {
  db = await testDb();
  // Background merges would fold the versions written below and hide a missing FINAL.
  for (const t of ['rollup_1m', 'rollup_1h', 'rollup_1d', 'alarms']) await db.client.command({ query: `SYSTEM STOP MERGES ${db.t(t)}` });
  // voice|north, 10:00–11:00 (plus one row at 11:30).
  await putMinutes([
    // Written twice: FINAL must keep version 4 (10 probes, 10 ok), not version 2.
    { service: 'voice', region: 'north', start: at('10:00'), version: 2, final: 0, probes: 5, probes_ok: 5, latency: latency([100, 5]), faults: 0 },
    { service: 'voice', region: 'north', start: at('10:00'), version: 4, probes: 10, probes_ok: 10, latency: latency([100, 10]), faults: 1 },
    { service: 'voice', region: 'north', start: at('10:05'), mtta_sum_ms: 300_000, mtta_count: 1 },
    { service: 'voice', region: 'north', start: at('10:10'), opened_network: 2, opened_billing: 1, response_sum_ms: 600_000, response_count: 2 },
    { service: 'voice', region: 'north', start: at('10:12'), resolution_sum_ms: 7_200_000, resolution_count: 2, resolved_timely: 1 },
    { service: 'voice', region: 'north', start: at('10:15'), nps_responses: 4, nps_promoters: 2, nps_detractors: 1, csat_responses: 2, csat_satisfied: 1 },
    { service: 'voice', region: 'north', start: at('10:20'), faults: 1 },
    { service: 'voice', region: 'north', start: at('10:25'), mttr_sum_ms: 1_500_000, mttr_count: 1 },
    { service: 'voice', region: 'north', start: at('10:30'), probes: 10, probes_ok: 9, latency: latency([200, 9]), mttr_sum_ms: 600_000, mttr_count: 1 },
    { service: 'voice', region: 'north', start: at('11:30'), probes: 1, probes_ok: 1, latency: latency([50, 1]) },
    // voice|south
    { service: 'voice', region: 'south', start: at('10:00'), faults: 1 },
    { service: 'voice', region: 'south', start: at('10:05'), probes: 10, probes_ok: 8, latency: latency([100, 8]) },
    { service: 'voice', region: 'south', start: at('10:06'), mttr_sum_ms: 360_000, mttr_count: 1 },
    { service: 'broadband', region: 'west', start: at('10:45'), faults: 1 },
  ]);
  // A stale hour version written after the good one (version 4, from the minutes):
  // FINAL must ignore it.
  await putRollups('1h', [{ service: 'voice', region: 'north', start: at('10:00'), version: 3, probes: 999, probes_ok: 0 }]);
  await putAlarm({ service: 'voice', region: 'north', id: 'A', raised: at('10:00'), cleared: at('10:25'), acked: at('10:05') });
  // B: version 1 still open, version 2 cleared at 10:30; FINAL must read version 2.
  await putAlarm({ service: 'voice', region: 'north', id: 'B', raised: at('10:20'), cleared: null, version: 1 });
  await putAlarm({ service: 'voice', region: 'north', id: 'B', raised: at('10:20'), cleared: at('10:30'), version: 2 });
  // Not an outage (minor): no downtime.
  await putAlarm({ service: 'voice', region: 'north', id: 'C', raised: at('10:40'), cleared: at('10:50'), outage: false });
  await putAlarm({ service: 'voice', region: 'south', id: 'S', raised: at('10:00'), cleared: at('10:06') });
  // R: an occurrence retracted by version 2 (a late event moved it): no downtime, not open.
  await putAlarm({ service: 'voice', region: 'south', id: 'R', raised: at('10:30'), cleared: null, version: 1 });
  await putAlarm({ service: 'voice', region: 'south', id: 'R', raised: at('10:30'), cleared: null, version: 2, deleted: true });

  // broadband|west: an outage raised 10:45 and never cleared (its 10:45 rollup is above).
  await putAlarm({ service: 'broadband', region: 'west', id: 'W', raised: at('10:45'), cleared: null });

  // iptv: east has only a minor alarm (no rollups), west a 30-minute outage.
  await putAlarm({ service: 'iptv', region: 'east', id: 'E', raised: at('09:00'), cleared: null, outage: false });
  await putAlarm({ service: 'iptv', region: 'west', id: 'F', raised: at('10:15'), cleared: at('10:45') });
});

afterAll(async () => {
  await db?.close();
});

describe('kpis', () => {
  it('computes one region from hand-built rows, FINAL picking the newest versions', async () => {
    const k = await kpis(db, { service: 'voice', region: 'north', from: at('10:00'), to: at('11:00') }, { now: LATER });
    // Outages A 10:00–10:25 ∪ B 10:20–10:30 (version 2) = 10:00–10:30 = 30 min of 60 → availability 0.5;
    // C is minor and does not count. Had FINAL been skipped, B's open version would make it 60 of 60.
    expect(k.availability).toBeCloseTo(0.5, 12);
    expect(k.downtimeSeconds).toBeCloseTo(1800, 9);
    // Faults raised in the period: 10:00 and 10:20 → 2. MTTR: (25 min + 10 min) / 2 = (1500 + 600) / 2 = 1050 s.
    expect(k.faults).toBe(2);
    expect(k.mttrSeconds).toBeCloseTo(1050, 9);
    expect(k.mttaSeconds).toBeCloseTo(300, 9);
    // Probes: 10:00 v4 (10 of 10) + 10:30 (9 of 10) = 19 of 20 → 0.95; v2's 5 probes are not added.
    expect(k.probes.total).toBe(20);
    expect(k.probes.successRate).toBeCloseTo(0.95, 12);
    // Latencies: 10 × 100 ms, 9 × 200 ms (19). p50 = rank ⌈9.5⌉ = 10 → 100; p95 = rank ⌈18.05⌉ = 19 → 200.
    within1pc(k.probes.p50, 100);
    within1pc(k.probes.p95, 200);
    within1pc(k.probes.p99, 200);
    // Complaints: 2 network + 1 billing; response 600 s / 2 = 300 s; resolution 7200 s / 2 = 3600 s; 1 of 2 timely.
    expect(k.complaints).toEqual({
      opened: 3, byCategory: { network: 2, billing: 1, service: 0, other: 0 },
      meanResponseSeconds: 300, meanResolutionSeconds: 3600, timeliness: 0.5,
    });
    // NPS: 100 × (2 − 1) / 4 = 25. CSAT: 100 × 1 / 2 = 50.
    expect(k.nps).toEqual({ responses: 4, score: 25 });
    expect(k.csat).toEqual({ responses: 2, score: 50 });
    expect(k).toMatchObject({ service: 'voice', region: 'north', from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T11:00:00.000Z' });
    // 10:00–10:31 is read from minutes, where FINAL must keep the 10:00 version 4 as well.
    const minutes = await kpis(db, { service: 'voice', region: 'north', from: at('10:00'), to: at('10:31') }, { now: LATER });
    expect(minutes.probes.total).toBe(20);
    expect(minutes.probes.successRate).toBeCloseTo(0.95, 12);
    // Same outages over 31 minutes: 30 min down → 1 − 30/31.
    expect(minutes.availability).toBeCloseTo(1 - 30 / 31, 12);
  });

  it('takes the plain mean of regional availability and the union of everything else', async () => {
    const k = await kpis(db, { service: 'voice', region: null, from: at('10:00'), to: at('11:00') }, { now: LATER });
    // north 0.5 (30 min down), south 1 − 6/60 = 0.9 (R, retracted, adds nothing) → (0.5 + 0.9) / 2 = 0.7.
    expect(k.availability).toBeCloseTo(0.7, 12);
    // Downtime is the mean too, so availability = 1 − downtime / period: (1800 + 360) / 2 = 1080 s.
    expect(k.downtimeSeconds).toBeCloseTo(1080, 9);
    // Union: faults 2 + 1 = 3; probes 20 + 10 = 30, ok 19 + 8 = 27 → 0.9; MTTR (1500 + 600 + 360) / 3 = 820 s.
    expect(k.faults).toBe(3);
    expect(k.probes.total).toBe(30);
    expect(k.probes.successRate).toBeCloseTo(0.9, 12);
    expect(k.mttrSeconds).toBeCloseTo(820, 9);
    // Latencies: 18 × 100, 9 × 200 (27): p50 rank 14 → 100, p95 rank ⌈25.65⌉ = 26 → 200.
    within1pc(k.probes.p50, 100);
    within1pc(k.probes.p95, 200);
    expect(k.region).toBeNull();
  });

  it('counts a region with only an alarm row (of any severity) in the mean', async () => {
    const k = await kpis(db, { service: 'iptv', region: null, from: at('10:00'), to: at('11:00') }, { now: LATER });
    // east: minor alarm only → present, no downtime → 1; west: 10:15–10:45 = 30 min → 0.5. Mean 0.75.
    expect(k.availability).toBeCloseTo(0.75, 12);
    expect(k.downtimeSeconds).toBeCloseTo(900, 9);
    expect(k.probes.total).toBe(0);
  });

  it('runs an open-ended outage to the end of the period, or to now while the period is current', async () => {
    const q = { service: 'broadband', region: 'west', from: at('10:00'), to: at('11:00') };
    // Raised 10:45, not cleared: 10:45–11:00 = 15 min → 1 − 900/3600 = 0.75.
    const past = await kpis(db, q, { now: LATER });
    expect(past.availability).toBeCloseTo(0.75, 12);
    expect(past.downtimeSeconds).toBeCloseTo(900, 9);
    // At 10:50 only 10:45–10:50 = 5 min has happened → 1 − 300/3600.
    const live = await kpis(db, q, { now: () => at('10:50') });
    expect(live.downtimeSeconds).toBeCloseTo(300, 9);
    expect(live.availability).toBeCloseTo(1 - 300 / 3600, 12);
    // The clock may also come with the query.
    expect((await kpis(db, { ...q, now: at('10:50') })).downtimeSeconds).toBeCloseTo(300, 9);
    expect(past.faults).toBe(1);
    expect(past.mttrSeconds).toBeNull();
  });

  it('answers null figures for a scope without data', async () => {
    const k = await kpis(db, { service: 'nothing', region: null, from: at('10:00'), to: at('11:00') }, { now: LATER });
    expect(k).toEqual({
      service: 'nothing', region: null, from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T11:00:00.000Z',
      availability: null, downtimeSeconds: null, faults: 0, mttrSeconds: null, mttaSeconds: null,
      probes: { total: 0, successRate: null, p50: null, p95: null, p99: null },
      complaints: { opened: 0, byCategory: { network: 0, billing: 0, service: 0, other: 0 }, meanResponseSeconds: null, meanResolutionSeconds: null, timeliness: null },
      nps: { responses: 0, score: null }, csat: { responses: 0, score: null },
    });
    // voice|north before any of its rows: no rows at all → null availability too.
    const early = await kpis(db, { service: 'voice', region: 'north', from: at('08:00'), to: at('09:00') }, { now: LATER });
    expect(early.availability).toBeNull();
  });

  it('computes many scopes in one batch, listed scopes in order and empty ones as nulls', async () => {
    const list = await kpisForScopes(db, [{ service: 'voice', region: 'south' }, { service: 'ghost', region: 'x' }, { service: 'voice', region: 'north' }],
      at('10:00'), at('11:00'), { now: LATER });
    expect(list.map((k) => `${k.service}|${k.region}`)).toEqual(['voice|south', 'ghost|x', 'voice|north']);
    expect(list[0]!.availability).toBeCloseTo(0.9, 12);
    expect(list[0]!.probes.total).toBe(10);
    expect(list[1]!.availability).toBeNull();
    expect(list[2]!.availability).toBeCloseTo(0.5, 12);
    const all = await kpisForScopes(db, 'all', at('10:00'), at('11:00'), { now: LATER });
    // Every scope with a rollup or alarm row in 10:00–11:00.
    expect(all.map((k) => `${k.service}|${k.region}`)).toEqual(['broadband|west', 'iptv|east', 'iptv|west', 'voice|north', 'voice|south']);
    expect(all.find((k) => k.service === 'broadband')!.availability).toBeCloseTo(0.75, 12);
  });
});

describe('periods mixing days, hours and minutes', () => {
  it('splits a period into whole UTC days, whole hours and the minutes left over', () => {
    expect(splitPeriod(at('22:30'), at('01:30', '2026-03-03')).map((s) => [s.res, new Date(s.from).toISOString().slice(5, 16), new Date(s.to).toISOString().slice(5, 16)])).toEqual([
      ['1m', '03-01T22:30', '03-01T23:00'], ['1h', '03-01T23:00', '03-02T00:00'], ['1d', '03-02T00:00', '03-03T00:00'],
      ['1h', '03-03T00:00', '03-03T01:00'], ['1m', '03-03T01:00', '03-03T01:30'],
    ]);
    expect(splitPeriod(at('10:07'), at('10:52')).map((s) => s.res)).toEqual(['1m']);
  });

  it('reads each stretch from its own table: marker rows show exactly which rows were summed', async () => {
    // Deliberately inconsistent tables, each row a different power of two of probes, so the
    // total names the rows read. Period 03-01 22:30 – 03-03 01:30. Rows that must be read have
    // all probes ok, the others none, so series can tell the tables apart too.
    const s = { service: 'marker', region: 'm' };
    await putRollups('1m', [
      { ...s, start: at('22:29'), probes: 1 }, // before the period
      { ...s, start: at('22:30'), probes: 2, probes_ok: 2 }, // read (leading minutes)
      { ...s, start: at('23:10'), probes: 4 }, // hour 23 is read from rollup_1h instead
      { ...s, start: at('01:29', '2026-03-03'), probes: 8, probes_ok: 8 }, // read (trailing minutes)
      { ...s, start: at('01:30', '2026-03-03'), probes: 16 }, // at `to`: excluded
    ]);
    await putRollups('1h', [
      { ...s, start: at('22:00'), probes: 32 }, // partly outside: read as minutes instead
      { ...s, start: at('23:00'), probes: 64, probes_ok: 64 }, // read
      { ...s, start: at('05:00', '2026-03-02'), probes: 128 }, // the day is read from rollup_1d instead
      { ...s, start: at('00:00', '2026-03-03'), probes: 256, probes_ok: 256 }, // read
    ]);
    await putRollups('1d', [
      { ...s, start: at('00:00'), probes: 512 }, // partly outside
      { ...s, start: at('00:00', '2026-03-02'), probes: 1024, probes_ok: 1024 }, // read
      { ...s, start: at('00:00', '2026-03-03'), probes: 2048 }, // partly outside
    ]);
    const k = await kpis(db, { ...s, from: at('22:30'), to: at('01:30', '2026-03-03') }, { now: LATER });
    // 2 + 8 + 64 + 256 + 1024 = 1354, all ok.
    expect(k.probes.total).toBe(1354);
    expect(k.probes.successRate).toBe(1);
    // Series read the table of their step: 1h → rollup_1h (64 ok of 64 at 23:00), 5m → rollup_1m
    // (23:10: 0 of 4), 1d → rollup_1d (03-02: 1024 of 1024; the 05:00 hour row is not read).
    const q = { metric: 'probe_success' as const, ...s, from: at('23:00'), to: at('00:00', '2026-03-02') };
    expect((await series(db, { ...q, step: '1h' }, { now: LATER })).points.map((p) => p.v)).toEqual([1]);
    expect((await series(db, { ...q, step: '5m' }, { now: LATER })).points.map((p) => p.v)).toEqual([null, null, 0, ...Array(9).fill(null)]);
    const day = await series(db, { ...q, from: at('00:00', '2026-03-02'), to: at('00:00', '2026-03-03'), step: '1d' }, { now: LATER });
    expect(day.points.map((p) => p.v)).toEqual([1]);
  });

  it('gives the same figures from consistent days, hours and minutes as the minutes alone would', async () => {
    // One probe a minute from 03-01 22:00 to 03-03 02:00: even minutes ok at 50 ms, odd minutes
    // failed; every minute divisible by 7 (since the epoch) also holds an outage fault.
    // Hours and days are the sums of their minutes, as the processor writes them.
    const s = { service: 'mixed', region: 'r' };
    const start = at('22:00');
    const end = at('02:00', '2026-03-03');
    const minutes: RollupIn[] = [];
    for (let t = start; t < end; t += MIN) {
      const m = t / MIN;
      minutes.push({ ...s, start: t, probes: 1, probes_ok: m % 2 === 0 ? 1 : 0, latency: m % 2 === 0 ? latency([50, 1]) : {}, faults: m % 7 === 0 ? 1 : 0 });
    }
    await putMinutes(minutes);
    const from = at('22:30');
    const to = at('01:30', '2026-03-03');
    // From the minutes: 22:30 → 01:30 two days later is 27 h = 1620 minutes. 22:30 on 03-01 is
    // minute 29,540,070 since the epoch: even, so 810 of the 1620 are ok (at 50 ms), and equal to
    // 7 × 4,220,010, so faults sit at offsets 0, 7, …, 1617: ⌊1619 / 7⌋ + 1 = 232.
    const k = await kpis(db, { ...s, from, to }, { now: LATER });
    expect(k.probes.total).toBe(1620);
    expect(k.probes.successRate).toBeCloseTo(0.5, 12);
    expect(k.faults).toBe(232);
    within1pc(k.probes.p50, 50);
    within1pc(k.probes.p95, 50);
    // One minute less at each end (22:31 – 01:29): 1618 minutes from an odd one → 809 ok;
    // faults at offsets 6, 13, …, 1616 from 22:31: ⌊(1617 − 6) / 7⌋ + 1 = 231.
    const inner = await kpis(db, { ...s, from: from + MIN, to: to - MIN }, { now: LATER });
    expect(inner.probes.total).toBe(1618);
    expect(inner.probes.successRate).toBeCloseTo(809 / 1618, 12);
    expect(inner.faults).toBe(231);
  });
});

describe('series', () => {
  it('gives 5-minute fault counts (kpis of each bucket: 0 where no rows)', async () => {
    const s = await series(db, { metric: 'faults', service: 'voice', region: 'north', from: at('10:00'), to: at('10:30'), step: '5m' }, { now: LATER });
    // Faults at 10:00 and 10:20.
    expect(s.points.map((p) => p.v)).toEqual([1, 0, 0, 0, 1, 0]);
    expect(s.points.map((p) => p.t.slice(11, 16))).toEqual(['10:00', '10:05', '10:10', '10:15', '10:20', '10:25']);
    expect(s).toMatchObject({ metric: 'faults', service: 'voice', region: 'north', step: '5m', from: '2026-03-01T10:00:00.000Z', to: '2026-03-01T10:30:00.000Z' });
  });

  it('gives hourly availability per region and the mean over regions per bucket', async () => {
    const north = await series(db, { metric: 'availability', service: 'voice', region: 'north', from: at('10:00'), to: at('13:00'), step: '1h' }, { now: LATER });
    // 10:00–11:00: 30 min down → 0.5; 11:00–12:00: a rollup row at 11:30, no outage → 1; 12:00–13:00: no rows → null.
    expect(north.points.map((p) => p.v)).toEqual([0.5, 1, null]);
    const all = await series(db, { metric: 'availability', service: 'voice', region: null, from: at('10:00'), to: at('10:10'), step: '5m' }, { now: LATER });
    // 10:00–10:05: north down (A), south down (S) → (0 + 0) / 2 = 0.
    // 10:05–10:10: north down all 5 min → 0; south down 10:05–10:06 = 1 of 5 min → 0.8; mean 0.4.
    expect(all.points[0]!.v).toBeCloseTo(0, 12);
    expect(all.points[1]!.v).toBeCloseTo(0.4, 12);
  });

  it('widens the period to whole steps and reads hourly latency and mttr', async () => {
    const s = await series(db, { metric: 'latency_p95', service: 'voice', region: 'north', from: at('10:07'), to: at('10:52'), step: '1h' }, { now: LATER });
    expect(s.from).toBe('2026-03-01T10:00:00.000Z');
    expect(s.to).toBe('2026-03-01T11:00:00.000Z');
    expect(s.points).toHaveLength(1);
    // The 10:00 hour: 10 × 100 ms, 9 × 200 ms → p95 rank 19 → 200.
    within1pc(s.points[0]!.v, 200);
    const mttr = await series(db, { metric: 'mttr', service: 'voice', region: 'north', from: at('10:00'), to: at('11:00'), step: '1h' }, { now: LATER });
    expect(mttr.points[0]!.v).toBeCloseTo(1050, 9);
  });

  it('reads probe success, complaints and NPS per minute', async () => {
    const q = { service: 'voice', region: 'north', from: at('10:00'), to: at('10:16'), step: '1m' as const };
    const ps = await series(db, { ...q, metric: 'probe_success' }, { now: LATER });
    expect(ps.points).toHaveLength(16);
    expect(ps.points[0]!.v).toBe(1);
    expect(ps.points[1]!.v).toBeNull();
    const c = await series(db, { ...q, metric: 'complaints' }, { now: LATER });
    expect(c.points[10]!.v).toBe(3);
    const n = await series(db, { ...q, metric: 'nps' }, { now: LATER });
    expect(n.points[15]!.v).toBe(25);
    expect(n.points[14]!.v).toBeNull();
  });
});

describe('sla', () => {
  // voice: availability 0.9995 and latency p95 150 ms (config/sla.json); the rest defaults.
  const cfg = parseSlaConfig({
    defaults: { availability: 0.999, probeSuccess: 0.99, latencyP95Ms: 250, mttrSeconds: 14400, complaintTimeliness: 0.9, complaintResponseHours: 4, complaintResolutionHours: 24 },
    services: { voice: { availability: 0.9995, latencyP95Ms: 150 }, iptv: { availability: 0.5, mttrSeconds: 60 } },
  });

  it('lists each objective met or missed, the share met and the error budget with its burn', async () => {
    const r = await sla(db, cfg, { service: 'voice', from: at('10:00'), to: at('12:00') }, { now: LATER });
    // Over 10:00–12:00: north 30 min down of 120 → 0.75; south 6 of 120 → 0.95; mean 0.85 < 0.9995: missed.
    // Probes 21 + 10 = 31, ok 20 + 8 = 28 → 0.903 < 0.99: missed. p95 of 18×100, 9×200, 1×50 (28):
    // rank ⌈26.6⌉ = 27 → 200 > 150: missed. MTTR 820 s ≤ 14400: met. Timeliness 0.5 < 0.9: missed.
    expect(r.objectives.map((o) => [o.objective, o.met])).toEqual([
      ['availability', false], ['probeSuccess', false], ['latencyP95Ms', false], ['mttrSeconds', true], ['complaintTimeliness', false],
    ]);
    expect(r.objectives[0]).toMatchObject({ target: 0.9995 });
    expect(r.objectives[0]!.actual).toBeCloseTo(0.85, 12);
    expect(r.objectives[1]!.actual).toBeCloseTo(28 / 31, 12);
    expect(r.objectives[3]).toMatchObject({ target: 14400, actual: 820 });
    expect(r.shareMet).toBeCloseTo(1 / 5, 12);
    // Budget: (1 − 0.9995) × 7200 s = 3.6 s; used: mean downtime (1800 + 360) / 2 = 1080 s.
    expect(r.errorBudget.allowedSeconds).toBeCloseTo(3.6, 9);
    expect(r.errorBudget.usedSeconds).toBeCloseTo(1080, 9);
    expect(r.errorBudget.remainingSeconds).toBeCloseTo(3.6 - 1080, 9);
    expect(r.errorBudget.remainingShare).toBeCloseTo((3.6 - 1080) / 3.6, 9);
    // Hourly cumulative burn (period ≤ 2 days): all of it in the 10:00 hour, none added at 11:00.
    expect(r.errorBudget.burn.map((p) => [p.t.slice(11, 16), p.usedSeconds])).toEqual([['10:00', 1080], ['11:00', 1080]]);
  });

  it('burns per hour up to two days and per day beyond; a partial first bucket starts at from', async () => {
    // 09:30 + 2 days: hourly. Buckets 09:30–10:00 (nothing), 10:00–11:00 (1080 s), then flat;
    // 1 half hour + 47 whole hours + the last half hour (03-03 09:00–09:30) = 49 points.
    const two = await sla(db, cfg, { service: 'voice', from: at('09:30'), to: at('09:30', '2026-03-03') }, { now: LATER });
    expect(two.errorBudget.burn).toHaveLength(49);
    expect(two.errorBudget.burn.slice(0, 3).map((p) => [p.t.slice(11, 16), p.usedSeconds])).toEqual([['09:30', 0], ['10:00', 1080], ['11:00', 1080]]);
    expect(two.errorBudget.burn.at(-1)!.usedSeconds).toBe(1080);
    // One minute more: daily. 03-01 09:30–24:00, 03-02, 03-03 00:00–09:31 → 3 points.
    const more = await sla(db, cfg, { service: 'voice', from: at('09:30'), to: at('09:31', '2026-03-03') }, { now: LATER });
    expect(more.errorBudget.burn.map((p) => [p.t, p.usedSeconds])).toEqual([
      ['2026-03-01T09:30:00.000Z', 1080], ['2026-03-02T00:00:00.000Z', 1080], ['2026-03-03T00:00:00.000Z', 1080],
    ]);
  });

  it('stops the burn at now while the period is current, an open outage running to now', async () => {
    // broadband|west: outage from 10:45, open; now = 11:10:30 → 25.5 min = 1530 s by now.
    // Hour buckets 10:00 (15 min = 900 s) and 11:00 (10.5 min → 1530 s cumulative); none after now.
    const r = await sla(db, cfg, { service: 'broadband', from: at('10:00'), to: at('13:00') }, { now: () => at('11:10') + 30_000 });
    expect(r.errorBudget.burn.map((p) => [p.t.slice(11, 16), p.usedSeconds])).toEqual([['10:00', 900], ['11:00', 1530]]);
    expect(r.errorBudget.usedSeconds).toBe(1530);
  });

  it('meets objectives within target and burns per day over long periods; no data → nulls', async () => {
    const r = await sla(db, cfg, { service: 'iptv', from: at('00:00'), to: at('00:00', '2026-03-11') }, { now: LATER });
    // iptv over 10 days: east minor only → 1; west 30 min of 14,400 → 1 − 1800/864000. Mean ≥ 0.5: met.
    // No probes, clears or tickets: those objectives are null and not in the share.
    expect(r.objectives.map((o) => o.met)).toEqual([true, null, null, null, null]);
    expect(r.shareMet).toBe(1);
    // Budget 0.5 × 864,000 s = 432,000 s; used (0 + 1800) / 2 = 900 s, all on 03-01.
    expect(r.errorBudget.allowedSeconds).toBeCloseTo(432_000, 6);
    expect(r.errorBudget.usedSeconds).toBeCloseTo(900, 9);
    expect(r.errorBudget.burn).toHaveLength(10);
    expect(r.errorBudget.burn[0]!.usedSeconds).toBeCloseTo(900, 9);
    expect(r.errorBudget.burn[9]!.usedSeconds).toBeCloseTo(900, 9);
    const none = await sla(db, cfg, { service: 'nothing', from: at('10:00'), to: at('11:00') }, { now: LATER });
    expect(none.objectives.every((o) => o.actual === null && o.met === null)).toBe(true);
    expect(none.shareMet).toBeNull();
    expect(none.errorBudget).toEqual({ allowedSeconds: expect.closeTo(3.6, 9), usedSeconds: null, remainingSeconds: null, remainingShare: null, burn: [] });
  });
});
