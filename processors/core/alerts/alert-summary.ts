// One line an operator reads on a wall or a phone: what, where, how bad, against what.
import type { Alert, AlertLabels } from '../../../events/alerts.js';
import type { AnomalyChange } from './anomaly.js';
import type { RuleResult } from './burn-rate.js';

const SUBJECT_NAMES: Record<AlertLabels['subject'], string> = {
  availability: 'availability',
  probe_success: 'probe success',
  latency_p95: 'latency p95',
  fault_rate: 'faults per hour',
  complaint_rate: 'complaints per hour',
};

const window = (minutes: number) => (minutes % 1440 === 0 ? `${minutes / 1440} d` : minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`);
const times = (x: number | null) => (x === null ? '—' : `${x.toFixed(1)}×`);
const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function burnSummary(labels: AlertLabels, hit: RuleResult, objective: number): { summary: string; values: Alert['values'] } {
  const { rule } = hit;
  const pct = round(objective * 100, 4);
  return {
    summary: `${labels.service}/${labels.region}: ${SUBJECT_NAMES[labels.subject]} error budget burning ${times(hit.longBurn)} over ${window(rule.longMinutes)} `
      + `and ${times(hit.shortBurn)} over ${window(rule.shortMinutes)} (${labels.severity} above ${rule.factor}×; objective ${pct} %)`,
    values: {
      rule: rule.name, factor: rule.factor, longWindowMinutes: rule.longMinutes, shortWindowMinutes: rule.shortMinutes,
      longBurn: round(hit.longBurn ?? 0, 3), shortBurn: round(hit.shortBurn ?? 0, 3), objective,
    },
  };
}

export function anomalySummary(labels: AlertLabels, c: AnomalyChange, sustainMinutes: number): { summary: string; values: Alert['values'] } {
  const unit = labels.subject === 'latency_p95' ? ' ms' : '';
  const digits = labels.subject === 'latency_p95' ? 1 : 0;
  return {
    summary: `${labels.service}/${labels.region}: ${SUBJECT_NAMES[labels.subject]} ${c.value.toFixed(digits)}${unit} above its normal band `
      + `(mean ${c.mean.toFixed(1)}${unit}, upper ${c.upper.toFixed(1)}${unit}) for ${sustainMinutes} min`,
    values: { value: round(c.value, 3), mean: round(c.mean, 3), upper: round(c.upper, 3), sustainMinutes },
  };
}
