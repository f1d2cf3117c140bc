// Pure helpers over incidents (CONTRACT.md section 5, /incidents).
import type { Incident } from './types.js';

const SEVERITY_RANK: Record<string, number> = { critical: 0, major: 1, minor: 2, warning: 3 };
export const severityRank = (s: string): number => SEVERITY_RANK[s] ?? 4;

/** Open incidents for a NOC: worst severity first, then the longest running. */
export function sortOpenIncidents(list: Incident[]): Incident[] {
  return [...list].sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || Date.parse(a.start) - Date.parse(b.start));
}

/** Incidents of a period for the ops table: newest start first. */
export function sortByStartDesc(list: Incident[]): Incident[] {
  return [...list].sort((a, b) => Date.parse(b.start) - Date.parse(a.start));
}

/** Duration of an incident, running ones up to now. */
export function incidentSeconds(i: Pick<Incident, 'start' | 'resolved' | 'durationSeconds'>, nowMs: number): number | null {
  if (typeof i.durationSeconds === 'number') return i.durationSeconds;
  const start = Date.parse(i.start);
  if (!Number.isFinite(start)) return null;
  const end = i.resolved ? Date.parse(i.resolved) : nowMs;
  return Number.isFinite(end) ? Math.max(0, (end - start) / 1000) : null;
}
