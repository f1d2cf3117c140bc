// GET /api/v1/series (CONTRACT.md section 5): one figure per time bucket. Each
// point is what /kpis would answer for that bucket alone, read from the rollup
// whose windows nest in the step (1m for 1m and 5m, 1h, 1d).
import type { Db } from '../../../infra/clickhouse/client.js';
import { emptyRollup, figuresFromRollup, unionIntervals, type Resolution, type Rollup } from '../../../processors/core/index.js';
import { alarmSpans, type AlarmSpan } from './alarm-query.js';
import type { QueryClock } from './kpis.js';
import { ceilTo, DAY_MS, floorTo, HOUR_MS, iso, MINUTE_MS } from './period.js';
import { regionsPerBucket, rollupBuckets } from './rollup-query.js';

export const SERIES_METRICS = ['availability', 'faults', 'mttr', 'probe_success', 'latency_p95', 'complaints', 'nps'] as const;
export type SeriesMetric = (typeof SERIES_METRICS)[number];

export const STEPS = {
  '1m': { ms: MINUTE_MS, res: '1m' },
  '5m': { ms: 5 * MINUTE_MS, res: '1m' },
  '1h': { ms: HOUR_MS, res: '1h' },
  '1d': { ms: DAY_MS, res: '1d' },
} as const satisfies Record<string, { ms: number; res: Resolution }>;
export type Step = keyof typeof STEPS;

export interface SeriesQuery {
  metric: SeriesMetric;
  service: string;
  region: string | null;
  from: number;
  to: number;
  step: Step;
}

export interface Series {
  metric: SeriesMetric;
  service: string;
  region: string | null;
  from: string;
  to: string;
  step: Step;
  points: { t: string; v: number | null }[];
}

/**
 * A series covers whole steps: `from` is rounded down and `to` up to the step
 * (UTC), so an hourly chart of "the last 24 hours" needs no hour-aligned input.
 * The answer's from/to are these widened bounds.
 */
export function seriesBounds(from: number, to: number, step: Step): { from: number; to: number; points: number } {
  const ms = STEPS[step].ms;
  const f = floorTo(from, ms);
  const t = ceilTo(to, ms);
  return { from: f, to: t, points: (t - f) / ms };
}

type RollupValue = (f: ReturnType<typeof figuresFromRollup>) => number | null;
const FROM_ROLLUP: Record<Exclude<SeriesMetric, 'availability'>, RollupValue> = {
  faults: (f) => f.faults,
  mttr: (f) => f.mttrSeconds,
  probe_success: (f) => f.probes.successRate,
  latency_p95: (f) => f.probes.p95,
  complaints: (f) => f.complaints.opened,
  nps: (f) => f.nps.score,
};

/** Adds each disjoint interval's overlap with every bucket it covers to `acc`. */
function spread(intervals: readonly { start: number; end: number }[], from: number, stepMs: number, acc: Float64Array): void {
  for (const { start, end } of intervals) {
    for (let i = Math.floor((start - from) / stepMs); i < acc.length && from + i * stepMs < end; i++) {
      const b = from + i * stepMs;
      acc[i]! += Math.min(end, b + stepMs) - Math.max(start, b);
    }
  }
}

/**
 * Availability per bucket: the plain mean over the regions present in that bucket
 * (any rollup row in it, or any alarm overlapping it) of 1 − downtime / step.
 * Intervals are merged once per region and spread over the buckets, so the cost
 * is linear in buckets plus alarms.
 */
function availabilityPoints(
  regionsWithRows: Map<number, Set<string>>, spans: readonly AlarmSpan[], from: number, to: number, stepMs: number, now: number,
): (number | null)[] {
  const n = (to - from) / stepMs;
  const byRegion = new Map<string, AlarmSpan[]>();
  for (const s of spans) {
    const list = byRegion.get(s.region);
    if (list) list.push(s);
    else byRegion.set(s.region, [s]);
  }
  const regions = new Set<string>(byRegion.keys());
  for (const set of regionsWithRows.values()) for (const r of set) regions.add(r);
  const sum = new Float64Array(n);
  const count = new Uint32Array(n);
  for (const region of regions) {
    const own = byRegion.get(region) ?? [];
    const down = new Float64Array(n);
    spread(unionIntervals(own.filter((s) => s.outage), from, Math.max(from, Math.min(to, now))), from, stepMs, down);
    const covered = new Float64Array(n);
    spread(unionIntervals(own, from, to), from, stepMs, covered);
    for (let i = 0; i < n; i++) {
      if (covered[i]! > 0 || regionsWithRows.get(from + i * stepMs)?.has(region)) {
        sum[i]! += 1 - down[i]! / stepMs;
        count[i]!++;
      }
    }
  }
  return Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : null));
}

export async function series(db: Db, q: SeriesQuery, clock: QueryClock = {}): Promise<Series> {
  const { ms: stepMs, res } = STEPS[q.step];
  const { from, to, points: n } = seriesBounds(q.from, q.to, q.step);
  const bucketQuery = { service: q.service, region: q.region, res, bucketMs: stepMs, from, to };
  let values: (number | null)[];
  if (q.metric === 'availability') {
    const [regionsWithRows, spans] = await Promise.all([
      regionsPerBucket(db, bucketQuery),
      alarmSpans(db, { service: q.service, region: q.region }, from, to),
    ]);
    values = availabilityPoints(regionsWithRows, spans, from, to, stepMs, (clock.now ?? Date.now)());
  } else {
    const merged = new Map<number, Rollup>();
    for (const b of await rollupBuckets(db, { ...bucketQuery, latency: q.metric === 'latency_p95' })) merged.set(b.bucket, b.rollup);
    const value = FROM_ROLLUP[q.metric];
    values = Array.from({ length: n }, (_, i) => value(figuresFromRollup(merged.get(from + i * stepMs) ?? emptyRollup(q.service, '', res, 0))));
  }
  return {
    metric: q.metric, service: q.service, region: q.region, from: iso(from), to: iso(to), step: q.step,
    points: values.map((v, i) => ({ t: iso(from + i * stepMs), v })),
  };
}
