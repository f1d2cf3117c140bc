// The aggregate of one window of one scope. Counters, sums and a sketch only, so
// rollups merge by addition: hours and days are accumulated next to minutes, and the
// query API adds rollups across periods and regions (CONTRACT.md section 4: counts,
// means and rates over several regions are over the union of their events).
// Downtime and availability are not here: they come from alarm intervals
// (outage-intervals.ts), exact to the millisecond.
import type { Kpis } from '../../events/figures.js';
import type { Category } from '../../events/types.js';
import { EMPTY_SKETCH, sketchMerge, sketchQuantiles, type Sketch } from './sketch.js';

export type Resolution = '1m' | '1h' | '1d';
export const RESOLUTIONS: readonly Resolution[] = ['1m', '1h', '1d'];
export const RESOLUTION_MS: Record<Resolution, number> = { '1m': 60_000, '1h': 3_600_000, '1d': 86_400_000 };

export interface Rollup {
  service: string;
  region: string;
  res: Resolution;
  /** Window start, epoch ms, aligned in UTC. */
  start: number;
  probes: number;
  probesOk: number;
  /** Sketch of ok probes' latencyMs (sketch.ts: compact, immutable; ClickHouse Map form only in the sink). */
  latency: Sketch;
  /** Outage alarms raised in the window (by raise ts). */
  faults: number;
  /** Outage alarms cleared in the window: Σ(cleared − raised). */
  mttrSumMs: number;
  mttrCount: number;
  /** Alarms (any severity) first acknowledged in the window: Σ(ack − raised). */
  mttaSumMs: number;
  mttaCount: number;
  /** Tickets opened in the window, by category. */
  openedNetwork: number;
  openedBilling: number;
  openedService: number;
  openedOther: number;
  /** Tickets first acknowledged in the window: Σ(ack − opened). */
  responseSumMs: number;
  responseCount: number;
  /** Tickets first resolved in the window: Σ(resolved − opened). */
  resolutionSumMs: number;
  resolutionCount: number;
  /** Of those, resolved within the service's target (resolution time ≤ target). */
  resolvedTimely: number;
  npsResponses: number;
  npsPromoters: number;
  npsDetractors: number;
  csatResponses: number;
  csatSatisfied: number;
  /** The window is closed: no event can change it any more (watermark or idle close). */
  final: boolean;
  /** lastOffsetAppliedToScope × 2 + (final ? 1 : 0): newest wins (ReplacingMergeTree). */
  version: number;
}

/** The additive fields of a Rollup besides the sketch. */
export const COUNTERS = [
  'probes', 'probesOk', 'faults', 'mttrSumMs', 'mttrCount', 'mttaSumMs', 'mttaCount',
  'openedNetwork', 'openedBilling', 'openedService', 'openedOther',
  'responseSumMs', 'responseCount', 'resolutionSumMs', 'resolutionCount', 'resolvedTimely',
  'npsResponses', 'npsPromoters', 'npsDetractors', 'csatResponses', 'csatSatisfied',
] as const satisfies readonly (keyof Rollup)[];
export type Counter = (typeof COUNTERS)[number];

export const OPENED_FIELD: Record<Category, Counter> = {
  network: 'openedNetwork', billing: 'openedBilling', service: 'openedService', other: 'openedOther',
};

/** Start of the window of resolution res holding ts (UTC: epoch ms has no leap seconds or zones). */
export function alignStart(ts: number, res: Resolution): number {
  const w = RESOLUTION_MS[res];
  return ts - (((ts % w) + w) % w);
}

export function emptyRollup(service: string, region: string, res: Resolution, start: number): Rollup {
  return {
    service, region, res, start, probes: 0, probesOk: 0, latency: EMPTY_SKETCH, faults: 0,
    mttrSumMs: 0, mttrCount: 0, mttaSumMs: 0, mttaCount: 0,
    openedNetwork: 0, openedBilling: 0, openedService: 0, openedOther: 0,
    responseSumMs: 0, responseCount: 0, resolutionSumMs: 0, resolutionCount: 0, resolvedTimely: 0,
    npsResponses: 0, npsPromoters: 0, npsDetractors: 0, csatResponses: 0, csatSatisfied: 0,
    final: false, version: 0,
  };
}

/**
 * Adds `from` into `into` (a coarser period, or the union of regions). Identity
 * fields, `final` and `version` of `into` are left alone: they describe its own row.
 */
export function mergeRollup(into: Rollup, from: Rollup): Rollup {
  for (const c of COUNTERS) into[c] += from[c];
  into.latency = sketchMerge(into.latency, from.latency);
  return into;
}

/** Every figure of a Kpis answer but those that come from alarm intervals. */
export type RollupFigures = Omit<Kpis, 'service' | 'region' | 'from' | 'to' | 'availability' | 'downtimeSeconds'>;

const meanSeconds = (sumMs: number, n: number): number | null => (n > 0 ? sumMs / n / 1000 : null);

/**
 * The figures of CONTRACT.md section 4 that come from rollups (all but downtime and
 * availability), in the shape of events/figures.ts `Kpis`; null where there is no data.
 */
export function figuresFromRollup(r: Rollup): RollupFigures {
  const [p50, p95, p99] = sketchQuantiles(r.latency, [0.5, 0.95, 0.99]);
  return {
    faults: r.faults,
    mttrSeconds: meanSeconds(r.mttrSumMs, r.mttrCount),
    mttaSeconds: meanSeconds(r.mttaSumMs, r.mttaCount),
    // Probe success rate = ok / all; latency quantiles over ok probes only.
    probes: { total: r.probes, successRate: r.probes > 0 ? r.probesOk / r.probes : null, p50: p50!, p95: p95!, p99: p99! },
    complaints: {
      opened: r.openedNetwork + r.openedBilling + r.openedService + r.openedOther,
      byCategory: { network: r.openedNetwork, billing: r.openedBilling, service: r.openedService, other: r.openedOther },
      meanResponseSeconds: meanSeconds(r.responseSumMs, r.responseCount),
      meanResolutionSeconds: meanSeconds(r.resolutionSumMs, r.resolutionCount),
      // Timeliness: share of the tickets resolved in the period that met the target.
      timeliness: r.resolutionCount > 0 ? r.resolvedTimely / r.resolutionCount : null,
    },
    // NPS = 100 × (promoters 9–10 − detractors 0–6) / responses; CSAT = 100 × (4–5) / responses.
    nps: { responses: r.npsResponses, score: r.npsResponses > 0 ? (100 * (r.npsPromoters - r.npsDetractors)) / r.npsResponses : null },
    csat: { responses: r.csatResponses, score: r.csatResponses > 0 ? (100 * r.csatSatisfied) / r.csatResponses : null },
  };
}
