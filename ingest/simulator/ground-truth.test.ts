// Hand-built scenarios with the expected figures worked out by hand (STYLE.md).
import { describe, expect, it } from 'vitest';
import type { SlaConfig } from '../../infra/sla-config.js';
import { computeGroundTruth } from './ground-truth.js';

const SLA: SlaConfig = {
  defaults: {
    availability: 0.999, probeSuccess: 0.99, latencyP95Ms: 250, mttrSeconds: 14400,
    complaintTimeliness: 0.9, complaintResponseHours: 4, complaintResolutionHours: 24,
  },
  services: { sms: { complaintResolutionHours: 48 } },
};
const FROM = Date.parse('2026-01-05T10:00:00Z');
const TO = Date.parse('2026-01-05T11:00:00Z');
/** `hh:mm` on the scenario day as an RFC 3339 string. */
const t = (hhmm: string) => `2026-01-05T${hhmm}:00Z`;
const ms = (hhmm: string) => Date.parse(t(hhmm));

let n = 0;
const base = (service = 'mobile-data', region = 'north') => ({ id: `e${++n}`, service, region });
const alarm = (alarmId: string, state: string, ts: string | number, severity = 'critical', extra: object = {}) =>
  ({ ...base(), type: 'alarm', ts, element: 'enb-1', alarmId, state, severity, ...extra });
const probe = (ts: string | number, latencyMs?: number) =>
  ({ ...base(), type: 'probe', ts, element: 'enb-1', ok: latencyMs !== undefined, ...(latencyMs !== undefined ? { latencyMs } : {}) });
const ticket = (ticketId: string, state: string, ts: string, category?: string) =>
  ({ ...base(), type: 'complaint', ts, ticketId, state, ...(category ? { category } : {}) });
const survey = (scale: string, score: number, ts: string) => ({ ...base(), type: 'survey', ts, scale, score });

