// Evaluates every alert rule of every scope once per closed minute, in event time,
// and returns the alerts that changed state (firing or resolved). Pure: the caller
// feeds MinuteInput rows in minute order and delivers what comes back.
import type { Alert, AlertLabels, AlertSubject } from '../../../events/alerts.js';
import { sketchMergeAll, sketchQuantile, sketchCount, type Sketch } from '../sketch.js';
import { AnomalyDetector, type AnomalyOptions } from './anomaly.js';
import {
  ANOMALY_SUBJECTS, ANOMALY_WINDOW_MINUTES, DEFAULT_ANOMALY_OPTIONS, EXPLAINED_BY_OUTAGES, MIN_LATENCY_SAMPLES, OUTAGE_EXPLAINS_MS,
  type AnomalySubject,
} from './alert-rules.js';
import { availabilityErrorRatio, BURN_HISTORY_MINUTES, BURN_WINDOWS, evaluateBurnRules, probeErrorRatio, type ErrorRatio } from './burn-rate.js';
import { fingerprint } from './fingerprint.js';
import { MINUTE_MS, quietMinute, type MinuteInput } from './minute-input.js';
import { burnSummary, anomalySummary } from './alert-summary.js';
import { WindowSums } from './window-sums.js';

export interface SloObjectives {
  availability: number;
  probeSuccess: number;
}

export interface AlertEngineOptions {
  objectives: (service: string) => SloObjectives;
  anomaly?: Partial<Record<AnomalySubject, Partial<AnomalyOptions>>>;
}

type BurnSli = Extract<AlertSubject, 'availability' | 'probe_success'>;

class ScopeAlerts {
  next: number | null = null;
  readonly downtime = new WindowSums(BURN_WINDOWS, BURN_HISTORY_MINUTES);
  readonly probeFailed = new WindowSums(BURN_WINDOWS, BURN_HISTORY_MINUTES);
  readonly probeTotal = new WindowSums(BURN_WINDOWS, BURN_HISTORY_MINUTES);
  readonly faults = new WindowSums([ANOMALY_WINDOW_MINUTES.fault_rate]);
  readonly complaints = new WindowSums([ANOMALY_WINDOW_MINUTES.complaint_rate]);
  readonly latency: Sketch[] = [];
  /** End of the last minute with downtime or an open outage; -Infinity if none. */
  lastOutageEnd = -Infinity;
  readonly detectors: Record<AnomalySubject, AnomalyDetector>;
  readonly sli: Record<BurnSli, ErrorRatio>;

  constructor(readonly service: string, readonly region: string, anomaly: Record<AnomalySubject, AnomalyOptions>) {
    this.detectors = {
      latency_p95: new AnomalyDetector(anomaly.latency_p95),
      fault_rate: new AnomalyDetector(anomaly.fault_rate),
      complaint_rate: new AnomalyDetector(anomaly.complaint_rate),
    };
    this.sli = {
      availability: availabilityErrorRatio(this.downtime),
      probe_success: probeErrorRatio(this.probeFailed, this.probeTotal),
    };
  }

  push(m: MinuteInput): void {
    this.downtime.push(Math.round(m.downtimeMs));
    this.probeFailed.push(m.probes - m.probesOk);
    this.probeTotal.push(m.probes);
    this.faults.push(m.faults);
    this.complaints.push(m.complaints);
    this.latency.push(m.latency);
    if (this.latency.length > ANOMALY_WINDOW_MINUTES.latency_p95) this.latency.shift();
    if (m.downtimeMs > 0 || m.outageOpen) this.lastOutageEnd = m.start + MINUTE_MS;
  }

  anomalyValue(subject: AnomalySubject): number | null {
    switch (subject) {
      case 'latency_p95': {
        const merged = sketchMergeAll(this.latency);
        return sketchCount(merged) >= MIN_LATENCY_SAMPLES ? sketchQuantile(merged, 0.95) : null;
      }
      case 'fault_rate':
        return this.faults.sum(ANOMALY_WINDOW_MINUTES.fault_rate);
      case 'complaint_rate':
        return this.complaints.sum(ANOMALY_WINDOW_MINUTES.complaint_rate);
    }
  }
}

export class AlertEngine {
  private readonly scopes = new Map<string, ScopeAlerts>();
  private readonly firing = new Map<string, Alert>();
  private readonly anomalyOptions: Record<AnomalySubject, AnomalyOptions>;

