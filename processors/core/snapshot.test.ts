// Snapshot and restore (CONTRACT.md section 7: replays after a crash never double
// count): restore(snapshot) + the later messages gives the rows of an uninterrupted run.
import { describe, expect, it } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import { benchEvent } from './bench-core.js';
import { createProcessorCore, type Drained } from './processor-core.js';
import { emptyRollup, type Rollup } from './rollup.js';
import { sketchOf, sketchToRecord } from './sketch.js';
import type { ScopeSnapshot, SerializedScope } from './snapshot.js';
import { IdDedup } from './dedup.js';
import { IdSegments } from './id-segments.js';

const T = Date.UTC(2026, 2, 1, 10, 0);
const N = 6000;

/** A mixed stream over 7 scopes: in order but for swapped neighbours, every 50th message a retry. */
function stream(): SqaEvent[] {
  const out: SqaEvent[] = [];
  for (let i = 0; i < N; i++) {
    // 200 ms of event time per message: 20 minutes, each scope ~ one event every 1.4 s
    const e = { ...benchEvent(i, 7, T), ts: T + i * 200 } as SqaEvent;
    out.push(e);
    if (i % 50 === 49) out.push({ ...e });
  }
  for (let i = 1; i < out.length; i += 7) [out[i - 1], out[i]] = [out[i]!, out[i - 1]!];
  // After the idle close (see feed; newest then ≈ 10:14:42, so closed before 10:15): a probe at
  // 10:14:50, within the lateness (newest at message 4700 ≈ 10:15:21 → watermark 10:13:21)
  // but in a closed minute → late in every run.
  out.splice(4700, 0, { id: 'after-idle', type: 'probe', ts: T + 890_000, service: 'mobile-data', region: 'r0', ok: true, latencyMs: 9 });
  return out;
}

/**
 * Feeds messages [from, to) with a wall clock of 10 ms per message and a 10-minute
 * pause before message 4500; closeIdle() before every 100th message (so the one at
 * 4500 closes every scope), drain() after every 97th.
 */
function feed(core: ReturnType<typeof createProcessorCore>, clock: { now: number }, msgs: SqaEvent[], from: number, to: number, out: Drained[]): string[] {
  const outcomes: string[] = [];
  for (let i = from; i < to; i++) {
    clock.now = i * 10 + (i >= 4500 ? 600_000 : 0);
    if (i % 100 === 0) core.closeIdle();
    outcomes.push(core.apply(msgs[i]!, i));
    if (i % 97 === 96) out.push(core.drain());
  }
  return outcomes;
}

const rowKey = (r: Rollup) => `${r.service}|${r.region}|${r.res}|${r.start}|${r.version}`;
const sortDrain = (d: Drained) => ({
  rollups: [...d.rollups].sort((a, b) => rowKey(a).localeCompare(rowKey(b))),
  alarms: [...d.alarms].sort((a, b) => `${a.region}${a.alarmId}${a.raisedTs}`.localeCompare(`${b.region}${b.alarmId}${b.raisedTs}`)),
  tickets: [...d.tickets].sort((a, b) => `${a.region}${a.ticketId}`.localeCompare(`${b.region}${b.ticketId}`)),
});

