// Duplicate ids (CONTRACT.md section 1) are remembered while at or after the watermark.
import { describe, expect, it } from 'vitest';
import { giveChars, giveSlots, IdDedup, idHash, takeChars, takeSlots } from './dedup.js';

describe('duplicate ids', () => {
  it('reports a repeated id as a duplicate, exactly (no false duplicates among 200k ids)', () => {
    const d = new IdDedup();
    let fresh = 0;
    for (let i = 0; i < 200_000; i++) if (d.add(`evt-${i}`)) fresh++;
    expect(fresh).toBe(200_000);
    expect(d.add('evt-123')).toBe(false);
    expect(d.add('evt-200000')).toBe(true);
    expect(d.size()).toBe(200_001);
  });

  it('tells apart ids that share a hash value (confirms by the characters)', () => {
    // Two different ids with the same 32-bit hash, found once by a birthday search over `c<i>`.
    const pair = ['c693596', 'c1170850'] as const;
    expect(idHash(pair[0])).toBe(idHash(pair[1]));
    const d = new IdDedup();
    expect(d.add(pair[0])).toBe(true);
    expect(d.add(pair[1])).toBe(true);
    expect([d.add(pair[0]), d.add(pair[1])]).toEqual([false, false]);
  });

  it('remembers ids for one to two lateness periods of event time, then forgets them', () => {
    const lateness = 120_000;
    const d = new IdDedup();
    // 'a' at t = 0: newest 0 → watermark −2:00; the first advance closes a's generation (rotateAt = 0)
    d.add('a');
    d.advance(0 - lateness, 0);
    d.add('b');
    // newest 2:00 → watermark 0: not past rotateAt = 0 ('a' at 0 is not older than it) → nothing forgotten
    d.advance(0, lateness);
    expect([d.add('a'), d.add('b')]).toEqual([false, false]);
    // newest 2:00.001 → watermark 0:00.001 > 0: 'a' (ts ≤ 0) is older than the watermark → its generation goes
    d.advance(1, lateness + 1);
    expect(d.add('a')).toBe(true);
    expect(d.add('b')).toBe(false); // 'b' was in the current generation, kept
  });

  it('round-trips its generations through ids() and load()', () => {
    const d = new IdDedup();
    ['x', 'y'].forEach((id) => d.add(id));
    d.advance(10, 100);
    ['z', 'é-ü-✓'].forEach((id) => d.add(id));
    const saved = d.ids();
    expect([saved.prev.sort(), saved.cur]).toEqual([['x', 'y'], ['z', 'é-ü-✓']]);
    const e = new IdDedup();
    e.load(saved.cur, saved.prev, d.rotateAt);
    expect(['x', 'y', 'z', 'é-ü-✓', 'w'].map((id) => e.add(id))).toEqual([false, false, false, false, true]);
    // the next rotation drops x and y (the previous generation), keeps z, é-ü-✓ and w
    e.advance(101, 200);
    const after = e.ids();
    expect([after.prev.sort(), after.cur]).toEqual([['w', 'z', 'é-ü-✓'], []]);
  });
});

describe('id arena snapshots', () => {
  it('round-trip through save() and restore(), generations and rotation included', () => {
    const d = new IdDedup();
    ['x', 'y'].forEach((id) => d.add(id));
    d.advance(10, 100);
    // Ids of many lengths (the arena is chunked at 8,192 code units) and non-ASCII.
    const many = Array.from({ length: 3000 }, (_, i) => `id-${i}-${'é✓'.repeat(i % 7)}`);
    many.forEach((id) => d.add(id));
    const saved = d.save();
    const e = new IdDedup();
    e.restore(saved.arena, saved.prevEnd, d.rotateAt);
    expect(e.size()).toBe(d.size());
    expect(e.ids()).toEqual(d.ids());
    expect(['x', 'y', ...many].every((id) => !e.add(id))).toBe(true);
    expect(e.add('new')).toBe(true);
    // The next rotation drops x and y (the previous generation) and keeps the rest.
    e.advance(101, 200);
    expect(e.add('x')).toBe(true);
    expect(e.add(many[2999]!)).toBe(false);
  });

  it('refuses an arena that runs past its end', () => {
    expect(() => new IdDedup().restore(String.fromCharCode(5) + 'ab', 0, 0)).toThrow(/runs past the end/);
  });
});

describe('the pool of freed tables and arenas', () => {
  it('gives back a table of exactly the size asked, zeroed; an arena that fits, at most 4 × too large', () => {
    // The pool is module-wide (other tests fill it too): 32 gives of each kind replace all it held.
    const tables: Int32Array[] = Array.from({ length: 32 }, () => new Int32Array(96).fill(9));
    tables.forEach(giveSlots);
    expect(tables).not.toContain(takeSlots(32)); // no 32 in the pool: a new one
    const t = takeSlots(96);
    expect(tables).toContain(t);
    expect(t.every((x) => x === 0)).toBe(true);
    const arenas: Uint16Array[] = Array.from({ length: 32 }, () => new Uint16Array(300));
    arenas.forEach(giveChars);
    expect(arenas).not.toContain(takeChars(301)); // 300 units are too few
    expect(arenas).not.toContain(takeChars(50)); // 300 > 4 × max(64, 50) = 256: too large to keep
    expect(arenas).toContain(takeChars(80)); // 80 ≤ 300 ≤ 4 × 80
    // Each array is handed out once: 31 tables of 96 are left, then new ones.
    const rest = Array.from({ length: 32 }, () => takeSlots(96));
    expect(rest.filter((x) => tables.includes(x)).length).toBe(31);
  });

  it('lets quiet scopes swap arrays at rotations, no scope seeing ids it was not given', () => {
    // Two quiet scopes, ~20 ids a round (tables of 64–128 slots), rotating each round:
    // each rotation hands its old arrays to the pool and the other's next rotation takes them.
    const a = new IdDedup();
    const b = new IdDedup();
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 20; i++) {
        expect(a.add(`a${round}-${i}`)).toBe(true);
        expect(b.add(`b${round}-${i}`)).toBe(true);
      }
      // newest event at (round + 1) × 10, watermark just past the last rotation: a rotation each round
      a.advance(round * 10 + 1, (round + 1) * 10);
      b.advance(round * 10 + 1, (round + 1) * 10);
      // This round's ids are now the previous generation (kept); the round before's are gone.
      expect(a.add(`a${round}-7`)).toBe(false);
      expect(b.add(`b${round}-7`)).toBe(false);
      expect(b.add(`a${round}-7`)).toBe(true); // never b's, whatever arrays it now uses
      if (round > 0) expect(a.add(`a${round - 1}-3`)).toBe(true);
    }
  });
});
