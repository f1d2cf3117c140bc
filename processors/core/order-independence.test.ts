// Property: the core's rollups do not depend on arrival order (within the lateness)
// nor on retries, and equal a naive computation written here from CONTRACT.md
// section 4 alone: no windows, no lifecycles, no diffs, just the definitions.
import { describe, expect, it } from 'vitest';
import { isOutageSeverity, type AlarmEvent, type ComplaintEvent, type SqaEvent } from '../../events/types.js';
import { createProcessorCore, type Drained } from './processor-core.js';
import { alignStart, COUNTERS, emptyRollup, RESOLUTIONS, type Counter, type Resolution, type Rollup } from './rollup.js';
import { sketchAdd } from './sketch.js';
import { rng } from './test-rng.js';

const T0 = Date.UTC(2026, 2, 1, 23, 30); // 23:30 + 40 min spans midnight: two days, two hours
const SPAN = 40 * 60_000;
const TARGET = 15 * 60_000;

/** Random events of two scopes; alarm and ticket times are distinct milliseconds (no ties). */
function scenario(seed: number): SqaEvent[] {
  const r = rng(seed);
  const out: SqaEvent[] = [];
  let n = 0;
  const used = new Set<number>();
  const distinct = (ts: number) => {
    let t = Math.floor(ts);
    while (used.has(t)) t++;
    used.add(t);
    return t;
  };
  for (const region of ['north', 'south']) {
    const base = { service: 'voice', region };
    for (let i = 0; i < 400; i++) {
      const ok = r() < 0.9;
      out.push({ ...base, id: `p${n++}`, type: 'probe', ts: T0 + Math.floor(r() * SPAN), ok, ...(ok ? { latencyMs: 5 + r() * r() * 500 } : {}) });
    }
    for (let i = 0; i < 40; i++) {
      const nps = r() < 0.5;
      out.push({ ...base, id: `s${n++}`, type: 'survey', ts: T0 + Math.floor(r() * SPAN), scale: nps ? 'nps' : 'csat', score: nps ? Math.floor(r() * 11) : 1 + Math.floor(r() * 5) });
    }
    for (let a = 0; a < 8; a++) {
      const alarmId = `A${a}`;
      const severity = (['critical', 'major', 'minor', 'warning'] as const)[a % 4];
      const serviceAffecting = a !== 1;
      const ev = (state: AlarmEvent['state'], ts: number): AlarmEvent =>
        ({ ...base, id: `a${n++}`, type: 'alarm', ts: distinct(ts), alarmId, state, severity, serviceAffecting });
      let t = T0 + r() * (SPAN - 12 * 60_000);
      for (let cycle = 0; cycle < 1 + (a % 3); cycle++) {
        out.push(ev('raised', t));
        if (r() < 0.5) out.push(ev('raised', t + r() * 60_000)); // re-notification while open
        if (r() < 0.7) out.push(ev('acknowledged', t + r() * 180_000));
        if (r() < 0.2) out.push(ev('acknowledged', t + 200_000 + r() * 60_000)); // a second ack
        const up = 30_000 + r() * 240_000;
        if (r() < 0.85) out.push(ev('cleared', t + up));
        t += up + 10_000 + r() * 60_000;
      }
    }
    for (let k = 0; k < 10; k++) {
      const ticketId = `T${k}`;
      const ev = (state: ComplaintEvent['state'], ts: number): ComplaintEvent =>
        ({ ...base, id: `t${n++}`, type: 'complaint', ts: distinct(ts), ticketId, state, ...(state === 'opened' ? { category: (['network', 'billing', 'service', 'other'] as const)[k % 4] } : {}) });
      const o = T0 + r() * (SPAN - 25 * 60_000);
      out.push(ev('opened', o));
      if (r() < 0.3) out.push(ev('opened', o + 30_000)); // a repeated open
      if (r() < 0.8) out.push(ev('acknowledged', o + r() * 300_000));
      const res = o + 60_000 + r() * 20 * 60_000;
      if (r() < 0.8) {
        out.push(ev('resolved', res));
        if (r() < 0.3) out.push(ev('resolved', res + 60_000)); // resolved twice
        if (r() < 0.5) out.push(ev('closed', res + 120_000));
        if (r() < 0.3) out.push(ev('reopened', res + 180_000));
      }
    }
  }
  return out;
}

