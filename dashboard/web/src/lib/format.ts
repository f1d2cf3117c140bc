// Pure formatting helpers. Every function takes null/undefined for "no data" and
// answers an em dash then, so views never print "NaN" or "null".

export const NO_DATA = '—';

const isNum = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

/** 0.99953 → "99.953 %" (share in [0, 1]). */
export function pct(v: number | null | undefined, digits = 3): string {
  return isNum(v) ? `${(v * 100).toFixed(digits)} %` : NO_DATA;
}

/** 0.99953 → "99.953" (no unit, for big figures with the unit drawn separately). */
export function pctNumber(v: number | null | undefined, digits = 3): string {
  return isNum(v) ? (v * 100).toFixed(digits) : NO_DATA;
}

/** Latency in ms: "87 ms", "1.24 s". */
export function ms(v: number | null | undefined): string {
  if (!isNum(v)) return NO_DATA;
  if (Math.abs(v) >= 10_000) return `${(v / 1000).toFixed(1)} s`;
  if (Math.abs(v) >= 1000) return `${(v / 1000).toFixed(2)} s`;
  return `${Math.round(v)} ms`;
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** Whole seconds as days, hours, minutes and seconds. */
function splitSeconds(total: number): { d: number; h: number; m: number; s: number } {
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3600);
  const m = Math.floor((total % 3600) / 60);
  return { d, h, m, s: total % 60 };
}

/** A duration in seconds, compact: "45s", "12m 05s", "3h 04m", "2d 03h". */
export function duration(seconds: number | null | undefined): string {
  if (!isNum(seconds)) return NO_DATA;
  const sign = seconds < 0 ? '−' : '';
  const { d, h, m, s } = splitSeconds(Math.round(Math.abs(seconds)));
  if (d > 0) return `${sign}${d}d ${p2(h)}h`;
  if (h > 0) return `${sign}${h}h ${p2(m)}m`;
  if (m > 0) return `${sign}${m}m ${p2(s)}s`;
  return `${sign}${s}s`;
}

/** A ticking age, "h:mm:ss" (or "Nd h:mm:ss"), from a start instant to now. */
export function age(startIso: string | number | null | undefined, nowMs: number): string {
  if (startIso === null || startIso === undefined) return NO_DATA;
  const start = typeof startIso === 'number' ? startIso : Date.parse(startIso);
  if (!Number.isFinite(start)) return NO_DATA;
  const { d, h, m, s } = splitSeconds(Math.max(0, Math.floor((nowMs - start) / 1000)));
  return `${d > 0 ? `${d}d ` : ''}${h}:${p2(m)}:${p2(s)}`;
}

/** An integer count; null → dash. */
export function count(v: number | null | undefined): string {
  return isNum(v) ? Math.round(v).toLocaleString('en-US') : NO_DATA;
}

/** An NPS or CSAT score (−100..100), signed, one decimal at most. */
export function score(v: number | null | undefined): string {
  if (!isNum(v)) return NO_DATA;
  const r = Math.round(v * 10) / 10;
  return `${r > 0 ? '+' : ''}${Number.isInteger(r) ? r.toFixed(0) : r.toFixed(1)}`;
}

/** "2024-05-01T10:20:00.000Z" → "2024-05-01 10:20:00Z"; UTC throughout, as the API. */
export function utc(v: string | number | null | undefined, withSeconds = true): string {
  if (v === null || v === undefined) return NO_DATA;
  const t = typeof v === 'number' ? v : Date.parse(v);
  if (!Number.isFinite(t)) return NO_DATA;
  const s = new Date(t).toISOString();
  return `${s.slice(0, 10)} ${s.slice(11, withSeconds ? 19 : 16)}Z`;
}

/** "HH:MM:SS" UTC clock. */
export function clock(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(11, 19);
}

/** A short duration for tight spaces: "45s", "42m", "1h07m", "2d03h". */
export function durationShort(seconds: number | null | undefined): string {
  if (!isNum(seconds)) return NO_DATA;
  const sign = seconds < 0 ? '−' : '';
  const s = Math.round(Math.abs(seconds));
  if (s < 60) return `${sign}${s}s`;
  if (s < 3600) return `${sign}${Math.round(s / 60)}m`;
  if (s < 86_400) return `${sign}${Math.floor(s / 3600)}h${p2(Math.floor((s % 3600) / 60))}m`;
  return `${sign}${Math.floor(s / 86_400)}d${p2(Math.floor((s % 86_400) / 3600))}h`;
}
