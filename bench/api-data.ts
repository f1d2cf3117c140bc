// Thirty days of rollups and alarms for 1,000 scopes, shaped exactly as the
// processors write them (rows built by processors/clickhouse-sink.ts from core
// Rollups and AlarmRecords), at the resolutions the queries read:
//   - rollup_1d: every day of the period (29 whole days + the partial ones at both ends);
//   - rollup_1h: every hour of the period (~720 per scope);
//   - rollup_1m: only the hours that hold the period's ragged ends (the first hour,
//     and the last six hours up to now). kpis and series read minutes only for
//     those; the other 43 M minute rows a real deployment would hold are never in
//     a 1h/1d query's key range, so they are left out to keep the fill short.
// As in the core, an hour with minutes is the sum of its minutes and a day the sum
// of its hours. Figures follow the simulator's service profiles: probes every
// 30 s per element, log-normal latency, ~1 outage alarm per scope and day,
// 6 complaints and 12+12 survey answers per scope and hour.
import type { Db } from '../infra/clickhouse/client.js';
import { alarmRow, rollupRow } from '../processors/clickhouse-sink.js';
import { emptyRollup, mergeRollup, sketchFromRecord, sketchOf, type AlarmRecord, type Resolution, type Rollup, type Sketch, type SketchRecord } from '../processors/core/index.js';
import { Rng } from '../ingest/simulator/prng.js';
import { profileFor } from '../ingest/simulator/service-profiles.js';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, MINUTE_MS } from '../dashboard/server/queries/period.js';

export const API_SERVICES = ['mobile-data', 'voice', 'broadband', 'iptv', 'sms', 'enterprise-vpn', 'iot', 'fixed-voice', 'wholesale', 'cloud-connect'];
export const API_REGIONS = Array.from({ length: 100 }, (_, i) => `r${String(i).padStart(3, '0')}`);

export interface ApiData {
  from: number;
  to: number;
  rows: { day: number; hour: number; minute: number; alarms: number };
  /** Probes over [from, to) per service, summed here as the rows were made, to check the API's answer. */
  probesByService: Map<string, number>;
}

const LATENCY_VARIANTS = 16;
const VARIANT_SAMPLES = 4000;
const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;

/** Per service, a few hourly latency shapes (healthy and degraded) sampled from its profile. */
function latencyVariants(rng: Rng, service: string): { healthy: Sketch[]; degraded: Sketch[] } {
  const p = profileFor(service);
  const make = (factor: number) => {
    const median = p.latencyMedianMs * factor * rng.uniform(0.9, 1.1);
    return sketchOf(Array.from({ length: VARIANT_SAMPLES }, () => rng.logNormal(median, p.latencySigma)));
  };
  return {
    healthy: Array.from({ length: LATENCY_VARIANTS }, () => make(1)),
    degraded: Array.from({ length: LATENCY_VARIANTS / 4 }, () => make(2.5)),
  };
}

/** `shape` rescaled to exactly `n` values (largest-remainder rounding, so no count goes negative). */
function scaled(shape: Sketch, n: number): Sketch {
  const out: SketchRecord = {};
  const rest: [number, number][] = [];
  let total = 0;
  shape.keys.forEach((k, i) => {
    const exact = (shape.counts[i]! * n) / VARIANT_SAMPLES;
    const c = Math.floor(exact);
    if (c > 0) out[k] = c;
    total += c;
    rest.push([k, exact - c]);
  });
  rest.sort((a, b) => b[1] - a[1]);
  for (let i = 0; i < n - total; i++) {
    const key = rest[i % rest.length]![0];
    out[key] = (out[key] ?? 0) + 1;
  }
  return sketchFromRecord(out);
}

