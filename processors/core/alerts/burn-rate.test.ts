// Hand-worked burn-rate scenarios. Objective 99.9 % availability: the error budget is
// 0.1 % of the window, so a rule with factor f over W minutes needs more than
// f × 0.001 × W × 60 000 ms of downtime:
//   page-1h   14.4× : 1 h > 51 840 ms,   5 min > 4 320 ms
//   page-6h   6×    : 6 h > 129 600 ms, 30 min > 10 800 ms
//   ticket-1d 3×    : 1 d > 259 200 ms,    2 h > 21 600 ms
//   ticket-3d 1×    : 3 d > 259 200 ms,    6 h > 21 600 ms
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../events/alerts.js';
import { AlertEngine } from './alert-engine.js';
import { MINUTE_MS, quietMinute, type MinuteInput } from './minute-input.js';

const T0 = Date.UTC(2026, 2, 2, 0, 0);
const H = 60; // minutes
const at = (minute: number) => new Date(T0 + minute * MINUTE_MS).toISOString();

/** Runs `minutes` minutes from T0 with downtime[m] ms in minute m (and probes from `probes`). */
function run(minutes: number, downtime: Map<number, number>, probes?: (m: number) => { probes: number; ok: number }): Alert[] {
  const engine = new AlertEngine({ objectives: () => ({ availability: 0.999, probeSuccess: 0.99 }) });
  const out: Alert[] = [];
  for (let m = 0; m < minutes; m++) {
    const input: MinuteInput = { ...quietMinute(T0 + m * MINUTE_MS), downtimeMs: downtime.get(m) ?? 0 };
    if (probes) {
      const p = probes(m);
      input.probes = p.probes;
      input.probesOk = p.ok;
    }
    out.push(...engine.step('voice', 'north', input));
  }
  return out;
}

const burn = (alerts: Alert[]) => alerts.filter((a) => a.labels.kind === 'burn_rate');
const brief = (a: Alert) => ({ status: a.status, severity: a.labels.severity, subject: a.labels.subject, rule: a.values.rule, at: a.status === 'firing' ? a.startsAt : a.endsAt });

