import { describe, expect, it } from 'vitest';
import { validateEvent } from '../../events/schema.js';
import type { SqaEvent } from '../../events/types.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { generateEvents, resolvePlan, simulate, type Emission } from './generator.js';
import { computeGroundTruth } from './ground-truth.js';

const START = Date.parse('2026-01-05T10:00:00Z');
const MIN = 60_000;
const base = { seed: 7, start: START, durationMs: 30 * MIN, rate: 50 };

describe('generateEvents', () => {
  it('gives the same sequence for the same seed and another for another seed', () => {
    const a = JSON.stringify([...generateEvents(base)]);
    expect(JSON.stringify([...generateEvents(base)])).toBe(a);
    expect(JSON.stringify([...generateEvents({ ...base, seed: 8 })])).not.toBe(a);
  });

  it('emits only valid events, in send order, of every kind and both time formats', () => {
    const kinds = new Set<string>();
    const formats = new Set<string>();
    const problems: string[] = [];
    let last = -Infinity;
    for (const { sendAt, event, fault } of simulate({ ...base, durationMs: 3 * 3_600_000, rate: 20 })) {
      const v = validateEvent(event);
      if (!v.ok) problems.push(`${v.reason}: ${JSON.stringify(event)}`);
      else if (v.event.ts !== sendAt) problems.push(`sent at ${sendAt}, not at its time: ${JSON.stringify(event)}`);
      if (fault !== undefined || sendAt < last) problems.push(`fault or disorder: ${JSON.stringify(event)}`);
      last = sendAt;
      if (!v.ok) continue;
      kinds.add(`${v.event.type}${'state' in v.event ? `:${v.event.state}` : ''}${v.event.type === 'alarm' ? `:${v.event.severity}` : ''}`);
      formats.add(typeof (event as { ts: unknown }).ts);
    }
    expect(problems.slice(0, 5)).toEqual([]);
    expect(formats).toEqual(new Set(['string', 'number']));
    for (const k of ['probe', 'survey', 'alarm:raised:critical', 'alarm:raised:major', 'alarm:raised:minor', 'alarm:raised:warning',
      'alarm:acknowledged:major', 'alarm:cleared:major', 'complaint:opened', 'complaint:acknowledged', 'complaint:resolved']) {
      expect(kinds, k).toContain(k);
    }
  });

  it('hits the requested rate of simulated time (±20 %)', () => {
    const durationMs = 2 * MIN;
    let n = 0;
    for (const _ of generateEvents({ seed: 1, start: START, durationMs, rate: 5000 })) n++;
    const perSecond = n / (durationMs / 1000);
    expect(perSecond).toBeGreaterThan(4000);
    expect(perSecond).toBeLessThan(6000);
  });

  it('makes probes fail during outages and complaints rise', () => {
    const durationMs = 12 * 3_600_000;
    const events = [...generateEvents({ ...base, durationMs, rate: 5, incidentsPerHour: 2 })]
      .map((e) => (validateEvent(e) as { event: SqaEvent }).event);
    // Open critical alarms per element and open outage alarms per scope, from the alarms themselves.
    const openAlarms = new Set<string>();
    const criticalOn = new Map<string, number>();
    const outagesIn = new Map<string, { open: number; since: number; total: number }>();
    const probes = { in: { n: 0, ok: 0 }, out: { n: 0, ok: 0 } };
    const complaints = { in: 0, out: 0 };
    for (const e of events) {
      const scope = `${e.service}|${e.region}`;
      const s = outagesIn.get(scope) ?? { open: 0, since: 0, total: 0 };
      outagesIn.set(scope, s);
      if (e.type === 'alarm' && e.serviceAffecting && (e.severity === 'critical' || e.severity === 'major')) {
        const key = `${scope}|${e.alarmId}`;
        // Re-sent raises and stray clears change nothing.
        const d = e.state === 'raised' && !openAlarms.has(key) ? 1 : e.state === 'cleared' && openAlarms.has(key) ? -1 : 0;
        if (d > 0) openAlarms.add(key);
        if (d < 0) openAlarms.delete(key);
        const el = `${scope}|${e.element}`;
        if (e.severity === 'critical') criticalOn.set(el, (criticalOn.get(el) ?? 0) + d);
        if (s.open === 0 && d > 0) s.since = e.ts;
        s.open += d;
        if (s.open === 0 && d < 0) s.total += e.ts - s.since;
      }
      if (e.type === 'probe') {
        const p = (criticalOn.get(`${scope}|${e.element}`) ?? 0) > 0 ? probes.in : probes.out;
        p.n++;
        if (e.ok) p.ok++;
      }
      if (e.type === 'complaint' && e.state === 'opened') complaints[s.open > 0 ? 'in' : 'out']++;
    }
    expect(probes.in.n).toBeGreaterThan(20);
    expect(probes.in.ok / probes.in.n).toBeLessThan(0.5);
    // Elsewhere: healthy, but major and whole-scope outages still bite.
    expect(probes.out.ok / probes.out.n).toBeGreaterThan(0.9);
    const outageMs = [...outagesIn.values()].reduce((a, s) => a + s.total, 0);
    const healthyMs = outagesIn.size * durationMs - outageMs;
    expect(complaints.in / outageMs).toBeGreaterThan(2 * (complaints.out / healthyMs));
  });

  it('derives elements and cadence from the rate', () => {
    const plan = resolvePlan({ seed: 1, start: START, durationMs: MIN, rate: 5000 });
    // 25 scopes × 2000 elements every ~10 s ≈ 5000 probes/s.
    expect(plan.elementsPerScope).toBe(2000);
    expect(plan.probeIntervalMs).toBeGreaterThan(9000);
    expect(plan.probeIntervalMs).toBeLessThan(11000);
    expect(resolvePlan({ ...base, elementsPerScope: 10, rate: 25 }).probeIntervalMs).toBeGreaterThan(9000);
  });

  it('rejects nonsense options', () => {
    expect(() => resolvePlan({ ...base, rate: 0 })).toThrow(/rate/);
    expect(() => resolvePlan({ ...base, seed: 1.5 })).toThrow(/seed/);
    expect(() => resolvePlan({ ...base, faults: { duplicateRate: 2 } })).toThrow(/duplicateRate/);
  });
});