/** The naive reference: every figure by its definition, into the window of the event time it belongs to. */
function reference(events: SqaEvent[]): Map<string, Rollup> {
  const rows = new Map<string, Rollup>();
  const add = (e: { region: string }, ts: number, c: Counter, v = 1) => {
    for (const res of RESOLUTIONS) {
      const start = alignStart(ts, res);
      const k = `${e.region}|${res}|${start}`;
      if (!rows.has(k)) rows.set(k, emptyRollup('voice', e.region, res, start));
      rows.get(k)![c] += v;
    }
  };
  const alarms = new Map<string, AlarmEvent[]>();
  const tickets = new Map<string, ComplaintEvent[]>();
  for (const e of events) {
    if (e.type === 'probe') {
      add(e, e.ts, 'probes');
      if (e.ok) {
        add(e, e.ts, 'probesOk');
        for (const res of RESOLUTIONS) {
          const row = rows.get(`${e.region}|${res}|${alignStart(e.ts, res)}`)!;
          row.latency = sketchAdd(row.latency, e.latencyMs!);
        }
      }
    } else if (e.type === 'survey') {
      if (e.scale === 'nps') {
        add(e, e.ts, 'npsResponses');
        if (e.score >= 9) add(e, e.ts, 'npsPromoters');
        if (e.score <= 6) add(e, e.ts, 'npsDetractors');
      } else {
        add(e, e.ts, 'csatResponses');
        if (e.score >= 4) add(e, e.ts, 'csatSatisfied');
      }
    } else if (e.type === 'alarm') {
      const k = `${e.region}|${e.alarmId}`;
      alarms.set(k, [...(alarms.get(k) ?? []), e]);
    } else {
      const k = `${e.region}|${e.ticketId}`;
      tickets.set(k, [...(tickets.get(k) ?? []), e]);
    }
  }
  for (const list of alarms.values()) {
    const occ: { raised: number; cleared: number | null; ack: number | null; outage: boolean }[] = [];
    let open: (typeof occ)[number] | null = null;
    for (const e of [...list].sort((a, b) => a.ts - b.ts)) {
      if (e.state === 'raised' && !open) occ.push((open = { raised: e.ts, cleared: null, ack: null, outage: isOutageSeverity(e.severity, e.serviceAffecting) }));
      else if (e.state === 'cleared' && open) {
        open.cleared = e.ts;
        open = null;
      }
      else if (e.state === 'acknowledged' && occ.length > 0 && occ.at(-1)!.ack === null) occ.at(-1)!.ack = e.ts;
    }
    for (const o of occ) {
      const e = list[0]!;
      if (o.outage) add(e, o.raised, 'faults');
      if (o.outage && o.cleared !== null) {
        add(e, o.cleared, 'mttrCount');
        add(e, o.cleared, 'mttrSumMs', o.cleared - o.raised);
      }
      if (o.ack !== null) {
        add(e, o.ack, 'mttaCount');
        add(e, o.ack, 'mttaSumMs', o.ack - o.raised);
      }
    }
  }
  for (const list of tickets.values()) {
    const sorted = [...list].sort((a, b) => a.ts - b.ts);
    const opened = sorted.find((e) => e.state === 'opened')!;
    const field = ({ network: 'openedNetwork', billing: 'openedBilling', service: 'openedService', other: 'openedOther' } as const)[opened.category!];
    add(opened, opened.ts, field);
    const ack = sorted.find((e) => e.state === 'acknowledged' && e.ts > opened.ts);
    if (ack) {
      add(ack, ack.ts, 'responseCount');
      add(ack, ack.ts, 'responseSumMs', ack.ts - opened.ts);
    }
    const res = sorted.find((e) => e.state === 'resolved' && e.ts > opened.ts);
    if (res) {
      add(res, res.ts, 'resolutionCount');
      add(res, res.ts, 'resolutionSumMs', res.ts - opened.ts);
      if (res.ts - opened.ts <= TARGET) add(res, res.ts, 'resolvedTimely');
    }
  }
  return rows;
}

/** Runs the core, drains every 37 messages; returns the newest row per window (as FINAL would) and outcomes. */
function runCore(events: SqaEvent[]) {
  const core = createProcessorCore({ clock: () => 0, resolutionTargetMs: () => TARGET });
  const drains: Drained[] = [];
  const outcomes = events.map((e, i) => {
    const o = core.apply(e, i);
    if (i % 37 === 36) drains.push(core.drain());
    return o;
  });
  drains.push(core.drain());
  const rows = new Map<string, Rollup>();
  const finalSeen = new Set<string>();
  for (const r of drains.flatMap((d) => d.rollups)) {
    const k = `${r.region}|${r.res}|${r.start}`;
    // a window is never changed after its final row (no event may touch a closed window)
    if (r.res === '1m') expect(finalSeen.has(k)).toBe(false);
    if (r.final) finalSeen.add(k);
    if (!rows.has(k) || rows.get(k)!.version <= r.version) rows.set(k, r);
  }
  return { rows, outcomes };
}

/** Counters and sketch only; windows with nothing in them dropped. */
function content(rows: Map<string, Rollup>, res: Resolution): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, r] of rows) {
    if (r.res !== res) continue;
    const c = Object.fromEntries(COUNTERS.map((x) => [x, r[x]]));
    if (Object.values(c).every((v) => v === 0) && r.latency.keys.length === 0) continue;
    out.set(k, { ...c, latency: r.latency });
  }
  return out;
}

describe('order independence', () => {
  it.each([1, 2, 3, 4, 5])('gives the naive figures in any arrival order within the lateness, counting retries once (seed %i)', (seed) => {
    const events = scenario(seed);
    const inOrder = [...events].sort((a, b) => a.ts - b.ts);
    // Each event arrives up to 100 s after its time; lateness 120 s, so none is late.
    const r = rng(seed + 100);
    const shuffled = events.map((e) => ({ e, at: e.ts + r() * 100_000 })).sort((a, b) => a.at - b.at).map((x) => x.e);
    // 3 % of the messages are sent twice (a producer retry: same id, same content), one to five places later
    const withRetries: SqaEvent[] = [];
    let retries = 0;
    shuffled.forEach((e, i) => {
      withRetries.push(e);
      if (r() < 0.03 && i > 5) {
        withRetries.splice(withRetries.length - 1 - Math.floor(r() * 5), 0, { ...e });
        retries++;
      }
    });
    const want = reference(events);
    const a = runCore(inOrder);
    const b = runCore(withRetries);
    expect(a.outcomes.every((o) => o === 'applied')).toBe(true);
    expect(b.outcomes.filter((o) => o === 'duplicate')).toHaveLength(retries);
    expect(b.outcomes.filter((o) => o === 'late')).toHaveLength(0);
    for (const res of RESOLUTIONS) {
      expect(content(a.rows, res)).toEqual(content(want, res));
      expect(content(b.rows, res)).toEqual(content(want, res));
    }
    // the two days and the hours 23:00, 00:00 are there
    expect([...content(want, '1d').keys()].length).toBe(4); // 2 regions × 2 days
  });
});
