// Anomalies injected on purpose, so alert tests know exactly what a detector should
// find and when: a latency step (a misrouted link, a congested peering) and a
// complaint spike (a billing run gone wrong). They change the feed, not the
// ground truth, which is computed from the events alone.

export type InjectedAnomaly =
  | { kind: 'latency-step'; service: string; region: string; start: number; end: number; factor: number }
  | { kind: 'complaint-spike'; service: string; region: string; start: number; end: number; perHour: number };

function active(a: InjectedAnomaly, service: string, region: string, t: number): boolean {
  return a.service === service && a.region === region && a.start <= t && t < a.end;
}

/** Multiplier of probe latency for the scope at time t. */
export function injectedLatencyFactor(list: readonly InjectedAnomaly[], service: string, region: string, t: number): number {
  let f = 1;
  for (const a of list) if (a.kind === 'latency-step' && active(a, service, region, t)) f *= a.factor;
  return f;
}

/** Extra complaint tickets per hour for the scope at time t. */
export function injectedComplaintsPerHour(list: readonly InjectedAnomaly[], service: string, region: string, t: number): number {
  let n = 0;
  for (const a of list) if (a.kind === 'complaint-spike' && active(a, service, region, t)) n += a.perHour;
  return n;
}

export function checkInjectedAnomalies(list: readonly InjectedAnomaly[]): void {
  list.forEach((a, i) => {
    if (!(Number.isFinite(a.start) && Number.isFinite(a.end) && a.end > a.start)) throw new RangeError(`anomalies[${i}]: end must be after start`);
    if (a.kind === 'latency-step' && !(a.factor > 0)) throw new RangeError(`anomalies[${i}].factor must be > 0`);
    if (a.kind === 'complaint-spike' && !(a.perHour >= 0)) throw new RangeError(`anomalies[${i}].perHour must be >= 0`);
  });
}