describe('injected faults', () => {
  const opts = {
    ...base, durationMs: 20 * MIN, rate: 100, latenessMs: 120_000,
    faults: { duplicateRate: 0.02, outOfOrderRate: 0.02, lateRate: 0.005, invalidRate: 0.005 },
  };
  const emissions: Emission[] = [...simulate(opts)];
  const of = (kind: string) => emissions.filter((e) => e.fault === kind);
  const truth = computeGroundTruth(emissions.map((e) => e.event), {
    from: START, to: START + opts.durationMs, latenessMs: opts.latenessMs, sla: loadSlaConfig(),
  });

  it('injects every kind, still in send order', () => {
    for (const k of ['duplicate', 'out-of-order', 'late', 'invalid']) expect(of(k).length, k).toBeGreaterThan(0);
    for (let i = 1; i < emissions.length; i++) expect(emissions[i]!.sendAt).toBeGreaterThanOrEqual(emissions[i - 1]!.sendAt);
  });

  it('makes exactly the invalid ones invalid', () => {
    for (const e of emissions) expect(validateEvent(e.event).ok, JSON.stringify(e)).toBe(e.fault !== 'invalid');
    expect(truth.invalid).toBe(of('invalid').length);
  });

  it('sends duplicates as exact copies, and the ground truth counts them once', () => {
    const firstById = new Map<string, string>();
    for (const e of emissions) {
      if (e.fault === 'invalid') continue;
      const id = (e.event as { id: string }).id;
      const json = JSON.stringify(e.event);
      if (e.fault === 'duplicate') expect(json).toBe(firstById.get(id));
      else firstById.set(id, json);
    }
    expect(truth.duplicates).toEqual(of('duplicate').map((e) => (e.event as { id: string }).id));
  });

  it('sends late events older than the watermark and out-of-order ones within the lateness', () => {
    expect(truth.late).toEqual(of('late').map((e) => (e.event as { id: string }).id));
    for (const e of of('out-of-order')) {
      const ts = (validateEvent(e.event) as { event: SqaEvent }).event.ts;
      expect(e.sendAt - ts).toBeGreaterThan(0);
      expect(e.sendAt - ts).toBeLessThan(opts.latenessMs);
    }
  });
});
