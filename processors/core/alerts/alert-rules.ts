// The tunable parts of alert evaluation, in one place with their reasons.
import type { AlertSubject } from '../../../events/alerts.js';
import type { AnomalyOptions } from './anomaly.js';

export type AnomalySubject = Extract<AlertSubject, 'latency_p95' | 'fault_rate' | 'complaint_rate'>;
export const ANOMALY_SUBJECTS: readonly AnomalySubject[] = ['latency_p95', 'fault_rate', 'complaint_rate'];

/** Trailing minutes each anomaly figure is computed over: single minutes are too noisy. */
export const ANOMALY_WINDOW_MINUTES: Record<AnomalySubject, number> = {
  latency_p95: 15,
  fault_rate: 60,
  complaint_rate: 60,
};

/** A p95 over fewer ok probes than this is not a figure worth judging. */
export const MIN_LATENCY_SAMPLES = 20;

/**
 * After an outage, latency and complaints stay explained for this long: the
 * incident and its burn-rate alert already tell the story, and a second alert per
 * symptom would be the storm operators complain about. Faults are never explained
 * away: they are the outages.
 */
export const OUTAGE_EXPLAINS_MS = 60 * 60_000;
export const EXPLAINED_BY_OUTAGES: ReadonlySet<AnomalySubject> = new Set(['latency_p95', 'complaint_rate']);

const common = {
  // ~3 days of memory (2 / (N + 1), N = 4,320 minutes): a baseline learnt over a
  // day still wanders by a few tenths of its spread, enough for false alerts.
  alpha: 2 / 4321,
  // Three days of the same hour before the hour-of-day profile is trusted.
  profileMinSamples: 180,
  k: 4,
  // Twelve hours of history before anything may fire.
  warmupSamples: 720,
};

export const DEFAULT_ANOMALY_OPTIONS: Record<AnomalySubject, AnomalyOptions> = {
  latency_p95: { ...common, relSdFloor: 0.1, absSdFloor: 1, poisson: false, sustainMinutes: 10, clearMinutes: 15 },
  // Counts over an hour are Poisson-like: at k = 4 a healthy week of 4 scopes at 6
  // complaints an hour crosses mean + 4√mean a few times by chance; k = 5 does not.
  fault_rate: { ...common, k: 5, relSdFloor: 0, absSdFloor: 1, poisson: true, sustainMinutes: 5, clearMinutes: 15 },
  complaint_rate: { ...common, k: 5, relSdFloor: 0, absSdFloor: 1, poisson: true, sustainMinutes: 10, clearMinutes: 15 },
};
