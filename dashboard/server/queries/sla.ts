// GET /api/v1/sla (CONTRACT.md section 4, "SLA attainment"): each objective of the
// service's config met or missed over the period, the share met, and the
// availability error budget with its burn over the period.
import type { Db } from '../../../infra/clickhouse/client.js';
import { objectivesFor, type SlaConfig } from '../../../infra/sla-config.js';
import { unionIntervals } from '../../../processors/core/index.js';
import { loadSummedParts, kpisFromParts, type QueryClock, type RegionPart } from './kpis.js';
import { SLA_OBJECTIVES, type BurnPoint, type SlaObjective, type SlaObjectiveName, type SlaReport } from '../../../events/sla.js';
import { ceilTo, DAY_MS, HOUR_MS, iso } from './period.js';

/** Hourly burn up to two days (at most 48 points), daily beyond (at most ~400). */
export const burnStepMs = (from: number, to: number): number => (to - from <= 2 * DAY_MS ? HOUR_MS : DAY_MS);

/** Higher is better for rates, lower for times. */
const HIGHER_IS_BETTER: Record<SlaObjectiveName, boolean> = {
  availability: true, probeSuccess: true, latencyP95Ms: false, mttrSeconds: false, complaintTimeliness: true,
};

/**
 * Service downtime per bucket: the mean over the period's regions of each region's
 * downtime in the bucket. Averaging over the same regions in every bucket makes
 * the buckets add up exactly to the period's service downtime.
 */
function burnPoints(parts: readonly RegionPart[], from: number, to: number, now: number): BurnPoint[] {
  const stepMs = burnStepMs(from, to);
  const end = Math.min(to, now);
  const merged = parts.map((p) => unionIntervals(p.spans.filter((s) => s.outage), from, Math.max(from, end)));
  const points: BurnPoint[] = [];
  let cumulative = 0;
  for (let b = from; b < end; b = Math.min(ceilTo(b + 1, stepMs), to)) {
    const e = Math.min(ceilTo(b + 1, stepMs), to);
    let sumMs = 0;
    for (const intervals of merged) {
      for (const i of intervals) sumMs += Math.max(0, Math.min(i.end, e) - Math.max(i.start, b));
    }
    cumulative += sumMs / parts.length / 1000;
    points.push({ t: iso(b), usedSeconds: cumulative });
  }
  return points;
}

export async function sla(db: Db, cfg: SlaConfig, q: { service: string; from: number; to: number }, clock: QueryClock = {}): Promise<SlaReport> {
  const now = (clock.now ?? Date.now)();
  const { total, parts } = await loadSummedParts(db, { service: q.service, region: null }, q.from, q.to);
  const k = kpisFromParts(q.service, null, parts, total, q.from, q.to, now);
  const targets = objectivesFor(cfg, q.service);
  const actual: Record<SlaObjectiveName, number | null> = {
    availability: k.availability,
    probeSuccess: k.probes.successRate,
    latencyP95Ms: k.probes.p95,
    mttrSeconds: k.mttrSeconds,
    complaintTimeliness: k.complaints.timeliness,
  };
  const objectives = SLA_OBJECTIVES.map((objective): SlaObjective => {
    const a = actual[objective];
    const target = targets[objective];
    return { objective, target, actual: a, met: a === null ? null : HIGHER_IS_BETTER[objective] ? a >= target : a <= target };
  });
  const judged = objectives.filter((o) => o.met !== null);
  const allowedSeconds = ((1 - targets.availability) * (q.to - q.from)) / 1000;
  const used = k.downtimeSeconds;
  return {
    service: q.service,
    from: k.from,
    to: k.to,
    objectives,
    shareMet: judged.length > 0 ? judged.filter((o) => o.met).length / judged.length : null,
    errorBudget: {
      allowedSeconds,
      usedSeconds: used,
      remainingSeconds: used === null ? null : allowedSeconds - used,
      remainingShare: used === null || allowedSeconds <= 0 ? null : (allowedSeconds - used) / allowedSeconds,
      burn: parts.length > 0 ? burnPoints(parts, q.from, q.to, now) : [],
    },
  };
}
