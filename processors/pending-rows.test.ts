import { describe, expect, it } from 'vitest';
import { at, probe, run } from './core/test-events.js';
import { PendingRows } from './pending-rows.js';

describe('PendingRows', () => {
  const raw = (n: number) => Array.from({ length: n }, (_, i) => {
    const event = probe(at(0, i), 10);
    return { event, text: JSON.stringify(event) };
  });

  it('keeps raw events for a later take when a flush writes only the figures', () => {
    const p = new PendingRows();
    const { core } = run([probe(at(0), 10), probe(at(0, 5), 20)]);
    const out = core.drain();
    p.add(out.rollups, out.alarms, out.tickets);
    const events = raw(3);
    for (const e of events) p.addRaw(e);

    const figures = p.take(false);
    expect(figures.rollups).toHaveLength(3); // the minute, its hour and its day
    expect(figures.raw).toEqual([]);
    expect(p.rowCount()).toBe(0);
    expect(p.rawCount()).toBe(3);

    const rest = p.take();
    expect(rest.rollups).toEqual([]);
    expect(rest.raw).toEqual(events);
    expect(p.rawCount()).toBe(0);
  });

  it('puts a failed batch back under what arrived since, raw events in arrival order', () => {
    const p = new PendingRows();
    const [a, b, c] = raw(3) as [ReturnType<typeof raw>[0], ReturnType<typeof raw>[0], ReturnType<typeof raw>[0]];
    p.addRaw(a);
    p.addRaw(b);
    const failed = p.take();
    p.addRaw(c);
    p.restore(failed);
    expect(p.take().raw).toEqual([a, b, c]);
  });
});
