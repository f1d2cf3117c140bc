// Pure: view state <-> URL query, so a view survives reload and can be shared.
//   ops: ?service=&region=&period=1h|24h|7d|30d  or  ?period=custom&from=&to=  &incident=
//   sla: ?service=&period=this-month|last-month|30d  or  ?period=custom&from=&to=
import { OPS_PERIODS, SLA_PERIODS, parseInstant, isoMinute, type OpsPeriod, type SlaPeriod } from './period.js';

export interface OpsState {
  service: string | null;
  /** null = all regions. */
  region: string | null;
  period: OpsPeriod;
  /** Only for period = custom (epoch ms, whole minutes). */
  from: number | null;
  to: number | null;
  incident: string | null;
}

export interface SlaState {
  service: string | null;
  period: SlaPeriod;
  from: number | null;
  to: number | null;
}

const str = (q: URLSearchParams, k: string): string | null => {
  const v = q.get(k);
  return v === null || v.trim() === '' ? null : v.trim();
};

function customRange(q: URLSearchParams): { from: number; to: number } | null {
  const from = parseInstant(str(q, 'from'));
  const to = parseInstant(str(q, 'to'));
  return from !== null && to !== null && to > from ? { from, to } : null;
}

export function parseOps(search: string): OpsState {
  const q = new URLSearchParams(search);
  const service = str(q, 'service');
  const region = str(q, 'region');
  const incident = str(q, 'incident');
  const p = str(q, 'period');
  const range = customRange(q);
  // from/to without a period mean custom; a bad custom range falls back to 24 h.
  let period: OpsPeriod = OPS_PERIODS.includes(p as OpsPeriod) ? (p as OpsPeriod) : range ? 'custom' : '24h';
  if (period === 'custom' && !range) period = '24h';
  return { service, region, period, from: period === 'custom' ? range!.from : null, to: period === 'custom' ? range!.to : null, incident };
}

export function buildOps(s: OpsState): string {
  const q = new URLSearchParams();
  if (s.service) q.set('service', s.service);
  if (s.region) q.set('region', s.region);
  q.set('period', s.period);
  if (s.period === 'custom' && s.from !== null && s.to !== null) {
    q.set('from', isoMinute(s.from));
    q.set('to', isoMinute(s.to));
  }
  if (s.incident) q.set('incident', s.incident);
  return `?${q.toString()}`;
}

export function parseSla(search: string): SlaState {
  const q = new URLSearchParams(search);
  const service = str(q, 'service');
  const p = str(q, 'period');
  const range = customRange(q);
  let period: SlaPeriod = SLA_PERIODS.includes(p as SlaPeriod) ? (p as SlaPeriod) : range ? 'custom' : 'this-month';
  if (period === 'custom' && !range) period = 'this-month';
  return { service, period, from: period === 'custom' ? range!.from : null, to: period === 'custom' ? range!.to : null };
}

export function buildSla(s: SlaState): string {
  const q = new URLSearchParams();
  if (s.service) q.set('service', s.service);
  q.set('period', s.period);
  if (s.period === 'custom' && s.from !== null && s.to !== null) {
    q.set('from', isoMinute(s.from));
    q.set('to', isoMinute(s.to));
  }
  return `?${q.toString()}`;
}

/** Names the views use. */
export const serializeOps = buildOps;
export const serializeSla = buildSla;