describe('snapshots', () => {
  it.each([1234, 3001, 4499, 4650, 5100])('restore at message %i plus the later messages drains exactly the rows of an uninterrupted run', (cut) => {
    const msgs = stream();
    const make = (clock: { now: number }) => createProcessorCore({ clock: () => clock.now, resolutionTargetMs: () => 600_000 });

    const clockA = { now: 0 };
    const whole = make(clockA);
    const wholeDrains: Drained[] = [];
    const wholeOutcomes = feed(whole, clockA, msgs, 0, msgs.length, wholeDrains);
    expect(wholeOutcomes[4700]).toBe('late');

    const clockB = { now: 0 };
    const first = make(clockB);
    const firstDrains: Drained[] = [];
    feed(first, clockB, msgs, 0, cut, firstDrains);
    // The state store keeps JSON: the snapshot must survive stringify / parse exactly.
    const stored = JSON.parse(JSON.stringify(first.snapshot())) as ScopeSnapshot[];
    const second = make(clockB);
    second.restore(stored);
    // A restored core snapshots to the same state it was restored from, naming the same
    // id segments and writing none.
    const again = JSON.parse(JSON.stringify(second.snapshot())) as ScopeSnapshot[];
    expect(again.map(({ scope, offset, state }) => ({ scope, offset, state }))).toEqual(stored.map(({ scope, offset, state }) => ({ scope, offset, state })));
    expect(again.flatMap((sn) => sn.segments)).toEqual([]);
    // The replay starts 300 messages before the cut: those are skipped, not counted twice.
    const replayDrains: Drained[] = [];
    const skipped = msgs.slice(cut - 300, cut).map((e, k) => second.apply(e, cut - 300 + k));
    expect(skipped.every((o) => o === 'skipped')).toBe(true);
    const replayOutcomes = feed(second, clockB, msgs, cut, msgs.length, replayDrains);
    expect(replayOutcomes).toEqual(wholeOutcomes.slice(cut));

    // Same drain points from the cut on → the same rows, drain by drain.
    const after = wholeDrains.slice(firstDrains.length);
    expect(replayDrains.map(sortDrain)).toEqual(after.map(sortDrain));
    expect(after.flatMap((d) => d.rollups).length).toBeGreaterThan(0);
    expect(after.flatMap((d) => d.alarms).length).toBeGreaterThan(0);
    // and the same state in the end (outcome counters are per core, so left out)
    const state = ({ scopes, windows, ids, alarms, tickets }: ReturnType<typeof whole.stats>) => ({ scopes, windows, ids, alarms, tickets });
    expect(state(second.stats())).toEqual(state(whole.stats()));
  });

  /** A v4 snapshot with its ids in the older forms, and the v4 states to expect back. */
  function olderForms() {
    const msgs = stream();
    const clock = { now: 0 };
    const core = createProcessorCore({ clock: () => clock.now, resolutionTargetMs: () => 600_000 });
    feed(core, clock, msgs, 0, 3001, []);
    const v4 = JSON.parse(JSON.stringify(core.snapshot())) as ScopeSnapshot[];
    const dedups = v4.map((snap) => {
      const st = snap.state as SerializedScope;
      const d = new IdDedup();
      new IdSegments().restore(d, st.ids, new Map(snap.segments!.map((g) => [g.segment, g.units])), snap.scope);
      expect(d.size()).toBeGreaterThan(0);
      return d;
    });
    const without = (snap: ScopeSnapshot) => {
      const { ids: _, v: __, ...rest } = snap.state as SerializedScope;
      return rest;
    };
    const v3 = v4.map((snap, i) => ({ scope: snap.scope, offset: snap.offset, state: { ...without(snap), v: 3, ids: { ...dedups[i]!.save(), rotateAt: (snap.state as SerializedScope).ids.rotateAt } } }));
    const v2 = v4.map((snap, i) => ({ scope: snap.scope, offset: snap.offset, state: { ...without(snap), v: 2, ids: { ...dedups[i]!.ids(), rotateAt: (snap.state as SerializedScope).ids.rotateAt } } }));
    return { v4, v3, v2, dedups, clock };
  }

  /** Restores `snaps`, then checks the new v4 snapshot: same state but for the segment names, and the same ids. */
  function expectSameState(snaps: ScopeSnapshot[], v4: ScopeSnapshot[], dedups: IdDedup[], clock: { now: number }) {
    const again = createProcessorCore({ clock: () => clock.now, resolutionTargetMs: () => 600_000 });
    again.restore(snaps);
    const out = JSON.parse(JSON.stringify(again.snapshot())) as ScopeSnapshot[];
    const strip = (sn: ScopeSnapshot) => {
      const { ids, ...rest } = sn.state as SerializedScope;
      return { scope: sn.scope, offset: sn.offset, rest, rotateAt: ids.rotateAt };
    };
    expect(out.map(strip)).toEqual(v4.map(strip));
    out.forEach((sn, i) => {
      const d = new IdDedup();
      new IdSegments().restore(d, (sn.state as SerializedScope).ids, new Map(sn.segments!.map((g) => [g.segment, g.units])), sn.scope);
      expect(d.ids()).toEqual(dedups[i]!.ids());
    });
  }

  it('restores the third state format (v3: the ids as one arena string in the state) to the same state', () => {
    const { v4, v3, dedups, clock } = olderForms();
    expectSameState(v3, v4, dedups, clock);
  });

  it('restores the second state format (v2: one string per remembered id) to the same state', () => {
    const { v4, v2, dedups, clock } = olderForms();
    expectSameState(v2, v4, dedups, clock);
  });

  it('snapshots incrementally: after a durable snapshot only new ids are written, and restore needs every named segment', () => {
    const msgs = stream();
    const clock = { now: 0 };
    const core = createProcessorCore({ clock: () => clock.now, resolutionTargetMs: () => 600_000, writerId: 'w1' });
    const segs = new Map<string, string>();
    const durable = new Map<string, ScopeSnapshot>();
    let failed = 0;
    for (let from = 0; from < msgs.length; from += 250) {
      feed(core, clock, msgs, from, Math.min(msgs.length, from + 250), []);
      const snaps = JSON.parse(JSON.stringify(core.snapshot(true))) as ScopeSnapshot[];
      for (const sn of snaps) for (const g of sn.segments!) segs.set(g.segment, g.units);
      // Every third write "fails" after its segments landed: not marked durable, its states not stored.
      if ((from / 250) % 3 === 2) {
        failed++;
        continue;
      }
      for (const sn of snaps) durable.set(sn.scope, sn);
      core.snapshotDurable(snaps);
    }
    expect(failed).toBeGreaterThan(3);
    const found = [...segs].map(([segment, units]) => ({ generation: 0, segment, units, writtenAt: 0 }));
    const restoredCore = createProcessorCore({ clock: () => clock.now, resolutionTargetMs: () => 600_000 });
    const stored = [...durable.values()].map((sn) => ({ ...sn, segments: found }));
    expect(restoredCore.restore(stored)).toEqual({ missingSegments: 0 });
    // The restored core holds exactly the remembered ids of the durable states: every id
    // the live core still remembers as of its last durable snapshot is a duplicate there.
    expect(restoredCore.stats().ids).toBe(core.stats().ids);
    // Without the segments, the same states report them missing.
    const bare = createProcessorCore({ clock: () => clock.now });
    expect(bare.restore([...durable.values()].map((sn) => ({ ...sn, segments: [] }))).missingSegments).toBeGreaterThan(0);
  });

  it('lists only the scopes changed since the last snapshot when asked to', () => {
    const core = createProcessorCore({ clock: () => 0 });
    const probe = (region: string, i: number): SqaEvent => ({ id: `p${region}${i}`, type: 'probe', ts: T + i, service: 'voice', region, ok: true, latencyMs: 3 });
    core.apply(probe('a', 0), 0);
    core.apply(probe('b', 0), 1);
    expect(core.snapshot(true).map((s) => s.scope).sort()).toEqual(['voice|a', 'voice|b']);
    expect(core.snapshot(true)).toEqual([]);
    core.apply(probe('b', 1), 2);
    expect(core.snapshot(true).map((s) => [s.scope, s.offset])).toEqual([['voice|b', 2]]);
    expect(core.snapshot().length).toBe(2);
  });

  it('restores a snapshot of the first state format (v1), whose hours and days were full sums', () => {
    // v1 state: minute 10:05 with 2 probes (10 ms, 20 ms); hour 10:00 with those plus 3 earlier (5 probes).
    // v1 stored the sketches in record form (bucket key → count).
    const m = { ...emptyRollup('voice', 'north', '1m', T + 5 * 60_000), probes: 2, probesOk: 2, latency: sketchToRecord(sketchOf([10, 20])) };
    const h = { ...emptyRollup('voice', 'north', '1h', T), probes: 5, probesOk: 5, latency: sketchToRecord(sketchOf([10, 20, 1, 1, 1])) };
    const d = { ...emptyRollup('voice', 'north', '1d', Date.UTC(2026, 2, 1)), probes: 5, probesOk: 5, latency: { ...h.latency } };
    const v1 = {
      v: 1, service: 'voice', region: 'north', maxTs: T + 5 * 60_000 + 30_000, closedBefore: null, idleClosedAt: null, seq: 0,
      ids: [['old', T]], windows: [m, h, d], alarms: [], tickets: [],
    };
    const core = createProcessorCore({ clock: () => 0 });
    core.restore([{ scope: 'voice|north', offset: 9, state: v1 }]);
    expect(core.apply({ id: 'old', type: 'probe', ts: T + 5 * 60_000, service: 'voice', region: 'north', ok: true, latencyMs: 1 }, 10)).toBe('duplicate');
    expect(core.apply({ id: 'new', type: 'probe', ts: T + 5 * 60_000, service: 'voice', region: 'north', ok: true, latencyMs: 40 }, 11)).toBe('applied');
    const rows = core.drain().rollups;
    // hour: 5 from the snapshot + 1 new = 6; minute 10:05: 2 + 1 = 3; offset 11 → version 22
    expect(rows.map((r) => [r.res, r.probes, r.version])).toEqual([['1m', 3, 22], ['1h', 6, 22], ['1d', 6, 22]]);
    expect(rows[1]!.latency).toEqual(sketchOf([10, 20, 1, 1, 1, 40]));
  });
});
