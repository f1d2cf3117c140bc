// GET /api/v1/kpis and the live channel's figures (CONTRACT.md sections 4 and 5).
// Counters, means, rates and quantiles come from summed rollups through the
// core's figuresFromRollup, so a figure is computed by the same code live and
// queried; downtime and availability come from the alarm intervals.
import type { Kpis } from '../../../events/figures.js';
import type { Scope } from '../../../events/types.js';
import type { Db } from '../../../infra/clickhouse/client.js';
import { emptyRollup, figuresFromRollup, mergeRollup, unionLength, type Rollup } from '../../../processors/core/index.js';
import { alarmSpans, type AlarmSpan } from './alarm-query.js';
import { iso } from './period.js';
import { rollupGrandTotal, rollupTotals } from './rollup-query.js';
import type { ScopeFilter } from './scope-filter.js';

export interface KpisQuery {
  service: string;
  /** null = every region of the service. */
  region: string | null;
  from: number;
  to: number;
  /** Wall clock, epoch ms, for open outages; overrides `clock` (default Date.now()). */
  now?: number;
}

export interface QueryClock {
  /** Wall clock, epoch ms: open outages run to min(to, now). Injected by tests. */
  now?: () => number;
}

/** What one region contributes to a period's figures. */
export interface RegionPart {
  service: string;
  region: string;
  rollup: Rollup | null;
  spans: AlarmSpan[];
}

/**
 * Downtime of one region (§4): the union of its outage intervals clipped to
 * [from, min(to, now)); an open outage runs to min(to, now).
 */
export function regionDowntimeMs(spans: readonly AlarmSpan[], from: number, to: number, now: number): number {
  const end = Math.min(to, now);
  if (end <= from) return 0;
  return unionLength(spans.filter((s) => s.outage), from, end);
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Kpis over the given regions of one service. Availability and downtime are the
 * plain means of the regional ones (§4), so availability = 1 − downtime / period
 * holds at every level; every other figure is over `total`, the regions' rollups
 * summed. A region counts when it has any rollup or alarm row in the period; with
 * none, availability and downtime are null.
 */
export function kpisFromParts(
  service: string, region: string | null, parts: readonly RegionPart[], total: Rollup | null, from: number, to: number, now: number,
): Kpis {
  const present = parts.filter((p) => p.rollup !== null || p.spans.length > 0);
  const merged = emptyRollup(service, region ?? '', '1m', from);
  if (total) mergeRollup(merged, total);
  const f = figuresFromRollup(merged);
  const downtimes = present.map((p) => regionDowntimeMs(p.spans, from, to, now));
  const none = downtimes.length === 0;
  return {
    service,
    region,
    from: iso(from),
    to: iso(to),
    availability: none ? null : mean(downtimes.map((d) => 1 - d / (to - from))),
    downtimeSeconds: none ? null : mean(downtimes) / 1000,
    faults: f.faults,
    mttrSeconds: f.mttrSeconds,
    mttaSeconds: f.mttaSeconds,
    probes: f.probes,
    complaints: f.complaints,
    nps: f.nps,
    csat: f.csat,
  };
}

/** Rollup totals and alarm spans per region for a filter, keyed `service|region`. */
export async function loadParts(db: Db, filter: ScopeFilter, from: number, to: number): Promise<Map<string, RegionPart>> {
  const [rollups, spans] = await Promise.all([rollupTotals(db, filter, from, to), alarmSpans(db, filter, from, to)]);
  const parts = new Map<string, RegionPart>();
  const part = (service: string, region: string): RegionPart => {
    const key = `${service}|${region}`;
    let p = parts.get(key);
    if (!p) parts.set(key, (p = { service, region, rollup: null, spans: [] }));
    return p;
  };
  for (const r of rollups.values()) part(r.service, r.region).rollup = r;
  for (const s of spans) part(s.service, s.region).spans.push(s);
  return parts;
}

/**
 * The regions of one service (or one region) over a period with their alarm spans,
 * and their rollups summed in the engine (`total`): a part's `rollup` is then an
 * empty one that only marks the region as present.
 */
export async function loadSummedParts(db: Db, filter: { service: string; region: string | null }, from: number, to: number): Promise<{ total: Rollup | null; parts: RegionPart[] }> {
  const [total, spans] = await Promise.all([rollupGrandTotal(db, filter, from, to), alarmSpans(db, filter, from, to)]);
  const parts = new Map<string, RegionPart>();
  for (const region of total?.regions ?? []) parts.set(region, { service: filter.service, region, rollup: emptyRollup(filter.service, region, '1m', from), spans: [] });
  for (const sp of spans) {
    let p = parts.get(sp.region);
    if (!p) parts.set(sp.region, (p = { service: sp.service, region: sp.region, rollup: null, spans: [] }));
    p.spans.push(sp);
  }
  return { total: total?.rollup ?? null, parts: [...parts.values()] };
}

export async function kpis(db: Db, q: KpisQuery, clock: QueryClock = {}): Promise<Kpis> {
  const { total, parts } = await loadSummedParts(db, { service: q.service, region: q.region }, q.from, q.to);
  return kpisFromParts(q.service, q.region, parts, total, q.from, q.to, q.now ?? (clock.now ?? Date.now)());
}

/**
 * Kpis of many scopes in one pass (two queries), one entry per (service, region):
 * for a list, every listed scope in list order (all-null figures when it has no
 * rows); for 'all', every scope with a rollup or alarm row in the period.
 */
export async function kpisForScopes(db: Db, scopes: readonly Scope[] | 'all', from: number, to: number, clock: QueryClock = {}): Promise<Kpis[]> {
  const now = (clock.now ?? Date.now)();
  if (scopes !== 'all' && scopes.length === 0) return [];
  const parts = await loadParts(db, scopes === 'all' ? 'all' : { scopes }, from, to);
  const list = scopes === 'all'
    ? [...parts.values()].sort((a, b) => a.service.localeCompare(b.service) || a.region.localeCompare(b.region))
    : scopes.map((s) => parts.get(`${s.service}|${s.region}`) ?? { ...s, rollup: null, spans: [] });
  return list.map((p) => kpisFromParts(p.service, p.region, [p], p.rollup, from, to, now));
}