function makeAlarms(rng: Rng, service: string, region: string, from: number, now: number): AlarmRecord[] {
  const out: AlarmRecord[] = [];
  for (let t = from - DAY_MS + rng.exponential(DAY_MS); t < now; t += rng.exponential(DAY_MS)) {
    const raisedTs = Math.round(t);
    const severity = SEVERITIES[rng.weightedIndex([3, 4, 2, 1])]!;
    const clearedTs = Math.round(raisedTs + rng.pareto(5 * MINUTE_MS, 1.5, 6 * HOUR_MS));
    const ackTs = Math.round(raisedTs + rng.uniform(MINUTE_MS, 15 * MINUTE_MS));
    const serviceAffecting = rng.chance(0.9);
    out.push({
      service, region, alarmId: `ALM-${region}-${out.length + 1}`, element: `ne-${rng.int(1, 40)}`, severity, serviceAffecting,
      outage: serviceAffecting && (severity === 'critical' || severity === 'major'), raisedTs,
      // One alarm in ten raised in the last hour is still open.
      ackTs: ackTs < now ? ackTs : null, clearedTs: clearedTs < now && !(raisedTs > now - HOUR_MS && rng.chance(0.1)) ? clearedTs : null,
      version: 1,
    });
  }
  return out;
}

interface ScopeProfile {
  service: string;
  region: string;
  elements: number;
  alarms: AlarmRecord[];
  latency: { healthy: Sketch[]; degraded: Sketch[] };
  failure: number;
}

/** One window of one scope: traffic from the profile, alarm counters from the scope's alarms. */
function windowRollup(rng: Rng, p: ScopeProfile, res: Resolution, start: number, now: number): Rollup {
  const end = start + (res === '1m' ? MINUTE_MS : HOUR_MS);
  const hours = (end - start) / HOUR_MS;
  const r = emptyRollup(p.service, p.region, res, start);
  const down = p.alarms.some((a) => a.outage && a.raisedTs < end && (a.clearedTs ?? Infinity) > start);
  for (const a of p.alarms) {
    if (a.outage && a.raisedTs >= start && a.raisedTs < end) r.faults++;
    if (a.outage && a.clearedTs !== null && a.clearedTs >= start && a.clearedTs < end) { r.mttrCount++; r.mttrSumMs += a.clearedTs - a.raisedTs; }
    if (a.ackTs !== null && a.ackTs >= start && a.ackTs < end) { r.mttaCount++; r.mttaSumMs += a.ackTs - a.raisedTs; }
  }
  r.probes = Math.round(p.elements * 120 * hours);
  const failed = Math.min(r.probes, rng.poisson(r.probes * (down ? 0.15 : p.failure)));
  r.probesOk = r.probes - failed;
  if (res === '1m') {
    const prof = profileFor(p.service);
    r.latency = sketchOf(Array.from({ length: r.probesOk }, () => rng.logNormal(prof.latencyMedianMs * (down ? 2.5 : 1), prof.latencySigma)));
  } else {
    const shapes = down ? p.latency.degraded : p.latency.healthy;
    r.latency = scaled(shapes[rng.int(0, shapes.length - 1)]!, r.probesOk);
  }
  const opened = rng.poisson(6 * hours * (down ? 4 : 1));
  for (let i = 0; i < opened; i++) {
    const c = rng.weightedIndex([5, 2, 2, 1]);
    if (c === 0) r.openedNetwork++; else if (c === 1) r.openedBilling++; else if (c === 2) r.openedService++; else r.openedOther++;
  }
  r.responseCount = rng.poisson(6 * hours);
  for (let i = 0; i < r.responseCount; i++) r.responseSumMs += Math.round(rng.exponential(20 * MINUTE_MS));
  r.resolutionCount = rng.poisson(6 * hours);
  for (let i = 0; i < r.resolutionCount; i++) {
    const t = Math.round(rng.exponential(8 * HOUR_MS));
    r.resolutionSumMs += t;
    if (t <= 24 * HOUR_MS) r.resolvedTimely++;
  }
  r.npsResponses = rng.poisson(12 * hours);
  for (let i = 0; i < r.npsResponses; i++) {
    const score = rng.int(0, 10);
    if (score >= 9) r.npsPromoters++; else if (score <= 6 && rng.chance(0.6)) r.npsDetractors++;
  }
  r.csatResponses = rng.poisson(12 * hours);
  for (let i = 0; i < r.csatResponses; i++) if (rng.chance(0.8)) r.csatSatisfied++;
  r.version = 1;
  r.final = end <= now - 2 * MINUTE_MS;
  return r;
}

