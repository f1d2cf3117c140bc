// What the alert engine reads for one closed minute of one scope: the minute rollup
// (rollup.ts) plus the outage downtime inside the minute (outage-intervals.ts),
// because availability lives in alarm intervals, not in rollups.
import { EMPTY_SKETCH, type Sketch } from '../sketch.js';

export const MINUTE_MS = 60_000;

export interface MinuteInput {
  /** Minute start, epoch ms, aligned. */
  start: number;
  /** Union of outage intervals inside [start, start + 1 min), ms. */
  downtimeMs: number;
  /** An outage alarm is open at the end of the minute. */
  outageOpen: boolean;
  probes: number;
  probesOk: number;
  /** Latency sketch of the minute's ok probes. */
  latency: Sketch;
  faults: number;
  /** Tickets opened in the minute, all categories. */
  complaints: number;
}

export function quietMinute(start: number): MinuteInput {
  return { start, downtimeMs: 0, outageOpen: false, probes: 0, probesOk: 0, latency: EMPTY_SKETCH, faults: 0, complaints: 0 };
}