describe('ground truth of one scope', () => {
  const p2 = probe(ms('10:24'), 20);
  const lateProbe = probe(ms('10:00') + 30_000, 1000);
  // In arrival order.
  const events: unknown[] = [
    ticket('T3', 'opened', '2026-01-04T09:00:00Z', 'service'),
    ticket('T3', 'acknowledged', '2026-01-04T09:30:00Z'),
    alarm('A0', 'raised', t('09:30'), 'major'),
    alarm('A0', 'acknowledged', t('09:35'), 'major'),
    alarm('A0', 'cleared', t('09:40'), 'major'),
    alarm('A1', 'raised', '2026-01-05T11:00:00+01:00'), // = 10:00Z
    probe(ms('10:01'), 10),
    alarm('A1', 'acknowledged', t('10:03')),
    ticket('T1', 'opened', t('10:05'), 'network'),
    alarm('A3', 'raised', t('10:05')),
    alarm('A1', 'acknowledged', t('10:06')), // second ack: ignored
    alarm('A3', 'cleared', t('10:10')),
    ticket('T2', 'opened', t('10:10'), 'billing'),
    alarm('A1', 'raised', t('10:15')), // re-notification while open: ignored
    ticket('T1', 'acknowledged', t('10:15')),
    alarm('A2', 'raised', ms('10:20'), 'major'), // serviceAffecting omitted = true
    alarm('A2', 'acknowledged', ms('10:22'), 'major'),
    p2,
    { ...p2 }, // producer retry: same id
    alarm('A1', 'cleared', t('10:25')),
    alarm('A2', 'cleared', t('10:30'), 'major'),
    ticket('T3', 'resolved', t('10:30')),
    alarm('A6', 'raised', t('10:35'), 'critical', { serviceAffecting: false }),
    survey('nps', 10, t('10:36')),
    survey('nps', 9, t('10:37')),
    survey('nps', 7, t('10:38')),
    alarm('A6', 'cleared', t('10:38'), 'critical', { serviceAffecting: false }),
    survey('nps', 3, t('10:39')),
    alarm('A5', 'raised', t('10:40'), 'minor'),
    lateProbe, // newest 10:40 − 2 min = watermark 10:38 > 10:00:30
    probe(ms('10:39'), 30), // out of order but within the lateness
    ticket('T2', 'acknowledged', t('10:40')),
    alarm('A5', 'acknowledged', t('10:42'), 'minor'),
    probe(ms('10:43')), // failed
    alarm('A5', 'cleared', t('10:45'), 'minor'),
    ticket('T1', 'resolved', t('10:45')),
    survey('csat', 5, t('10:46')),
    survey('csat', 4, t('10:47')),
    survey('csat', 2, t('10:48')),
    probe(ms('10:49'), 40),
    alarm('A4', 'raised', t('10:50'), 'major'), // never cleared
    ticket('T3', 'reopened', t('10:50')),
    ticket('T3', 'resolved', t('10:55')), // not the first resolution
    { ...probe(ms('10:56'), 7), service: 'Mobile Data' }, // invalid
    { ...probe(ms('10:57')), ok: true }, // invalid: ok without latencyMs
    probe(ms('11:00'), 5000), // at `to`: outside [from, to)
  ];
  const truth = computeGroundTruth(events, { from: FROM, to: TO, latenessMs: 120_000, sla: SLA });
  const k = truth.scopes[0]!;

  it('drops invalid, duplicate and late events', () => {
    expect(truth.invalid).toBe(2);
    expect(truth.duplicates).toEqual([p2.id]);
    expect(truth.late).toEqual([lateProbe.id]);
    expect(truth.scopes.map((s) => `${s.service}|${s.region}`)).toEqual(['mobile-data|north']);
  });

  it('computes availability from the union of outage intervals', () => {
    // A1 10:00–10:25 ⊇ A3 10:05–10:10, ∪ A2 10:20–10:30 = 10:00–10:30 (30 min);
    // A4 10:50–open, clipped to 11:00 = 10 min; A6 not service affecting, A5 minor.
    // Downtime 40 min = 2400 s → availability 1 − 2400/3600 = 1/3.
    expect(k.downtimeSeconds).toBe(2400);
    expect(k.availability).toBeCloseTo(1 / 3, 12);
    // Outage alarms raised in period: A1, A3, A2, A4 (A1's re-raise is not a new fault).
    expect(k.faults).toBe(4);
    // Cleared in period: A1 25 min, A3 5 min, A2 10 min → (1500 + 300 + 600) / 3 = 800 s.
    expect(k.mttrSeconds).toBe(800);
    // First acks in period: A1 3 min, A2 2 min, A5 (minor) 2 min → 420 / 3 = 140 s; A0's was at 09:35.
    expect(k.mttaSeconds).toBe(140);
  });

  it('computes probe figures with nearest-rank percentiles', () => {
    // 10, 20, 30, 40 ok + one failure: 4/5; p50 = rank ceil(2) = 20; p95 = rank ceil(3.8) = 40.
    expect(k.probes).toEqual({ total: 5, successRate: 0.8, p50: 20, p95: 40, p99: 40 });
  });

  it('computes complaint figures', () => {
    // Opened in period: T1 network, T2 billing. Response: T1 10 min, T2 30 min → 1200 s.
    // First resolutions in period: T1 40 min = 2400 s, T3 01-04 09:00 → 01-05 10:30
    // = 25.5 h = 91800 s → mean 47100 s; only T1 is within 24 h → timeliness 0.5.
    expect(k.complaints).toEqual({
      opened: 2,
      byCategory: { network: 1, billing: 1, service: 0, other: 0 },
      meanResponseSeconds: 1200,
      meanResolutionSeconds: 47100,
      timeliness: 0.5,
    });
  });

  it('computes NPS and CSAT', () => {
    // NPS 10, 9 promoters, 7 passive, 3 detractor → 100 × (2 − 1) / 4 = 25.
    expect(k.nps).toEqual({ responses: 4, score: 25 });
    // CSAT 5, 4 satisfied of 3 → 66.7.
    expect(k.csat.responses).toBe(3);
    expect(k.csat.score).toBeCloseTo(200 / 3, 12);
  });

  it('gives the same figures for the whole service when it has one region', () => {
    expect(truth.services).toEqual([{ ...k, region: null }]);
  });
});

