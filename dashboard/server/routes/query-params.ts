// Query-string validation shared by the query routes. Every failure is a 400
// whose details start with the parameter's name (CONTRACT.md section 5).
//
// Decision: `from` and `to` must be whole minutes; anything else is rejected, not
// rounded. Figures are defined on minute-aligned periods (section 4), and silently
// moving the bounds would answer a different question from the one asked; a client
// rounds in one line. (Series widen aligned bounds to whole steps; see series.ts.)
import { badRequest } from '../../../infra/http/errors.js';
import { MAX_TS } from '../../../events/schema.js';
import { DAY_MS, endOfCurrentMinute, HOUR_MS, iso, MINUTE_MS } from '../queries/period.js';

export type RawQuery = Record<string, string | string[] | undefined>;

export const NAME_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;

export interface PeriodLimits {
  /** Longest period a query may cover, in days (default 400). */
  maxPeriodDays: number;
}

/** Rejects parameters the endpoint does not know, so a typo ("regoin") is not silently ignored. */
export function rejectUnknown(q: RawQuery, allowed: readonly string[]): void {
  const unknown = Object.keys(q).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw badRequest(`${unknown[0]}: unknown parameter (allowed: ${allowed.join(', ')})`);
}

/** The value of a parameter given at most once; '' counts as absent. */
export function single(q: RawQuery, name: string): string | undefined {
  const v = q[name];
  if (Array.isArray(v)) throw badRequest(`${name}: given ${v.length} times; give it once`);
  return v === '' ? undefined : v;
}

export function requiredName(q: RawQuery, name: string): string {
  const v = single(q, name);
  if (v === undefined) throw badRequest(`${name}: required`);
  return checkName(name, v);
}

export function optionalName(q: RawQuery, name: string): string | null {
  const v = single(q, name);
  return v === undefined ? null : checkName(name, v);
}

function checkName(name: string, v: string): string {
  if (!NAME_PATTERN.test(v)) throw badRequest(`${name}: "${clip(v)}" does not match ${NAME_PATTERN.source}`);
  return v;
}

export function oneOf<T extends string>(q: RawQuery, name: string, allowed: readonly T[], def?: T): T {
  const v = single(q, name);
  if (v === undefined) {
    if (def !== undefined) return def;
    throw badRequest(`${name}: required, one of ${allowed.join(', ')}`);
  }
  if (!(allowed as readonly string[]).includes(v)) throw badRequest(`${name}: "${clip(v)}" is not one of ${allowed.join(', ')}`);
  return v as T;
}

const clip = (s: string) => (s.length > 80 ? `${s.slice(0, 80)}…` : s);

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2}))?$/;

/**
 * ISO 8601 with `Z` or an offset (a date alone is midnight UTC), or epoch
 * milliseconds. A date-time without a zone is rejected: it is ambiguous.
 * Impossible dates (February 30) are rejected rather than rolled over.
 */
export function parseTime(name: string, v: string): number {
  if (/^\d{1,15}$/.test(v)) return Number(v);
  const m = ISO.exec(v);
  if (!m) throw badRequest(`${name}: "${clip(v)}" is neither ISO 8601 with a zone (2026-03-01T10:00:00Z) nor epoch milliseconds`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  // Date.UTC reads years 0–99 as 1900–1999; setUTCFullYear takes them as given.
  const date = new Date(0);
  date.setUTCFullYear(Number(y), Number(mo) - 1, Number(d));
  date.setUTCHours(Number(h), Number(mi), Number(s), ms);
  const t = date.getTime();
  const back = new Date(t);
  if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || back.getUTCHours() !== Number(h)
    || back.getUTCMinutes() !== Number(mi) || back.getUTCSeconds() !== Number(s)) {
    throw badRequest(`${name}: "${clip(v)}" is not a valid date and time`);
  }
  if (frac.length > 3 && /[1-9]/.test(frac.slice(3))) throw badRequest(`${name}: "${clip(v)}" has sub-millisecond digits`);
  if (zone === 'Z') return t;
  const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const offsetMin = Number(z[2]) * 60 + Number(z[3]);
  if (Number(z[2]) > 23 || Number(z[3]) > 59) throw badRequest(`${name}: "${clip(v)}" has an invalid UTC offset`);
  return t - (z[1] === '-' ? -1 : 1) * offsetMin * MINUTE_MS;
}

/**
 * Periods lie within [1970-01-01, 2100-01-01]: events exist only in [2000, 2100)
 * (events/schema.ts), and the queries pass times as ClickHouse DateTime
 * parameters, unsigned seconds since 1970 that a negative value fails and a
 * value past 2106 wraps around (answering about another period).
 */
const EARLIEST = 0;
const LATEST = MAX_TS;

function inRange(name: string, t: number): number {
  if (t < EARLIEST || t > LATEST) {
    throw badRequest(`${name}: ${iso(t)} is outside the supported range ${iso(EARLIEST)} – ${iso(LATEST)}`);
  }
  return t;
}

function minuteAligned(name: string, t: number): number {
  if (t % MINUTE_MS !== 0) {
    throw badRequest(`${name}: ${iso(t)} is not on a whole minute; periods are whole minutes (round down to ${iso(Math.floor(t / MINUTE_MS) * MINUTE_MS)})`);
  }
  return t;
}

/**
 * `from`/`to` with the defaults of docs/api.md: `to` = the end of the current
 * minute, `from` = `to` − 24 h.
 */
export function parsePeriod(q: RawQuery, now: number, limits: PeriodLimits): { from: number; to: number } {
  const rawTo = single(q, 'to');
  const rawFrom = single(q, 'from');
  const to = inRange('to', rawTo === undefined ? endOfCurrentMinute(now) : minuteAligned('to', parseTime('to', rawTo)));
  const from = inRange('from', rawFrom === undefined ? to - 24 * HOUR_MS : minuteAligned('from', parseTime('from', rawFrom)));
  if (from >= to) throw badRequest(`from: ${iso(from)} must be before to (${iso(to)})`);
  if (to - from > limits.maxPeriodDays * DAY_MS) {
    throw badRequest(`from: the period ${iso(from)} – ${iso(to)} is ${((to - from) / DAY_MS).toFixed(1)} days; the maximum is ${limits.maxPeriodDays} days`);
  }
  return { from, to };
}
