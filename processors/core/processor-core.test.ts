// Hand-worked scenarios for the core (CONTRACT.md sections 3 and 4).
import { describe, expect, it } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import { createProcessorCore, type Drained } from './processor-core.js';
import { alarm, at, hour, latest, minute, probe, run, survey, ticket } from './test-events.js';

describe('alarms', () => {
  it('counts faults, MTTR and MTTA of overlapping and nested outages', () => {
    // A 10:00–10:25 (ack 10:03), B 10:20–10:30, C 10:05–10:10 nested in A.
    const { core } = run([
      alarm('A', 'raised', at(0)), alarm('C', 'raised', at(5)), alarm('A', 'acknowledged', at(3)), alarm('C', 'cleared', at(10)),
      alarm('B', 'raised', at(20)), alarm('A', 'cleared', at(25)), alarm('B', 'cleared', at(30)),
    ]);
    const d = core.drain();
    const h = hour(latest([d]));
    // faults 3; MTTR (25 + 10 + 5) min = 40 min = 2 400 000 ms over 3; MTTA 3 min = 180 000 ms over 1
    expect([h.faults, h.mttrSumMs, h.mttrCount, h.mttaSumMs, h.mttaCount]).toEqual([3, 2_400_000, 3, 180_000, 1]);
    expect(d.alarms.map((a) => [a.alarmId, a.raisedTs, a.ackTs, a.clearedTs]).sort()).toEqual([
      ['A', at(0), at(3), at(25)], ['B', at(20), null, at(30)], ['C', at(5), null, at(10)],
    ]);
  });

  it('pairs a clear that arrives before its raise, and ignores a repeated raise', () => {
    const { core } = run([alarm('B', 'cleared', at(4), 'major'), alarm('B', 'raised', at(3), 'major'), alarm('B', 'raised', at(3, 30), 'major')]);
    const d = core.drain();
    const m = latest([d]);
    // one fault at 10:03, MTTR 60 s counted in the minute of the clear (10:04)
    expect(minute(m, 3)!.faults).toBe(1);
    expect(minute(m, 4)!.mttrSumMs).toBe(60_000);
    expect(hour(m).faults).toBe(1);
    expect(d.alarms.at(-1)).toMatchObject({ alarmId: 'B', raisedTs: at(3), clearedTs: at(4), outage: true });
  });

  it('gives no MTTA for an ack without a raise, until the raise arrives', () => {
    const { core } = run([alarm('X', 'acknowledged', at(2))]);
    expect(hour(latest([core.drain()]))?.mttaCount ?? 0).toBe(0);
    core.apply(alarm('X', 'raised', at(1)), 10);
    // raise 10:01, ack 10:02 → 60 000 ms
    expect(hour(latest([core.drain()])).mttaSumMs).toBe(60_000);
  });

  it('counts a minor alarm for MTTA but not as a fault', () => {
    const { core } = run([alarm('M', 'raised', at(0), 'minor'), alarm('M', 'acknowledged', at(1), 'minor'), alarm('M', 'cleared', at(2), 'minor')]);
    const h = hour(latest([core.drain()]));
    expect([h.faults, h.mttrCount, h.mttaCount, h.mttaSumMs]).toEqual([0, 0, 1, 60_000]);
  });

  it('spreads an outage over midnight and many windows: faults on the raise day, MTTR on the clear day', () => {
    const raise = Date.UTC(2026, 2, 1, 23, 30);
    const clear = Date.UTC(2026, 2, 2, 2, 15);
    const { core } = run([alarm('N', 'raised', raise), probe(raise + 60_000, 5), alarm('N', 'cleared', clear)]);
    const m = latest([core.drain()]);
    expect(m.get(`1d|${Date.UTC(2026, 2, 1)}`)!.faults).toBe(1);
    expect(m.get(`1d|${Date.UTC(2026, 2, 2)}`)!.mttrSumMs).toBe(clear - raise); // 2 h 45 min
    expect(m.get(`1h|${Date.UTC(2026, 2, 2, 2)}`)!.mttrCount).toBe(1);
    // The first day is final: the watermark (02:13) is past its end.
    expect(m.get(`1d|${Date.UTC(2026, 2, 1)}`)!.final).toBe(true);
  });
});

