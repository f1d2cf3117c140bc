// More hand-worked scenarios: lifecycles at the edges, scopes, versions and memory
// (CONTRACT.md sections 3 and 4).
import { describe, expect, it } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import { unionLength } from './outage-intervals.js';
import { createProcessorCore, type Drained } from './processor-core.js';
import type { Rollup } from './rollup.js';
import { alarm, at, hour, latest, minute, probe, run, survey, ticket } from './test-events.js';

describe('more alarm and ticket cases', () => {
  it('gives no MTTA for an ack whose raise never arrives, and forgets the ack once it is older than the watermark', () => {
    const { core } = run([alarm('X', 'acknowledged', at(2)), probe(at(10), 5)]);
    const d = core.drain();
    // newest 10:10 → watermark 10:08: the ack (10:02) can no longer meet an earlier raise
    expect(hour(latest([d])).mttaCount).toBe(0);
    expect(d.alarms).toEqual([]);
    expect(core.stats().alarms).toBe(0);
    expect(core.apply(alarm('X', 'raised', at(1)), 5)).toBe('late');
  });

  it('splits the downtime of an outage across midnight from its alarm record', () => {
    const raise = Date.UTC(2026, 2, 1, 23, 30);
    const clear = Date.UTC(2026, 2, 2, 2, 15);
    const { core } = run([alarm('N', 'raised', raise), alarm('N', 'cleared', clear)]);
    const rec = core.drain().alarms.at(-1)!;
    expect([rec.raisedTs, rec.clearedTs, rec.outage]).toEqual([raise, clear, true]);
    const day1 = Date.UTC(2026, 2, 1);
    const day2 = Date.UTC(2026, 2, 2);
    const iv = [{ start: rec.raisedTs, end: rec.clearedTs }];
    // 23:30–24:00 = 30 min on 1 March; 00:00–02:15 = 135 min on 2 March; 1 − 1800/86400 availability on day 1
    expect(unionLength(iv, day1, day2)).toBe(30 * 60_000);
    expect(unionLength(iv, day2, day2 + 86_400_000)).toBe(135 * 60_000);
  });

  it('retracts the ticket row keyed by the old open time when an earlier open arrives late', () => {
    const core = createProcessorCore({ clock: () => 0 });
    core.apply(ticket('Q', 'opened', at(5)), 0);
    expect(core.drain().tickets.map((t) => [t.openedTs, t.deleted ?? false])).toEqual([[at(5), false]]);
    core.apply(ticket('Q', 'opened', at(4)), 1);
    const d = core.drain();
    expect(d.tickets.map((t) => [t.openedTs, t.deleted ?? false]).sort()).toEqual([[at(4), false], [at(5), true]]);
    // still one ticket opened in the hour: moved from 10:05 to 10:04
    const m = latest([d]);
    expect([minute(m, 4)!.openedNetwork, minute(m, 5)!.openedNetwork, hour(m).openedNetwork]).toEqual([1, 0, 1]);
  });

  it('keeps a closed ticket for reopening during the grace, then lets it go', () => {
    const { core } = run([ticket('C', 'opened', at(0)), ticket('C', 'closed', at(1)), probe(at(10), 1)]);
    core.drain();
    expect(core.stats().tickets).toBe(1);
    core.apply(ticket('C', 'reopened', at(11)), 3);
    expect(core.drain().tickets.at(-1)).toMatchObject({ state: 'reopened', reopenCount: 1 });
    core.apply(ticket('C', 'closed', at(12)), 4);
    core.apply(probe(at(12) + 86_400_000 + 180_000, 1), 5); // watermark one day and a minute past the close
    core.drain();
    expect(core.stats().tickets).toBe(0);
  });
});

