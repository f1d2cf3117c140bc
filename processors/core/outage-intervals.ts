// Downtime is the length of the union of outage intervals clipped to the period
// (CONTRACT.md section 4): overlapping or nested alarms count once. Used by the
// query API, so it stands alone.

export interface Interval {
  start: number;
  /** null = still open: runs to the end of the period. */
  end: number | null;
}

/** The merged, sorted, disjoint intervals of the union, clipped to [from, to). */
export function unionIntervals(intervals: readonly Interval[], from: number, to: number): { start: number; end: number }[] {
  const clipped = intervals
    .map((i) => ({ start: Math.max(i.start, from), end: Math.min(i.end ?? to, to) }))
    .filter((i) => i.end > i.start)
    .sort((a, b) => a.start - b.start);
  const out: { start: number; end: number }[] = [];
  for (const i of clipped) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ ...i });
  }
  return out;
}

export function unionLength(intervals: readonly Interval[], from: number, to: number): number {
  let total = 0;
  for (const i of unionIntervals(intervals, from, to)) total += i.end - i.start;
  return total;
}