  constructor(private readonly o: AlertEngineOptions) {
    const a = {} as Record<AnomalySubject, AnomalyOptions>;
    for (const s of ANOMALY_SUBJECTS) a[s] = { ...DEFAULT_ANOMALY_OPTIONS[s], ...(o.anomaly?.[s] ?? {}) };
    this.anomalyOptions = a;
  }

  /**
   * Takes the next closed minute of a scope. Minutes of a scope must come in order;
   * a gap is filled with quiet minutes (no events, no outage), and a minute at or
   * before the last one taken is ignored (a replay), returning nothing.
   */
  step(service: string, region: string, m: MinuteInput): Alert[] {
    const key = `${service}|${region}`;
    let s = this.scopes.get(key);
    if (s === undefined) this.scopes.set(key, (s = new ScopeAlerts(service, region, this.anomalyOptions)));
    if (s.next !== null && m.start < s.next) return [];
    const out: Alert[] = [];
    if (s.next !== null) {
      // A gap longer than the longest window cannot change anything but the newest minutes.
      const from = Math.max(s.next, m.start - BURN_HISTORY_MINUTES * MINUTE_MS);
      for (let t = from; t < m.start; t += MINUTE_MS) this.evaluate(s, quietMinute(t), out);
    }
    this.evaluate(s, m, out);
    return out;
  }

  /** Alerts firing now, over all scopes. */
  active(): Alert[] {
    return [...this.firing.values()].map((a) => ({ ...a }));
  }

  /** Start of the next minute the scope expects, or null if never seen. */
  nextMinute(service: string, region: string): number | null {
    return this.scopes.get(`${service}|${region}`)?.next ?? null;
  }

  private evaluate(s: ScopeAlerts, m: MinuteInput, out: Alert[]): void {
    s.push(m);
    s.next = m.start + MINUTE_MS;
    const at = s.next;
    const objectives = this.o.objectives(s.service);
    const target: Record<BurnSli, number> = { availability: objectives.availability, probe_success: objectives.probeSuccess };
    for (const sli of ['availability', 'probe_success'] as const) {
      const results = evaluateBurnRules(s.sli[sli], target[sli], sli === 'probe_success' ? s.probeTotal.length : Number.POSITIVE_INFINITY);
      for (const severity of ['page', 'ticket'] as const) {
        const hit = results.find((r) => r.rule.severity === severity && r.holds);
        const labels: AlertLabels = { alertname: 'SloBurnRate', service: s.service, region: s.region, kind: 'burn_rate', subject: sli, severity };
        if (hit) {
          this.fire(labels, at, out, () => burnSummary(labels, hit, target[sli]));
        } else {
          this.resolve(labels, at, out);
        }
      }
    }
    const hour = new Date(m.start).getUTCHours();
    for (const subject of ANOMALY_SUBJECTS) {
      const explained = EXPLAINED_BY_OUTAGES.has(subject) && at - s.lastOutageEnd < OUTAGE_EXPLAINS_MS;
      const value = explained ? null : s.anomalyValue(subject);
      const change = s.detectors[subject].step(value, hour);
      if (change === null) continue;
      const labels: AlertLabels = { alertname: 'Anomaly', service: s.service, region: s.region, kind: 'anomaly', subject, severity: 'warning' };
      if (change.status === 'firing') this.fire(labels, at, out, () => anomalySummary(labels, change, this.anomalyOptions[subject].sustainMinutes));
      else this.resolve(labels, at, out);
    }
  }

  private fire(labels: AlertLabels, at: number, out: Alert[], describe: () => { summary: string; values: Alert['values'] }): void {
    const fp = fingerprint(labels);
    if (this.firing.has(fp)) return;
    const { summary, values } = describe();
    const alert: Alert = { fingerprint: fp, labels, status: 'firing', startsAt: new Date(at).toISOString(), endsAt: null, summary, values };
    this.firing.set(fp, alert);
    out.push({ ...alert });
  }

  private resolve(labels: AlertLabels, at: number, out: Alert[]): void {
    const fp = fingerprint(labels);
    const alert = this.firing.get(fp);
    if (alert === undefined) return;
    this.firing.delete(fp);
    out.push({ ...alert, status: 'resolved', endsAt: new Date(at).toISOString() });
  }
}
