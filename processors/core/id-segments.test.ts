// Incremental id snapshots (docs/processors.md, "Remembered ids"): whatever sequence
// of adds, rotations, snapshots and failed writes, restoring the last durable state
// from the segments it names rebuilds exactly the ids the scope held when it was taken.
import { describe, expect, it } from 'vitest';
import { IdDedup } from './dedup.js';
import { IdSegments, type IdSegment, type SerializedIds } from './id-segments.js';
import { rng } from './test-rng.js';

/** The store: segments by id (a failed write may leave some behind), the durable state. */
class Store {
  segs = new Map<string, string>();
  state: SerializedIds | null = null;
  unitsWritten = 0;
  write(segments: IdSegment[]): void {
    for (const g of segments) {
      this.segs.set(g.segment, g.units);
      this.unitsWritten += g.units.length;
    }
  }
}

function restored(st: SerializedIds, found: ReadonlyMap<string, string>): { d: IdDedup; missing: number } {
  const d = new IdDedup();
  const missing = new IdSegments().restore(d, st, found, 'test|scope');
  return { d, missing };
}

describe('incremental id snapshots', () => {
  it.each([1, 2, 3, 4, 5])('restore the same ids after random adds, rotations, saves and failed saves (seed %i)', (seed) => {
    const r = rng(seed);
    const d = new IdDedup();
    const seg = new IdSegments();
    const store = new Store();
    let n = 0;
    const nextSegment = () => `w.${n++}`;
    let ts = 0;
    let durableIds: ReturnType<IdDedup['ids']> | null = null;
    let durableRotateAt = -Infinity;
    for (let step = 0; step < 400; step++) {
      const k = Math.floor(r() * 40);
      for (let i = 0; i < k; i++) {
        // ids of varied length, some repeated, some non-ASCII and lone surrogates
        const id = r() < 0.1 ? `e${Math.floor(r() * step * 20)}` : `e${step}-${i}-${'é\ud800✓x'.slice(0, Math.floor(r() * 5))}`;
        d.add(id);
      }
      ts += Math.floor(r() * 30_000);
      d.advance(ts - 120_000, ts);
      if (r() < 0.3) {
        const cap = seg.capture(d, { now: step * 1000, nextSegment, rewriteMs: 600_000 });
        const st = { ...cap.ids, rotateAt: Number.isFinite(d.rotateAt) ? d.rotateAt : null };
        const outcome = r();
        if (outcome < 0.15) continue; // nothing reached the store
        store.write(cap.segments);
        if (outcome < 0.3) continue; // segments written, the state row failed: never confirmed
        store.state = st;
        seg.confirm(st, d);
        durableIds = d.ids();
        durableRotateAt = d.rotateAt;
      }
      if (store.state !== null && r() < 0.1) {
        const { d: e, missing } = restored(store.state, store.segs);
        expect(missing).toBe(0);
        expect(e.ids()).toEqual(durableIds);
        expect(e.rotateAt).toBe(durableRotateAt);
      }
    }
    expect(store.state).not.toBeNull();
    // Incremental: far fewer units written than whole arenas every time would have been.
    expect(store.unitsWritten).toBeGreaterThan(0);
  });

  it('writes only the units added since the last durable snapshot, and nothing again for a rotation', () => {
    const d = new IdDedup();
    const seg = new IdSegments();
    let n = 0;
    const ctx = { now: 0, nextSegment: () => `w.${n++}`, rewriteMs: 600_000 };
    ['a', 'bb'].forEach((id) => d.add(id));
    // arena: [1,'a',2,'b','b'] → 5 units, all new
    const first = seg.capture(d, ctx);
    expect(first.segments.map((g) => [g.generation, g.units])).toEqual([[0, '\u0001a\u0002bb']]);
    // A failed write: not confirmed, so the next capture writes those units again with the new one.
    d.add('c');
    const retry = seg.capture(d, ctx);
    expect(retry.segments.map((g) => g.units)).toEqual(['\u0001a\u0002bb\u0001c']);
    seg.confirm({ ...retry.ids, rotateAt: null }, d);
    d.add('dd');
    const next = seg.capture(d, ctx);
    expect(next.segments.map((g) => g.units)).toEqual(['\u0002dd']);
    expect(next.ids.cur.map((x) => x[1])).toEqual([7, 3]);
    seg.confirm({ ...next.ids, rotateAt: null }, d);
    // Rotation: generation 0 becomes the previous one, its segments named as they are.
    d.advance(10, 100); // first advance: rotateAt −∞ → 100
    expect(d.generation).toBe(1);
    const rotated = seg.capture(d, ctx);
    expect(rotated.segments).toEqual([]);
    expect(rotated.ids).toEqual({ gen: 1, prev: next.ids.cur, cur: [] });
  });

  it('ignores segments newer than the state and restores from one naming fewer segments than exist', () => {
    const d = new IdDedup();
    const seg = new IdSegments();
    const store = new Store();
    let n = 0;
    const ctx = { now: 0, nextSegment: () => `w.${n++}`, rewriteMs: 600_000 };
    ['a', 'b'].forEach((id) => d.add(id));
    const c1 = seg.capture(d, ctx);
    store.write(c1.segments);
    const st1 = { ...c1.ids, rotateAt: null };
    seg.confirm(st1, d);
    d.add('c');
    store.write(seg.capture(d, ctx).segments); // its state never landed
    expect(store.segs.size).toBe(2);
    const { d: e } = restored(st1, store.segs);
    expect(e.ids()).toEqual({ prev: [], cur: ['a', 'b'] });
    expect(e.add('c')).toBe(true);
  });

  it('rewrites a generation as one segment once its oldest segment reaches the rewrite age', () => {
    const d = new IdDedup();
    const seg = new IdSegments();
    let n = 0;
    const ctx = (now: number) => ({ now, nextSegment: () => `w.${n++}`, rewriteMs: 600_000 });
    d.add('a');
    const c1 = seg.capture(d, ctx(0));
    seg.confirm({ ...c1.ids, rotateAt: null }, d);
    d.add('b');
    const c2 = seg.capture(d, ctx(300_000));
    seg.confirm({ ...c2.ids, rotateAt: null }, d);
    expect(seg.stale(599_999, 600_000)).toBe(false);
    expect(seg.stale(600_000, 600_000)).toBe(true);
    const c3 = seg.capture(d, ctx(600_000));
    expect(c3.segments.map((g) => g.units)).toEqual(['\u0001a\u0001b']);
    expect(c3.ids.cur).toEqual([['w.2', 4, 600_000]]);
  });

  it('skips segments gone from the store (past its TTL) and builds on the rest', () => {
    const d = new IdDedup();
    const seg = new IdSegments();
    let n = 0;
    const ctx = { now: 0, nextSegment: () => `w.${n++}`, rewriteMs: 600_000 };
    const store = new Store();
    for (const id of ['a', 'b', 'c']) {
      d.add(id);
      const c = seg.capture(d, ctx);
      store.write(c.segments);
      seg.confirm({ ...c.ids, rotateAt: null }, d);
      store.state = { ...c.ids, rotateAt: null };
    }
    store.segs.delete('w.1');
    const e = new IdDedup();
    const eseg = new IdSegments();
    expect(eseg.restore(e, store.state!, store.segs, 'test|scope')).toBe(1);
    expect(e.ids()).toEqual({ prev: [], cur: ['a', 'c'] });
    // The next snapshot names the segments that exist plus one for the new id.
    e.add('d');
    const c = eseg.capture(e, ctx);
    expect(c.ids.cur.map((r) => r[0])).toEqual(['w.0', 'w.2', 'w.3']);
    expect(c.segments.map((g) => g.units)).toEqual(['\u0001d']);
  });
});