describe('scopes, versions and memory', () => {
  it('keeps watermarks per scope: a scope fed historical data is processed normally', () => {
    const core = createProcessorCore({ clock: () => 0 });
    const old = Date.UTC(2025, 0, 1, 8, 0);
    expect(core.apply(probe(at(30), 5), 0)).toBe('applied');
    expect(core.apply({ ...(probe(old, 7) as object), region: 'south' } as SqaEvent, 1)).toBe('applied');
    expect(core.apply({ ...(probe(old + 1000, 7) as object), region: 'south' } as SqaEvent, 2)).toBe('applied');
    const south = core.drain().rollups.filter((r) => r.region === 'south' && r.res === '1d');
    expect(south.map((r) => [r.start, r.probes])).toEqual([[Date.UTC(2025, 0, 1), 2]]);
    expect(core.scopeCount()).toBe(2);
  });

  it('versions rows offset × 2 + final, so the final row outranks the provisional one of the same offset', () => {
    let now = 0;
    const core = createProcessorCore({ clock: () => now });
    core.apply(probe(at(0), 10), 41);
    const provisional = core.drain().rollups.find((r) => r.res === '1m')!;
    now = 300_000;
    core.closeIdle();
    const final = core.drain().rollups.find((r) => r.res === '1m')!;
    // 41 × 2 + 0 = 82, then 41 × 2 + 1 = 83, same counts
    expect([provisional.version, provisional.final, final.version, final.final]).toEqual([82, false, 83, true]);
    expect({ ...final, final: false, version: 82 }).toEqual(provisional);
  });

  it('gives rows that depend only on their version, whatever the drain points (replays reproduce them)', () => {
    const events = [probe(at(0), 10), alarm('A', 'raised', at(0, 30)), probe(at(1), 20), alarm('A', 'cleared', at(2)), probe(at(4), 30), survey('nps', 10, at(4))];
    const a = createProcessorCore({ clock: () => 0 });
    const b = createProcessorCore({ clock: () => 0 });
    const da: Drained[] = [];
    const db: Drained[] = [];
    events.forEach((e, i) => {
      a.apply(e, i);
      da.push(a.drain());
      b.apply(e, i);
      if (i === 2) db.push(b.drain());
    });
    db.push(b.drain());
    // the same (window, version) is the same row in both runs
    const byVersion = (ds: Drained[]) => new Map(ds.flatMap((d) => d.rollups).map((r) => [`${r.res}|${r.start}|${r.version}`, r]));
    const va = byVersion(da);
    const vb = byVersion(db);
    for (const [k, r] of vb) if (va.has(k)) expect(r).toEqual(va.get(k));
    // and the newest row of every window has the same content. The minute 10:00 was finalised by the
    // probe at 10:04 (offset 4, watermark 10:02); run a drained it then (4 × 2 + 1 = 9), run b only
    // after the survey (offset 5: 5 × 2 + 1 = 11): versions follow the drain, content does not.
    const strip = (m: Map<string, Rollup>) => new Map([...m].map(([k, r]) => [k, { ...r, version: 0 }]));
    expect(strip(latest(db))).toEqual(strip(latest(da)));
    expect([latest(da).get(`1m|${at(0)}`)!.version, latest(db).get(`1m|${at(0)}`)!.version]).toEqual([9, 11]);
  });

  it('forgets final windows after draining them, so memory stays bounded', () => {
    const core = createProcessorCore({ clock: () => 0 });
    for (let k = 0; k < 180; k++) core.apply(probe(at(k), 10), k); // three hours, one probe a minute
    core.drain();
    // newest 12:59 → watermark 12:57: open minutes 12:57, 12:58, 12:59 (12:57 ends after the
    // watermark), hour 12:00, day 1 March → 5 windows of the 180 + 3 + 1 created
    expect(core.stats().windows).toBe(5);
    // ids: at least the 3 at or after the watermark, at most two lateness periods' worth (4 + 1)
    expect(core.stats().ids).toBeGreaterThanOrEqual(3);
    expect(core.stats().ids).toBeLessThanOrEqual(5);
  });
});
