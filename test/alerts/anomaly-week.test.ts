// A seeded simulator week of a healthy network (no incidents: probes, complaints and
// surveys at their normal rates) for 2 services × 2 regions, through the schema, the
// processor core and the alert engine. With injected anomalies each is found within
// its stated delay; without them nothing fires at all.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../events/alerts.js';
import type { InjectedAnomaly } from '../../ingest/simulator/injected-anomalies.js';
import { runAlertWeek } from '../helpers/alert-week.js';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const START = Date.UTC(2026, 4, 4);

// Day 4 10:00–16:00: voice/north probe latency doubles (p95 ~95 ms → ~190 ms).
const latencyStep: InjectedAnomaly = { kind: 'latency-step', service: 'voice', region: 'north', start: START + 4 * DAY + 10 * H, end: START + 4 * DAY + 16 * H, factor: 2 };
// Day 5 14:00–16:00: broadband/south gets 60 extra complaints an hour (normal: 6).
const complaintSpike: InjectedAnomaly = { kind: 'complaint-spike', service: 'broadband', region: 'south', start: START + 5 * DAY + 14 * H, end: START + 5 * DAY + 16 * H, perHour: 60 };

function week(seed: number, anomalies: InjectedAnomaly[]): Alert[] {
  return runAlertWeek(
    { seed, start: START, durationMs: 7 * DAY, rate: 0.7, services: ['voice', 'broadband'], regions: ['north', 'south'], elementsPerScope: 5, incidentsPerHour: 0, anomalies },
    { objectives: () => ({ availability: 0.999, probeSuccess: 0.99 }) },
  ).alerts;
}

const ms = (iso: string | null) => (iso === null ? NaN : Date.parse(iso));

describe('anomaly detection over a simulated week', () => {
  it.each([1, 2])('a healthy week (seed %i) raises no alert at all', (seed) => {
    expect(week(seed, [])).toEqual([]);
  });

  it('finds a latency step within 15 min and a complaint spike within 45 min, and nothing else', () => {
    const alerts = week(1, [latencyStep, complaintSpike]);
    // Exactly one occurrence per injection: fired, then resolved after it ended.
    expect(alerts.map((a) => [a.status, a.labels.subject, `${a.labels.service}/${a.labels.region}`]).sort()).toEqual([
      ['firing', 'complaint_rate', 'broadband/south'],
      ['firing', 'latency_p95', 'voice/north'],
      ['resolved', 'complaint_rate', 'broadband/south'],
      ['resolved', 'latency_p95', 'voice/north'],
    ]);
    const latency = alerts.find((a) => a.labels.subject === 'latency_p95' && a.status === 'resolved')!;
    const complaints = alerts.find((a) => a.labels.subject === 'complaint_rate' && a.status === 'resolved')!;

    // Latency: the 15-min p95 crosses the band within a few minutes, then 10 sustained minutes.
    expect(ms(latency.startsAt) - latencyStep.start).toBeGreaterThanOrEqual(10 * MIN);
    expect(ms(latency.startsAt) - latencyStep.start).toBeLessThanOrEqual(15 * MIN);
    // It resolves once the 15-min window is clean again plus 15 calm minutes.
    expect(ms(latency.endsAt) - latencyStep.end).toBeLessThanOrEqual(45 * MIN);
    expect(latency.labels.severity).toBe('warning');
    expect(Number(latency.values.value)).toBeGreaterThan(Number(latency.values.upper));

    // Complaints: the hourly count climbs ~1 a minute past mean + 5√mean (~18), then 10 minutes.
    expect(ms(complaints.startsAt) - complaintSpike.start).toBeGreaterThanOrEqual(10 * MIN);
    expect(ms(complaints.startsAt) - complaintSpike.start).toBeLessThanOrEqual(45 * MIN);
    expect(ms(complaints.endsAt) - complaintSpike.end).toBeLessThanOrEqual(90 * MIN);
    expect(complaints.summary).toMatch(/^broadband\/south: complaints per hour \d+ above its normal band/);
  });
});
