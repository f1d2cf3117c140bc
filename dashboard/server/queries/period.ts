// Time arithmetic shared by the queries: periods are [from, to) in epoch ms,
// aligned to whole minutes (CONTRACT.md section 4), and are read from the
// coarsest rollup that covers a stretch exactly, so a 400-day period reads about
// 400 day rows instead of 576,000 minute rows.
import type { Resolution } from '../../../processors/core/index.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export const floorTo = (ts: number, unit: number): number => Math.floor(ts / unit) * unit;
export const ceilTo = (ts: number, unit: number): number => Math.ceil(ts / unit) * unit;

/**
 * The end of the minute `now` falls in. Live figures and the API's default `to`
 * end here, so the current (provisional) minute is included and the period is
 * never empty, even at hh:mm:00.000.
 */
export const endOfCurrentMinute = (now: number): number => floorTo(now, MINUTE_MS) + MINUTE_MS;

export const iso = (ts: number): string => new Date(ts).toISOString();

export interface Segment {
  res: Resolution;
  from: number;
  to: number;
}

function splitHours(from: number, to: number): Segment[] {
  const h0 = ceilTo(from, HOUR_MS);
  const h1 = floorTo(to, HOUR_MS);
  if (h0 >= h1) return [{ res: '1m', from, to }];
  return [
    { res: '1m', from, to: h0 },
    { res: '1h', from: h0, to: h1 },
    { res: '1m', from: h1, to },
  ];
}

/**
 * [from, to) as whole UTC days, then whole hours, then the minutes left at either
 * end. Empty segments are dropped. Every rollup row of the period falls in
 * exactly one segment of its own resolution because hours and days are the sums
 * of their minutes.
 */
export function splitPeriod(from: number, to: number): Segment[] {
  const d0 = ceilTo(from, DAY_MS);
  const d1 = floorTo(to, DAY_MS);
  const parts = d0 < d1
    ? [...splitHours(from, d0), { res: '1d' as const, from: d0, to: d1 }, ...splitHours(d1, to)]
    : splitHours(from, to);
  return parts.filter((s) => s.to > s.from);
}
