// Latency summaries shared by the benches: nearest-rank percentiles (the same
// definition the contract uses for probe latency, CONTRACT.md section 4), so a
// reported p99 is a value that was actually measured, never an interpolation.

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** The value at rank ⌈q·n⌉ (at least 1) of ascending `sorted`; NaN when empty. */
export function percentile(sorted: readonly number[], q: number): number {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q: must be from 0 to 1, got ${q}`);
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length - 1e-9)));
  return sorted[rank - 1]!;
}

export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const mean = s.length === 0 ? NaN : s.reduce((a, b) => a + b, 0) / s.length;
  return {
    n: s.length, min: s[0] ?? NaN, p50: percentile(s, 0.5), p95: percentile(s, 0.95), p99: percentile(s, 0.99),
    max: s[s.length - 1] ?? NaN, mean,
  };
}

const ms = (v: number): string => (Number.isNaN(v) ? '-' : v >= 100 ? v.toFixed(0) : v.toFixed(1));

/** `n=1000 p50 12.3 ms, p95 …, max …` for one line of bench output. */
export function formatSummary(s: Summary, unit = 'ms'): string {
  return `n=${s.n} p50 ${ms(s.p50)} ${unit}, p95 ${ms(s.p95)} ${unit}, p99 ${ms(s.p99)} ${unit}, max ${ms(s.max)} ${unit}`;
}