describe('time semantics', () => {
  it('counts a duplicate id once', () => {
    const { core, outcomes } = run([probe(at(0), 10, 'p1'), probe(at(0), 10, 'p1')]);
    expect(outcomes).toEqual(['applied', 'duplicate']);
    expect(hour(latest([core.drain()])).probes).toBe(1);
  });

  it('corrects figures with a late-but-allowed event and refuses a too-late one', () => {
    // newest 10:10 → watermark 10:08; 10:09 is allowed, 10:07:59 is late
    const { core, outcomes } = run([probe(at(10), 10), probe(at(9), 20), probe(at(7, 59), 30)]);
    expect(outcomes).toEqual(['applied', 'applied', 'late']);
    const m = latest([core.drain()]);
    expect(minute(m, 9)!.probes).toBe(1);
    expect(minute(m, 7)).toBeUndefined();
    expect(hour(m).probes).toBe(2);
  });

  it('marks windows final once the watermark passes their end, with a higher version', () => {
    const { core } = run([probe(at(0), 10)]);
    const first = core.drain().rollups.find((r) => r.res === '1m')!;
    expect(first.final).toBe(false);
    core.apply(probe(at(3), 10), 5); // watermark 10:01 ≥ end of 10:00
    const second = core.drain().rollups.find((r) => r.res === '1m' && r.start === at(0))!;
    // version = offset × 2 + final: 0 × 2 + 0, then 5 × 2 + 1
    expect([first.version, second.version, second.final]).toEqual([0, 11, true]);
  });

  it('skips messages at or below the last applied offset (replay after restore)', () => {
    const core = createProcessorCore({ clock: () => 0 });
    expect(core.apply(probe(at(0), 1), 7)).toBe('applied');
    expect(core.apply(probe(at(0), 1), 7)).toBe('skipped');
    expect(core.apply(probe(at(0), 1), 3)).toBe('skipped');
  });

  it('closes a quiet scope after the idle time; later events for closed windows are late', () => {
    let now = 1_000;
    const core = createProcessorCore({ clock: () => now, idleCloseMs: 300_000 });
    core.apply(probe(at(5, 30), 10), 0);
    core.drain();
    now += 299_999;
    core.closeIdle();
    expect(core.drain().rollups).toHaveLength(0);
    now += 1;
    core.closeIdle();
    const rows = core.drain().rollups;
    expect(rows.every((r) => r.final)).toBe(true);
    expect(rows.map((r) => r.res).sort()).toEqual(['1d', '1h', '1m']);
    // 10:05:45 is inside the closed minute 10:05 → late; 10:06 opens a new minute and reopens the hour
    expect(core.apply(probe(at(5, 45), 10), 1)).toBe('late');
    expect(core.apply(probe(at(6), 10), 2)).toBe('applied');
    const h = core.drain().rollups.find((r) => r.res === '1h')!;
    expect([h.probes, h.final]).toEqual([2, false]);
  });
});