describe('burn-rate rules on availability (objective 99.9 %)', () => {
  it('page-1h alone: a 90 s outage at 00:00 fires at 00:01 and resolves when the 5-min window empties at 00:07', () => {
    // minute 0: 60 000 ms, minute 1: 30 000 ms. At 00:01: 1 h = 60 000 > 51 840 and 5 min > 4 320.
    // 6 h total 90 000 < 129 600; 1 d 90 000 < 259 200: no other rule.
    // The 5-min window [t−5, t) holds minute 1 until t = 00:06; at 00:07 it is empty.
    const alerts = burn(run(2 * H, new Map([[0, 60_000], [1, 30_000]])));
    expect(alerts.map(brief)).toEqual([
      { status: 'firing', severity: 'page', subject: 'availability', rule: 'page-1h', at: at(1) },
      { status: 'resolved', severity: 'page', subject: 'availability', rule: 'page-1h', at: at(7) },
    ]);
  });

  it('a short blip under every threshold fires nothing', () => {
    // 50 s < 51 840 ms in an hour; nothing else comes close.
    expect(burn(run(3 * H, new Map([[30, 50_000]])))).toEqual([]);
  });

  it('page-6h alone: 45 s outages every 70 min fire at the third, 02:21, and resolve at 02:51', () => {
    // Outages at minutes 0, 70, 140 (45 000 ms each): an hour never holds two, 45 000 < 51 840.
    // 6 h: 45k, 90k, then 135 000 > 129 600 after minute 140 → evaluated at 02:21; 30 min: 45 000 > 10 800.
    // The 30-min window holds minute 140 until t = 170 (02:50); at 02:51 it is empty.
    const alerts = burn(run(4 * H, new Map([[0, 45_000], [70, 45_000], [140, 45_000]])));
    expect(alerts.map(brief)).toEqual([
      { status: 'firing', severity: 'page', subject: 'availability', rule: 'page-6h', at: at(141) },
      { status: 'resolved', severity: 'page', subject: 'availability', rule: 'page-6h', at: at(171) },
    ]);
  });

  it('ticket-1d: 40 s outages every 150 min fire at the seventh, 15:01, and resolve at 21:01', () => {
    // 6 h never holds more than three (3 × 40 000 = 120 000 < 129 600), an hour one (< 51 840).
    // 1 d: 6 × 40 000 = 240 000, the 7th (minute 900 = 15:00) makes 280 000 > 259 200; 2 h: 40 000 > 21 600.
    // ticket-3d holds at the same minute (3 × 1 d = 1 × 3 d); the faster rule names the alert.
    // Resolution: 2 h empties at 17:01 but ticket-3d still holds (3 d 280 000, 6 h holds
    // 12:30 and 15:00); its 6-h window holds minute 900 until 21:00, empty at 21:01 (minute 1261).
    const downtime = new Map(Array.from({ length: 7 }, (_, i) => [i * 150, 40_000] as const));
    const alerts = burn(run(24 * H, downtime));
    expect(alerts.map(brief)).toEqual([
      { status: 'firing', severity: 'ticket', subject: 'availability', rule: 'ticket-1d', at: at(901) },
      { status: 'resolved', severity: 'ticket', subject: 'availability', rule: 'ticket-1d', at: at(1261) },
    ]);
    expect(alerts[0]!.values).toMatchObject({ factor: 3, longBurn: 3.241, shortBurn: 5.556 });
  });

  it('ticket-3d alone: 50 s outages every 9 h fire at the sixth, day 2 21:01, and resolve at day 3 03:01', () => {
    // An hour holds one (50 000 < 51 840), 6 h one (< 129 600), a day at most three (150 000 < 259 200).
    // 3 d: 5 × 50 000 = 250 000, the 6th (minute 2700 = 45 h) makes 300 000 > 259 200; 6 h: 50 000 > 21 600.
    // The 6-h window holds minute 2700 until t = 3060; empty at minute 3061.
    const downtime = new Map(Array.from({ length: 6 }, (_, i) => [i * 9 * H, 50_000] as const));
    const alerts = burn(run(60 * H, downtime));
    expect(alerts.map(brief)).toEqual([
      { status: 'firing', severity: 'ticket', subject: 'availability', rule: 'ticket-3d', at: at(2701) },
      { status: 'resolved', severity: 'ticket', subject: 'availability', rule: 'ticket-3d', at: at(3061) },
    ]);
    expect(alerts[0]!.summary).toContain('voice/north: availability error budget burning');
  });

  it('an outage still open keeps firing, and one fingerprint per scope, SLI and severity', () => {
    const downtime = new Map(Array.from({ length: 30 }, (_, i) => [60 + i, 60_000] as const));
    const alerts = burn(run(3 * H, downtime));
    const firing = alerts.filter((a) => a.status === 'firing');
    // page at minute 61 (1 h = 60 000 > 51 840); page-6h would also hold from minute 63, same alert.
    // ticket: 1 d > 259 200 after five full minutes (300 000) → 65; 2 h holds.
    expect(firing.map((a) => [a.labels.severity, a.startsAt])).toEqual([['page', at(61)], ['ticket', at(65)]]);
    expect(new Set(alerts.map((a) => a.fingerprint)).size).toBe(2);
  });
});

describe('burn-rate rules on probe success (objective 99 %)', () => {
  it('after three healthy days, total failure pages at the 9th minute and tickets at the 44th', () => {
    // 10 probes a minute. k failed minutes: 1 h = 10k/600 > 0.144 → k ≥ 9 (5 min: all failed).
    // 1 d: 10k/14 400 > 0.03 → k ≥ 44; 3 d: 10k/43 200 > 0.01 → k ≥ 44 too; the 1-d rule names it.
    const healthy = 3 * 24 * H;
    const alerts = burn(run(healthy + 50, new Map(), (m) => ({ probes: 10, ok: m < healthy ? 10 : 0 })));
    expect(alerts.map(brief)).toEqual([
      { status: 'firing', severity: 'page', subject: 'probe_success', rule: 'page-1h', at: at(healthy + 9) },
      { status: 'firing', severity: 'ticket', subject: 'probe_success', rule: 'ticket-1d', at: at(healthy + 44) },
    ]);
  });
});
