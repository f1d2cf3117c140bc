import { describe, expect, it } from 'vitest';
import { at, probe, run } from './core/test-events.js';
import { PendingRows } from './pending-rows.js';
import { rawBody } from '../test/helpers/raw-events.js';

describe('PendingRows', () => {
  const raw = (n: number, from = 0) => Array.from({ length: n }, (_, i) => {
    const event = { ...probe(at(0, from + i), 10), id: `p${from + i}` };
    return { event, text: JSON.stringify(event) };
  });
  const bytes = (bodies: { rows: Buffer }[]) => Buffer.concat(bodies.map((b) => b.rows));

  it('keeps raw events for a later take when a flush writes only the figures', () => {
    const p = new PendingRows();
    const { core } = run([probe(at(0), 10), probe(at(0, 5), 20)]);
    const out = core.drain();
    p.add(out.rollups, out.alarms, out.tickets);
    const events = raw(3);
    for (const e of events) p.addRaw(e.event, Buffer.from(e.text));

    const figures = p.take(false);
    expect(figures.rollups).toHaveLength(3); // the minute, its hour and its day
    expect(figures.raw).toEqual([]);
    expect(p.rowCount()).toBe(0);
    expect(p.rawCount()).toBe(3);

    const rest = p.take();
    expect(rest.rollups).toEqual([]);
    // The three events of one scope and minute: one block, as rawBody builds it.
    expect(rest.raw.map((b) => b.events)).toEqual([3]);
    expect(bytes(rest.raw)).toEqual(bytes([rawBody(events)]));
    expect(p.rawCount()).toBe(0);
  });

  it('puts a failed batch back under what arrived since, and counts both', () => {
    const p = new PendingRows();
    const [a, b, c] = [raw(2), raw(1, 2), raw(1, 3)];
    for (const e of a) p.addRaw(e.event, Buffer.from(e.text));
    const early = p.takeRaw();
    for (const e of b) p.addRaw(e.event, Buffer.from(e.text));
    const failed = p.take();
    for (const e of c) p.addRaw(e.event, Buffer.from(e.text));
    // Put back newest first, each in front of what is held: arrival order again.
    p.restore(failed);
    p.restoreRaw(early);
    expect(p.rawCount()).toBe(4);
    const again = p.take().raw;
    expect(again.map((x) => x.events)).toEqual([2, 1, 1]);
    expect(bytes(again)).toEqual(bytes([rawBody(a), rawBody(b), rawBody(c)]));
    expect(p.rawCount()).toBe(0);
  });
});
