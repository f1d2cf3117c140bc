// The aggregate of one window of one scope. Counters and sums only, so windows
// merge by addition: hours and days are accumulated alongside minutes, and the
// API adds rollups across periods and regions (CONTRACT.md section 4).
import type { ComplaintFigures, ProbeFigures, ScoreFigures } from '../../events/figures.js';
import type { Category } from '../../events/types.js';
import { sketchMerge, sketchQuantile, type Sketch } from './sketch.js';

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
  /** Sketch of ok probes' latencyMs. */
  latency: Sketch;
  /** Outage alarms raised in the window. */
  faults: number;
  /** Outage alarms cleared in the window: Σ(cleared − raised). */
  mttrSumMs: number;
  mttrCount: number;
  /** Alarms first acknowledged in the window: Σ(ack − raised). */
  mttaSumMs: number;
  mttaCount: number;
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
  /** Of those, resolved within the service's target. */
  resolvedTimely: number;
  npsResponses: number;
  npsPromoters: number;
  npsDetractors: number;
  csatResponses: number;
  csatSatisfied: number;
  final: boolean;
  version: number;
}

/**
 * A window while it is open. Same counters as a Rollup, but the latency sketch is a
 * Map: integer-keyed plain objects fall into slow dictionary mode on the hot path.
 */
// A class, so every window has one fixed shape and the per-event counter updates stay fast.
export class OpenWindow {
  probes = 0; probesOk = 0; latency = new Map<number, number>(); faults = 0;
  mttrSumMs = 0; mttrCount = 0; mttaSumMs = 0; mttaCount = 0;
  openedNetwork = 0; openedBilling = 0; openedService = 0; openedOther = 0;
  responseSumMs = 0; responseCount = 0; resolutionSumMs = 0; resolutionCount = 0; resolvedTimely = 0;
  npsResponses = 0; npsPromoters = 0; npsDetractors = 0; csatResponses = 0; csatSatisfied = 0;
  final = false;
  /** Changed since the last drain (a flag rather than a Set: cheaper per event). */
  dirty = false;
  constructor(
    readonly service: string,
    readonly region: string,
    readonly res: Resolution,
    readonly start: number,
  ) {}
}

export function openWindow(service: string, region: string, res: Resolution, start: number): OpenWindow {
  return new OpenWindow(service, region, res, start);
}

export function toRollup(w: OpenWindow, version: number): Rollup {
  const latency: Sketch = {};
  for (const [k, v] of w.latency) latency[k] = v;
  const r = emptyRollup(w.service, w.region, w.res, w.start);
  for (const c of COUNTERS) r[c] = w[c];
  r.latency = latency;
  r.final = w.final;
  r.version = version;
  return r;
}

export function fromRollup(r: Rollup): OpenWindow {
  const w = new OpenWindow(r.service, r.region, r.res, r.start);
  for (const c of COUNTERS) w[c] = r[c];
  for (const k in r.latency) w.latency.set(Number(k), r.latency[k as unknown as number]!);
  w.final = r.final;
  return w;
}

export function alignStart(ts: number, res: Resolution): number {
  const w = RESOLUTION_MS[res];
  return ts - (((ts % w) + w) % w);
}

export function emptyRollup(service: string, region: string, res: Resolution, start: number): Rollup {
  return {
    service, region, res, start, probes: 0, probesOk: 0, latency: {}, faults: 0,
    mttrSumMs: 0, mttrCount: 0, mttaSumMs: 0, mttaCount: 0,
    openedNetwork: 0, openedBilling: 0, openedService: 0, openedOther: 0,
    responseSumMs: 0, responseCount: 0, resolutionSumMs: 0, resolutionCount: 0, resolvedTimely: 0,
    npsResponses: 0, npsPromoters: 0, npsDetractors: 0, csatResponses: 0, csatSatisfied: 0,
    final: false, version: 0,
  };
}

const COUNTERS = [
  'probes', 'probesOk', 'faults', 'mttrSumMs', 'mttrCount', 'mttaSumMs', 'mttaCount',
  'openedNetwork', 'openedBilling', 'openedService', 'openedOther',
  'responseSumMs', 'responseCount', 'resolutionSumMs', 'resolutionCount', 'resolvedTimely',
  'npsResponses', 'npsPromoters', 'npsDetractors', 'csatResponses', 'csatSatisfied',
] as const satisfies readonly (keyof Rollup)[];
export type Counter = (typeof COUNTERS)[number];
export { COUNTERS };

export function mergeRollup(into: Rollup, from: Rollup): Rollup {
  for (const c of COUNTERS) into[c] += from[c];
  sketchMerge(into.latency, from.latency);
  return into;
}

export const OPENED_FIELD: Record<Category, Counter> = {
  network: 'openedNetwork', billing: 'openedBilling', service: 'openedService', other: 'openedOther',
};

const mean = (sumMs: number, n: number) => (n > 0 ? sumMs / n / 1000 : null);

export interface RollupFigures {
  faults: number;
  mttrSeconds: number | null;
  mttaSeconds: number | null;
  probes: ProbeFigures;
  complaints: ComplaintFigures;
  nps: ScoreFigures;
  csat: ScoreFigures;
}

/** The figures of CONTRACT.md section 4 that come from rollups (all but downtime and availability). */
export function figuresFromRollup(r: Rollup): RollupFigures {
  const opened = r.openedNetwork + r.openedBilling + r.openedService + r.openedOther;
  return {
    faults: r.faults,
    mttrSeconds: mean(r.mttrSumMs, r.mttrCount),
    mttaSeconds: mean(r.mttaSumMs, r.mttaCount),
    probes: {
      total: r.probes,
      successRate: r.probes > 0 ? r.probesOk / r.probes : null,
      p50: sketchQuantile(r.latency, 0.5),
      p95: sketchQuantile(r.latency, 0.95),
      p99: sketchQuantile(r.latency, 0.99),
    },
    complaints: {
      opened,
      byCategory: { network: r.openedNetwork, billing: r.openedBilling, service: r.openedService, other: r.openedOther },
      meanResponseSeconds: mean(r.responseSumMs, r.responseCount),
      meanResolutionSeconds: mean(r.resolutionSumMs, r.resolutionCount),
      timeliness: r.resolutionCount > 0 ? r.resolvedTimely / r.resolutionCount : null,
    },
    // NPS = 100 × (promoters 9–10 − detractors 0–6) / responses; CSAT = 100 × (4–5) / responses.
    nps: { responses: r.npsResponses, score: r.npsResponses > 0 ? (100 * (r.npsPromoters - r.npsDetractors)) / r.npsResponses : null },
    csat: { responses: r.csatResponses, score: r.csatResponses > 0 ? (100 * r.csatSatisfied) / r.csatResponses : null },
  };
}
