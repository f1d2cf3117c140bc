// The figures of CONTRACT.md section 4, computed the naive way from the full
// list of accepted events: no windows, no rollups, no sketches. This is the
// reference the pipeline's incremental computation is checked against, so it
// deliberately shares no code with processors/.
import type { ComplaintFigures, ProbeFigures, ScoreFigures } from '../../events/figures.js';
import { CATEGORIES, isOutageSeverity, type AlarmEvent, type Category, type ComplaintEvent } from '../../events/types.js';

export interface Period {
  from: number;
  to: number;
}

const inPeriod = (ts: number, p: Period): boolean => ts >= p.from && ts < p.to;

export function mean(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  let sum = 0;
  for (const x of xs) sum += x;
  return sum / xs.length;
}

/** One raise-to-clear occurrence of an alarm id; a flapping alarm has several. */
export interface AlarmOccurrence {
  raised: number;
  /** null while open. */
  cleared: number | null;
  firstAck: number | null;
  outage: boolean;
}

/**
 * Occurrences of one alarm id, from its events in any order. A raise while open
 * is a re-notification (ignored); a clear closes the open occurrence; an ack
 * belongs to the latest occurrence raised before it (open or already cleared).
 * Severity and serviceAffecting are those of the opening raise.
 */
export function alarmOccurrences(events: readonly AlarmEvent[]): AlarmOccurrence[] {
  const sorted = [...events].sort((a, b) => a.ts - b.ts); // stable: ties keep arrival order
  const out: AlarmOccurrence[] = [];
  let open: AlarmOccurrence | null = null;
  for (const e of sorted) {
    const last = out.at(-1);
    if (e.state === 'raised') {
      if (open) continue;
      open = { raised: e.ts, cleared: null, firstAck: null, outage: isOutageSeverity(e.severity, e.serviceAffecting) };
      out.push(open);
    } else if (e.state === 'acknowledged') {
      if (last && last.firstAck === null) last.firstAck = e.ts;
    } else if (open) {
      open.cleared = e.ts;
      open = null;
    }
  }
  return out;
}

/** Length of the union of [start, end) intervals clipped to the period (§4 Downtime). */
export function unionLengthMs(intervals: readonly [number, number][], p: Period): number {
  const clipped = intervals
    .map(([s, e]): [number, number] => [Math.max(s, p.from), Math.min(e, p.to)])
    .filter(([s, e]) => e > s)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let curStart = -Infinity;
  let curEnd = -Infinity;
  for (const [s, e] of clipped) {
    if (s > curEnd) {
      if (curEnd > curStart) total += curEnd - curStart;
      curStart = s;
      curEnd = e;
    } else {
      curEnd = Math.max(curEnd, e);
    }
  }
  if (curEnd > curStart) total += curEnd - curStart;
  return total;
}

/** Outage intervals; an open occurrence runs to the end of the period. */
export function outageIntervals(occ: readonly AlarmOccurrence[], p: Period): [number, number][] {
  return occ.filter((o) => o.outage).map((o) => [o.raised, o.cleared ?? p.to]);
}

export interface AlarmFigures {
  faults: number;
  mttrSeconds: number | null;
  mttaSeconds: number | null;
}

export function alarmFigures(occ: readonly AlarmOccurrence[], p: Period): AlarmFigures {
  const outages = occ.filter((o) => o.outage);
  const repairs = outages.filter((o) => o.cleared !== null && inPeriod(o.cleared, p)).map((o) => o.cleared! - o.raised);
  const acks = occ.filter((o) => o.firstAck !== null && inPeriod(o.firstAck, p)).map((o) => o.firstAck! - o.raised);
  const mttr = mean(repairs);
  const mtta = mean(acks);
  return {
    faults: outages.filter((o) => inPeriod(o.raised, p)).length,
    mttrSeconds: mttr === null ? null : mttr / 1000,
    mttaSeconds: mtta === null ? null : mtta / 1000,
  };
}

export interface Ticket {
  opened: number;
  category: Category;
  firstAck: number | null;
  firstResolved: number | null;
}

/** Tickets with an `opened` event; transitions before it, or without it, are ignored. */
export function tickets(events: readonly ComplaintEvent[]): Ticket[] {
  const byId = new Map<string, ComplaintEvent[]>();
  for (const e of events) {
    const list = byId.get(e.ticketId);
    if (list) list.push(e);
    else byId.set(e.ticketId, [e]);
  }
  const out: Ticket[] = [];
  for (const list of byId.values()) {
    const sorted = list.sort((a, b) => a.ts - b.ts);
    const opened = sorted.find((e) => e.state === 'opened');
    if (!opened) continue;
    const after = sorted.filter((e) => e.ts >= opened.ts);
    out.push({
      opened: opened.ts,
      category: opened.category!,
      firstAck: after.find((e) => e.state === 'acknowledged')?.ts ?? null,
      firstResolved: after.find((e) => e.state === 'resolved')?.ts ?? null,
    });
  }
  return out;
}

export function complaintFigures(ts: readonly Ticket[], p: Period, targetMs: number): ComplaintFigures {
  const byCategory = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
  let opened = 0;
  for (const t of ts) {
    if (!inPeriod(t.opened, p)) continue;
    opened++;
    byCategory[t.category]++;
  }
  const responses = ts.filter((t) => t.firstAck !== null && inPeriod(t.firstAck, p)).map((t) => t.firstAck! - t.opened);
  const resolutions = ts.filter((t) => t.firstResolved !== null && inPeriod(t.firstResolved, p)).map((t) => t.firstResolved! - t.opened);
  const response = mean(responses);
  const resolution = mean(resolutions);
  return {
    opened,
    byCategory,
    meanResponseSeconds: response === null ? null : response / 1000,
    meanResolutionSeconds: resolution === null ? null : resolution / 1000,
    timeliness: resolutions.length === 0 ? null : resolutions.filter((r) => r <= targetMs).length / resolutions.length,
  };
}

/** Exact nearest-rank percentile: the value at rank ceil(q·n) of the sorted values. */
export function nearestRank(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  // The epsilon keeps 0.95 × 20 (= 19.000…04 in floating point) at rank 19.
  const rank = Math.max(1, Math.ceil(q * sorted.length - 1e-9));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

export function probeFigures(total: number, ok: number, latencies: readonly number[]): ProbeFigures {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    total,
    successRate: total === 0 ? null : ok / total,
    p50: nearestRank(sorted, 0.5),
    p95: nearestRank(sorted, 0.95),
    p99: nearestRank(sorted, 0.99),
  };
}

/** Survey tallies: NPS promoters 9–10 minus detractors 0–6; CSAT share of 4–5. */
export interface SurveyTally {
  npsResponses: number;
  promoters: number;
  detractors: number;
  csatResponses: number;
  satisfied: number;
}

export function emptyTally(): SurveyTally {
  return { npsResponses: 0, promoters: 0, detractors: 0, csatResponses: 0, satisfied: 0 };
}

export function surveyFigures(t: SurveyTally): { nps: ScoreFigures; csat: ScoreFigures } {
  return {
    nps: { responses: t.npsResponses, score: t.npsResponses === 0 ? null : (100 * (t.promoters - t.detractors)) / t.npsResponses },
    csat: { responses: t.csatResponses, score: t.csatResponses === 0 ? null : (100 * t.satisfied) / t.csatResponses },
  };
}
