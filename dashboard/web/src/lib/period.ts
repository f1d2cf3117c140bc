// Pure period arithmetic: UTC, whole minutes (CONTRACT.md section 4).
import type { Step } from './types.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export type OpsPeriod = '1h' | '24h' | '7d' | '30d' | 'custom';
export const OPS_PERIODS: OpsPeriod[] = ['1h', '24h', '7d', '30d', 'custom'];
export const OPS_PERIOD_LABEL: Record<OpsPeriod, string> = { '1h': '1 h', '24h': '24 h', '7d': '7 d', '30d': '30 d', custom: 'custom' };

export type SlaPeriod = 'this-month' | 'last-month' | '30d' | 'custom';
export const SLA_PERIODS: SlaPeriod[] = ['this-month', 'last-month', '30d', 'custom'];
export const SLA_PERIOD_LABEL: Record<SlaPeriod, string> = {
  'this-month': 'this month',
  'last-month': 'last month',
  '30d': 'last 30 d',
  custom: 'custom',
};

export interface Range {
  from: number;
  to: number;
}

export const floorMinute = (t: number): number => Math.floor(t / MINUTE) * MINUTE;
export const ceilMinute = (t: number): number => Math.ceil(t / MINUTE) * MINUTE;

/** ISO 8601 UTC without milliseconds: "2024-05-01T10:20:00Z". */
export const isoMinute = (t: number): string => new Date(floorMinute(t)).toISOString().replace('.000Z', 'Z');

/** Parse an ISO instant (or "YYYY-MM-DDTHH:MM" from a datetime-local input, taken as UTC). */
export function parseInstant(s: string | null | undefined): number | null {
  if (!s) return null;
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(s) ? s : `${s}Z`;
  const t = Date.parse(withZone);
  return Number.isFinite(t) ? t : null;
}

const OPS_SPAN: Record<Exclude<OpsPeriod, 'custom'>, number> = { '1h': HOUR, '24h': DAY, '7d': 7 * DAY, '30d': 30 * DAY };

/** A rolling period ending at the end of the current minute. */
export function opsRange(period: Exclude<OpsPeriod, 'custom'>, nowMs: number): Range {
  const to = ceilMinute(nowMs + 1);
  return { from: to - OPS_SPAN[period], to };
}

/** Chart step by period (1h→1m, 24h→5m, 7d→1h, 30d→1d); for custom ranges by span. */
export function stepFor(period: OpsPeriod, range?: Range): Step {
  switch (period) {
    case '1h':
      return '1m';
    case '24h':
      return '5m';
    case '7d':
      return '1h';
    case '30d':
      return '1d';
    default: {
      const span = range ? range.to - range.from : DAY;
      if (span <= 2 * HOUR) return '1m';
      if (span <= 2 * DAY) return '5m';
      if (span <= 14 * DAY) return '1h';
      return '1d';
    }
  }
}

export function slaRange(period: Exclude<SlaPeriod, 'custom'>, nowMs: number): Range {
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  if (period === 'this-month') return { from: Date.UTC(y, m, 1), to: ceilMinute(nowMs + 1) };
  if (period === 'last-month') return { from: Date.UTC(y, m - 1, 1), to: Date.UTC(y, m, 1) };
  const to = ceilMinute(nowMs + 1);
  return { from: to - 30 * DAY, to };
}

/** Value for an <input type="datetime-local"> in UTC: "YYYY-MM-DDTHH:MM". */
export const toLocalInput = (t: number): string => new Date(t).toISOString().slice(0, 16);