describe('ground truth over several regions', () => {
  const v = (region: string) => base('voice', region);
  const events: unknown[] = [
    { ...v('north'), type: 'alarm', ts: t('10:00'), alarmId: 'V1', state: 'raised', severity: 'critical' },
    { ...v('north'), type: 'probe', ts: ms('10:05'), ok: true, latencyMs: 100 },
    { ...v('south'), type: 'probe', ts: ms('10:06'), ok: true, latencyMs: 300 },
    { ...v('south'), type: 'probe', ts: ms('10:07'), ok: false },
    { ...v('south'), type: 'alarm', ts: t('10:20'), alarmId: 'V2', state: 'raised', severity: 'major' },
    { ...v('north'), type: 'alarm', ts: t('10:30'), alarmId: 'V1', state: 'cleared', severity: 'critical' },
    { ...v('south'), type: 'alarm', ts: t('10:40'), alarmId: 'V2', state: 'cleared', severity: 'major' },
    // sms resolves within its own 48 h target (config), though beyond the default 24 h.
    { ...base('sms', 'north'), type: 'complaint', ts: '2026-01-04T05:00:00Z', ticketId: 'S1', state: 'opened', category: 'network' },
    { ...base('sms', 'north'), type: 'complaint', ts: t('10:30'), ticketId: 'S1', state: 'resolved' },
  ];
  const truth = computeGroundTruth(events, { from: FROM, to: TO, sla: SLA });
  const voice = truth.services.find((s) => s.service === 'voice')!;

  it('averages regional availability over regions with events and pools the rest', () => {
    // north 10:00–10:30 → 0.5; south 10:20–10:40 → 1 − 20/60 = 2/3; east has no event.
    // Mean (0.5 + 2/3) / 2 = 7/12.
    expect(truth.scopes.filter((s) => s.service === 'voice').map((s) => s.availability))
      .toEqual([0.5, 1 - 1200 / 3600]);
    expect(voice.region).toBeNull();
    expect(voice.availability).toBeCloseTo(7 / 12, 12);
    // Mean of the regional downtimes, like availability: (1800 + 1200) / 2 = 1500 s,
    // so 1 − 1500/3600 = 7/12 holds at service level too.
    expect(voice.downtimeSeconds).toBe(1500);
    expect(voice.faults).toBe(2);
    // (30 min + 20 min) / 2 = 1500 s.
    expect(voice.mttrSeconds).toBe(1500);
    expect(voice.mttaSeconds).toBeNull();
    // 100 and 300 ok, one failure: 2/3; p50 = rank 1 = 100; p95 = rank ceil(1.9) = 2 = 300.
    expect(voice.probes).toEqual({ total: 3, successRate: 2 / 3, p50: 100, p95: 300, p99: 300 });
    expect(voice.nps).toEqual({ responses: 0, score: null });
    expect(voice.complaints.timeliness).toBeNull();
  });

  it('uses each service\'s resolution target', () => {
    // 01-04 05:00 → 01-05 10:30 = 29.5 h ≤ 48 h.
    const sms = truth.services.find((s) => s.service === 'sms')!;
    expect(sms.complaints.meanResolutionSeconds).toBe(29.5 * 3600);
    expect(sms.complaints.timeliness).toBe(1);
    expect(sms.complaints.opened).toBe(0);
    expect(sms.availability).toBe(1);
    expect(sms.probes).toEqual({ total: 0, successRate: null, p50: null, p95: null, p99: null });
  });
});
