// Pure: the colour of a wall cell (and of each figure in it) from the service's
// objectives in config/sla.json.
//   ok      every objective with data met, none at risk
//   risk    met, but availability has used ≥ 75 % of its error budget for the
//           period, or latency p95 / probe failures are within 10 % of the target
//   bad     an objective missed
//   nodata  no figure with data
// The worst figure gives the cell's colour.
import type { Objectives } from '../../../../events/sla.js';
import type { Kpis } from './types.js';

export type { Objectives };

export type Status = 'ok' | 'risk' | 'bad' | 'nodata';

/** The share of the remaining budget at which availability turns amber. */
export const BUDGET_RISK_SHARE = 0.25;
/** Latency and probe failures within this share of the target are at risk. */
export const NEAR_TARGET = 0.1;

const num = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Availability over a period of `periodSeconds`: missed below the target, at risk
 * once ≥ 75 % of the period's error budget ((1 − target) × period) is used.
 */
export function availabilityStatus(
  availability: number | null | undefined,
  target: number,
  periodSeconds: number,
  downtimeSeconds?: number | null,
): Status {
  if (!num(availability)) return 'nodata';
  if (availability < target) return 'bad';
  const allowed = (1 - target) * periodSeconds;
  const used = num(downtimeSeconds) ? downtimeSeconds : (1 - availability) * periodSeconds;
  if (allowed <= 0) return used > 0 ? 'bad' : 'ok';
  const remainingShare = 1 - used / allowed;
  return remainingShare <= BUDGET_RISK_SHARE ? 'risk' : 'ok';
}

/** Latency p95 (ms): missed above the target, at risk from 90 % of it. */
export function latencyStatus(p95: number | null | undefined, targetMs: number): Status {
  if (!num(p95)) return 'nodata';
  if (p95 > targetMs) return 'bad';
  return p95 >= targetMs * (1 - NEAR_TARGET) ? 'risk' : 'ok';
}

/**
 * Probe success: missed below the target; at risk when the failure share is
 * within 10 % of the allowed failure share (1 − target), i.e. the same
 * "within 10 % of target" rule as latency, on the side that can move.
 */
export function probeStatus(successRate: number | null | undefined, target: number): Status {
  if (!num(successRate)) return 'nodata';
  if (successRate < target) return 'bad';
  const allowedFail = 1 - target;
  const fail = 1 - successRate;
  if (allowedFail <= 0) return fail > 0 ? 'bad' : 'ok';
  return fail >= allowedFail * (1 - NEAR_TARGET) ? 'risk' : 'ok';
}

/** A "lower is better" figure with no amber band (MTTR). */
export function maxStatus(v: number | null | undefined, target: number): Status {
  if (!num(v)) return 'nodata';
  return v > target ? 'bad' : 'ok';
}

/** A "higher is better" figure with no amber band (complaint timeliness). */
export function minStatus(v: number | null | undefined, target: number): Status {
  if (!num(v)) return 'nodata';
  return v < target ? 'bad' : 'ok';
}

const RANK: Record<Status, number> = { nodata: 0, ok: 1, risk: 2, bad: 3 };

/** The worst of several statuses; nodata only when all are nodata. */
export function worst(statuses: Status[]): Status {
  let w: Status = 'nodata';
  for (const s of statuses) if (RANK[s] > RANK[w]) w = s;
  return w;
}

export interface CellStatus {
  overall: Status;
  availability: Status;
  probeSuccess: Status;
  latency: Status;
  mttr: Status;
  timeliness: Status;
}

export function periodSeconds(k: Pick<Kpis, 'from' | 'to'>): number {
  const s = (Date.parse(k.to) - Date.parse(k.from)) / 1000;
  return Number.isFinite(s) && s > 0 ? s : 0;
}

/**
 * A wall cell: availability, MTTR and complaint timeliness over today; probe
 * success and latency p95 over the last hour (what the cell shows).
 */
export function cellStatus(today: Kpis | null | undefined, lastHour: Kpis | null | undefined, o: Objectives): CellStatus {
  const availability = today ? availabilityStatus(today.availability, o.availability, periodSeconds(today), today.downtimeSeconds) : 'nodata';
  const probeSuccess = lastHour ? probeStatus(lastHour.probes?.successRate, o.probeSuccess) : 'nodata';
  const latency = lastHour ? latencyStatus(lastHour.probes?.p95, o.latencyP95Ms) : 'nodata';
  const mttr = today ? maxStatus(today.mttrSeconds, o.mttrSeconds) : 'nodata';
  const timeliness = today ? minStatus(today.complaints?.timeliness, o.complaintTimeliness) : 'nodata';
  return { overall: worst([availability, probeSuccess, latency, mttr, timeliness]), availability, probeSuccess, latency, mttr, timeliness };
}