describe('tickets and surveys', () => {
  it('times response and resolution from the first ack and resolve; a second resolve and a reopen change nothing', () => {
    const { core } = run([
      ticket('T', 'opened', at(1)), ticket('T', 'acknowledged', at(1, 30)), ticket('T', 'resolved', at(4)),
      ticket('T', 'reopened', at(5)), ticket('T', 'resolved', at(8)), ticket('T', 'closed', at(9)),
    ]);
    const d = core.drain();
    const h = hour(latest([d]));
    // response 30 s, resolution 10:01 → 10:04 = 180 s, within 24 h
    expect([h.openedNetwork, h.responseSumMs, h.responseCount, h.resolutionSumMs, h.resolutionCount, h.resolvedTimely]).toEqual([1, 30_000, 1, 180_000, 1, 1]);
    expect(d.tickets.at(-1)).toMatchObject({ ticketId: 'T', state: 'closed', resolvedTs: at(4), closedTs: at(9), reopenCount: 1 });
  });

  it('pairs an ack that arrives before the open, and judges timeliness against the target', () => {
    // The open (10:02) arrives last but within lateness (newest 10:04 → watermark 10:02).
    // Response 10:02 → 10:02:30 = 30 s; resolution 10:02 → 10:04 = 120 s > target 100 s → not timely.
    const { core, outcomes } = run([ticket('U', 'acknowledged', at(2, 30)), ticket('U', 'resolved', at(4)), ticket('U', 'opened', at(2))], { target: 100_000 });
    expect(outcomes).toEqual(['applied', 'applied', 'applied']);
    const h = hour(latest([core.drain()]));
    expect([h.responseSumMs, h.resolutionSumMs, h.resolutionCount, h.resolvedTimely]).toEqual([30_000, 120_000, 1, 0]);
  });

  it('counts NPS promoters 9–10 and detractors 0–6, CSAT 4–5 as satisfied', () => {
    const { core } = run([0, 6, 7, 8, 9, 10].map((s) => survey('nps', s)).concat([1, 2, 3, 4, 5].map((s) => survey('csat', s))));
    const h = hour(latest([core.drain()]));
    // NPS: promoters {9,10} = 2, detractors {0,6} = 2 of 6; CSAT: {4,5} = 2 of 5
    expect([h.npsResponses, h.npsPromoters, h.npsDetractors, h.csatResponses, h.csatSatisfied]).toEqual([6, 2, 2, 5, 2]);
  });
});

describe('snapshots', () => {
  it('restore plus the remaining messages gives the same rows as an uninterrupted run', () => {
    const events: SqaEvent[] = [
      probe(at(0), 10), alarm('A', 'raised', at(0)), ticket('T', 'opened', at(1)), probe(at(1), 20), survey('nps', 9, at(2)),
      alarm('A', 'acknowledged', at(3)), probe(at(4), 30), ticket('T', 'acknowledged', at(5)), alarm('A', 'cleared', at(6)),
      probe(at(9), 40), ticket('T', 'resolved', at(10)), probe(at(12), 50),
    ];
    const whole = createProcessorCore({ clock: () => 0 });
    const wholeDrains = events.map((e, i) => (whole.apply(e, i), whole.drain()));

    const first = createProcessorCore({ clock: () => 0 });
    const cut = 6;
    const firstDrains = events.slice(0, cut).map((e, i) => (first.apply(e, i), first.drain()));
    const snaps = JSON.parse(JSON.stringify(first.snapshot()));
    const second = createProcessorCore({ clock: () => 0 });
    second.restore(snaps);
    // The replay starts before the snapshot's offset: those messages are skipped.
    const replay = events.map((e, i) => ({ o: second.apply(e, i), d: second.drain() }));
    expect(replay.slice(0, cut).every((r) => r.o === 'skipped')).toBe(true);

    const a = latest(wholeDrains);
    const b = latest([...firstDrains, ...replay.map((r) => r.d)]);
    expect(b).toEqual(a);
    const alarmsOf = (ds: Drained[]) => ds.flatMap((d) => d.alarms).at(-1);
    expect(alarmsOf(replay.map((r) => r.d))).toEqual(alarmsOf(wholeDrains));
  });
});

describe('retractions', () => {
  it('retracts an alarm row when an earlier raise arrives late and moves the occurrence', () => {
    const core = createProcessorCore({ clock: () => 0 });
    core.apply(alarm('R', 'raised', at(5)), 0);
    const first = core.drain().alarms;
    expect(first.map((a) => [a.raisedTs, a.deleted ?? false])).toEqual([[at(5), false]]);
    // The raise at 10:03 (within lateness) becomes the occurrence; the 10:05 one is a repeat.
    core.apply(alarm('R', 'raised', at(3)), 1);
    const d = core.drain();
    expect(d.alarms.map((a) => [a.raisedTs, a.deleted ?? false]).sort()).toEqual([[at(3), false], [at(5), true]]);
    // The fault moves from 10:05 to 10:03: one fault in the hour either way.
    const m = latest([d]);
    expect([minute(m, 3)!.faults, minute(m, 5)!.faults, hour(m).faults]).toEqual([1, 0, 1]);
  });
});
