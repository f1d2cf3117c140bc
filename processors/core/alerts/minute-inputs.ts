// Builds the alert engine's per-minute input of one scope from what the processors
// store: minute rollups (rollup.ts) and outage intervals (alarm records). The
// ClickHouse adapter and the tests both go through here.
import { unionIntervals, type Interval } from '../outage-intervals.js';
import type { Sketch } from '../sketch.js';
import { MINUTE_MS, quietMinute, type MinuteInput } from './minute-input.js';

export interface MinuteRollup {
  start: number;
  probes: number;
  probesOk: number;
  latency: Sketch;
  faults: number;
  /** Tickets opened, all categories. */
  complaints: number;
}

/** One MinuteInput per minute of [from, to), both aligned; minutes without a rollup are quiet. */
export function buildMinuteInputs(from: number, to: number, rollups: readonly MinuteRollup[], outages: readonly Interval[]): MinuteInput[] {
  if (from % MINUTE_MS !== 0 || to % MINUTE_MS !== 0) throw new RangeError('from and to must be whole minutes');
  const out: MinuteInput[] = [];
  for (let t = from; t < to; t += MINUTE_MS) out.push(quietMinute(t));
  for (const r of rollups) {
    const m = out[(r.start - from) / MINUTE_MS];
    if (m === undefined) continue;
    m.probes = r.probes;
    m.probesOk = r.probesOk;
    m.latency = r.latency;
    m.faults = r.faults;
    m.complaints = r.complaints;
  }
  // Disjoint and sorted, unclipped on the right so "open at the end of the minute" holds for the last one too.
  for (const u of unionIntervals(outages, from, Number.POSITIVE_INFINITY)) {
    const first = Math.floor((u.start - from) / MINUTE_MS);
    for (let i = Math.max(0, first); i < out.length; i++) {
      const m = out[i]!;
      const end = m.start + MINUTE_MS;
      if (m.start >= u.end) break;
      m.downtimeMs += Math.min(end, u.end) - Math.max(m.start, u.start);
      if (u.start < end && u.end > end) m.outageOpen = true;
    }
  }
  return out;
}