async function insert(db: Db, table: string, values: object[]): Promise<void> {
  if (values.length > 0) await db.client.insert({ table: db.t(table), values, format: 'JSONEachRow' });
}

/**
 * Fills the tables for [to − 30 days, to), `to` the end of the current minute.
 * Scopes are generated and inserted a few at a time, so memory stays small.
 */
export async function fillApiData(db: Db, now: number, log: (m: string) => void): Promise<ApiData> {
  const to = floorTo(now, MINUTE_MS) + MINUTE_MS;
  const from = to - 30 * DAY_MS;
  const firstHour = floorTo(from, HOUR_MS);
  const lastHour = floorTo(to - 1, HOUR_MS);
  const withMinutes = new Set([firstHour, ...Array.from({ length: 6 }, (_, i) => lastHour - i * HOUR_MS)]);
  const rng = new Rng(42);
  const rows = { day: 0, hour: 0, minute: 0, alarms: 0 };
  const probesByService = new Map<string, number>();
  const CHUNK = 10;
  for (const service of API_SERVICES) {
    const latency = latencyVariants(rng, service);
    for (let c = 0; c < API_REGIONS.length; c += CHUNK) {
      const batch = { day: [] as object[], hour: [] as object[], minute: [] as object[], alarms: [] as object[] };
      for (const region of API_REGIONS.slice(c, c + CHUNK)) {
        const p: ScopeProfile = {
          service, region, elements: rng.int(10, 40), latency, failure: profileFor(service).baseFailure,
          alarms: makeAlarms(rng, service, region, from, now),
        };
        batch.alarms.push(...p.alarms.map(alarmRow));
        let day: Rollup | null = null;
        for (let h = firstHour; h <= lastHour; h += HOUR_MS) {
          let hour: Rollup;
          if (withMinutes.has(h)) {
            hour = emptyRollup(service, region, '1h', h);
            for (let m = h; m < Math.min(h + HOUR_MS, to); m += MINUTE_MS) {
              const minute = windowRollup(rng, p, '1m', m, now);
              mergeRollup(hour, minute);
              batch.minute.push(rollupRow(minute));
              if (m >= from && (h < from || h + HOUR_MS > to)) probesByService.set(service, (probesByService.get(service) ?? 0) + minute.probes);
            }
            hour.version = 1;
            hour.final = h + HOUR_MS <= now - 2 * MINUTE_MS;
          } else {
            hour = windowRollup(rng, p, '1h', h, now);
          }
          batch.hour.push(rollupRow(hour));
          if (h >= from && h + HOUR_MS <= to) probesByService.set(service, (probesByService.get(service) ?? 0) + hour.probes);
          if (!day || day.start !== floorTo(h, DAY_MS)) {
            if (day) batch.day.push(rollupRow(day));
            day = { ...emptyRollup(service, region, '1d', floorTo(h, DAY_MS)), version: 1 };
          }
          mergeRollup(day, hour);
          day.final = ceilTo(h + 1, DAY_MS) <= now - 2 * MINUTE_MS;
        }
        if (day) batch.day.push(rollupRow(day));
      }
      await insert(db, 'rollup_1m', batch.minute);
      await insert(db, 'rollup_1h', batch.hour);
      await insert(db, 'rollup_1d', batch.day);
      await insert(db, 'alarms', batch.alarms);
      rows.minute += batch.minute.length;
      rows.hour += batch.hour.length;
      rows.day += batch.day.length;
      rows.alarms += batch.alarms.length;
    }
    log(`filled ${service}: ${rows.hour} hour rows so far`);
  }
  return { from, to, rows, probesByService };
}
