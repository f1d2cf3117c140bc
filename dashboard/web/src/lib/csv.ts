// Pure: the SLA report as CSV (RFC 4180: comma separated, CRLF, quoted when needed).
// One row per objective, then the error budget rows.
import type { BurnPoint, SlaReport } from './types.js';

export function csvField(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'number' ? (Number.isFinite(v) ? String(v) : '') : String(v);
  return /[",\r\n]/.test(s) || /^\s|\s$/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

export const CSV_HEADER = ['service', 'from', 'to', 'row', 'name', 'target', 'actual', 'met'];

const metCell = (m: boolean | null | undefined): string => (m === true ? 'yes' : m === false ? 'no' : '');

export function slaCsv(r: SlaReport): string {
  const base = [r.service, r.from, r.to];
  const rows: unknown[][] = [CSV_HEADER];
  for (const o of r.objectives) rows.push([...base, 'objective', o.objective, o.target, o.actual, metCell(o.met)]);
  rows.push([...base, 'summary', 'shareMet', '', r.shareMet, '']);
  const b = r.errorBudget;
  rows.push([...base, 'budget', 'allowedSeconds', '', b.allowedSeconds, '']);
  rows.push([...base, 'budget', 'usedSeconds', b.allowedSeconds, b.usedSeconds, b.usedSeconds === null ? '' : metCell(b.usedSeconds <= b.allowedSeconds)]);
  rows.push([...base, 'budget', 'remainingSeconds', '', b.remainingSeconds, '']);
  rows.push([...base, 'budget', 'remainingShare', '', b.remainingShare, '']);
  return toCsv(rows);
}

/** Filesystem-safe "sla-<service>-<from>-<to>.csv"; ISO colons become dashes. */
export function slaCsvName(service: string, from: string, to: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
  return `sla-${safe(service)}-${safe(from)}-${safe(to)}.csv`;
}

/** Budget used up to each burn point (`errorBudget.burn[].usedSeconds` is cumulative, docs/api.md). */
export function cumulativeBurn(points: readonly BurnPoint[]): { t: number; used: number }[] {
  return points.map((p) => ({ t: Date.parse(p.t), used: p.usedSeconds }));
}
