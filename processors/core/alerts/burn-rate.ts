// SLO burn-rate rules, multi-window as in the Google SRE workbook ("Alerting on
// SLOs", table 5-8): an alert needs the budget to burn fast over a long window
// *and* still burn over a short one, so it fires fast on big outages and resolves
// soon after recovery. Burn rate = error ratio over the window / (1 − objective).
import type { AlertSeverity } from '../../../events/alerts.js';
import type { WindowSums } from './window-sums.js';
import { MINUTE_MS } from './minute-input.js';

export interface BurnRule {
  name: 'page-1h' | 'page-6h' | 'ticket-1d' | 'ticket-3d';
  severity: Extract<AlertSeverity, 'page' | 'ticket'>;
  factor: number;
  longMinutes: number;
  shortMinutes: number;
}

/** Fastest first: within a severity, the first rule that holds names the alert. */
export const BURN_RULES: readonly BurnRule[] = [
  { name: 'page-1h', severity: 'page', factor: 14.4, longMinutes: 60, shortMinutes: 5 },
  { name: 'page-6h', severity: 'page', factor: 6, longMinutes: 360, shortMinutes: 30 },
  { name: 'ticket-1d', severity: 'ticket', factor: 3, longMinutes: 1440, shortMinutes: 120 },
  { name: 'ticket-3d', severity: 'ticket', factor: 1, longMinutes: 4320, shortMinutes: 360 },
];

export const BURN_WINDOWS: readonly number[] = [...new Set(BURN_RULES.flatMap((r) => [r.longMinutes, r.shortMinutes]))].sort((a, b) => a - b);
export const BURN_HISTORY_MINUTES = Math.max(...BURN_WINDOWS);

/** An SLI's error ratio over the trailing `minutes`, or null when nothing was measured. */
export type ErrorRatio = (minutes: number) => number | null;

/**
 * Availability: downtime over the whole window length. The denominator is the
 * window, not the minutes observed, so a scope seen for 10 minutes with a 1-minute
 * outage burns the 3-day budget at 1/4320 per minute of downtime, not at 10 %.
 */
export function availabilityErrorRatio(downtimeMs: WindowSums): ErrorRatio {
  return (minutes) => downtimeMs.sum(minutes) / (minutes * MINUTE_MS);
}

/** Probe success: failed probes over probes in the window; null without probes. */
export function probeErrorRatio(failed: WindowSums, total: WindowSums): ErrorRatio {
  return (minutes) => {
    const n = total.sum(minutes);
    return n > 0 ? failed.sum(minutes) / n : null;
  };
}

export interface RuleResult {
  rule: BurnRule;
  longBurn: number | null;
  shortBurn: number | null;
  holds: boolean;
}

/**
 * historyMinutes: how long the scope has been evaluated. A ratio over observed
 * events (probes) from a scope seen for a minute would judge a 6-h window by one
 * failed probe in ten; such a rule waits until its short window is covered.
 * Availability passes Infinity: its denominator is the window itself.
 */
export function evaluateBurnRules(errorRatio: ErrorRatio, objective: number, historyMinutes = Number.POSITIVE_INFINITY): RuleResult[] {
  const budget = 1 - objective;
  if (!(budget > 0 && budget < 1)) throw new RangeError(`objective must be between 0 and 1 exclusive, got ${objective}`);
  const burn = (m: number): number | null => {
    const r = errorRatio(m);
    return r === null ? null : r / budget;
  };
  return BURN_RULES.map((rule) => {
    if (historyMinutes < rule.shortMinutes) return { rule, longBurn: null, shortBurn: null, holds: false };
    const longBurn = burn(rule.longMinutes);
    const shortBurn = burn(rule.shortMinutes);
    // Strictly above, as the workbook's `>` expressions.
    const holds = longBurn !== null && shortBurn !== null && longBurn > rule.factor && shortBurn > rule.factor;
    return { rule, longBurn, shortBurn, holds };
  });
}
