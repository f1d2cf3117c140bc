// Incremental snapshots of a scope's remembered ids (docs/processors.md, "Remembered
// ids"). Each generation of an IdDedup is an append-only stream of code units (ids
// are only appended; a rotation drops the previous generation and keeps the current
// one's stream as it is). A snapshot writes only the part of each stream past what
// the last durable snapshot referenced, as a new segment under an id no other write
// uses, and its state names every segment (and how many code units of it) the
// stream is made of. A failed write is simply not confirmed: the next snapshot
// writes the same units again, in a segment of its own.
import type { IdDedup } from './dedup.js';
import { snapshotError } from './errors.js';

/** A run of one generation's stream, written once (before any state that names it). */
export interface IdSegment {
  generation: number;
  /** Unique among all writers (the core's writer id and a counter). */
  segment: string;
  /** The code units, each id after its length. */
  units: string;
  /** Wall clock, epoch ms. */
  writtenAt: number;
}

/** [segment id, code units of it that belong to the stream, written at (epoch ms)], in stream order. */
export type SegmentRef = [string, number, number];

/** State format v4's `ids`: the generations as lists of segments. */
export interface SerializedIds {
  /** Number of the current generation; the previous one is gen − 1. */
  gen: number;
  /** null stands for −Infinity. */
  rotateAt: number | null;
  prev: SegmentRef[];
  cur: SegmentRef[];
}

export interface CaptureContext {
  now: number;
  /** A segment id never used before by any writer. */
  nextSegment: () => string;
  /** A generation whose oldest segment is this old is written again as one (the store's TTL). */
  rewriteMs: number;
}

const unitsOf = (refs: readonly SegmentRef[]) => refs.reduce((n, r) => n + r[1], 0);

export class IdSegments {
  /** Per generation, the segments of the last durable snapshot: the start of that generation's stream. */
  private durable = new Map<number, SegmentRef[]>();

  /** The ids part of a snapshot, and the segments to write before it. */
  capture(ids: IdDedup, ctx: CaptureContext): { ids: Omit<SerializedIds, 'rotateAt'>; segments: IdSegment[] } {
    const [prevLen, curLen] = ids.lengths();
    const segments: IdSegment[] = [];
    const gen = ids.generation;
    const refsOf = (g: number, from: number, len: number): SegmentRef[] => {
      if (len === 0) return [];
      let base = this.durable.get(g) ?? [];
      // Segments only ever age out of the store (TTL): an old stream is written anew, whole.
      if (base.length > 0 && ctx.now - Math.min(...base.map((r) => r[2])) >= ctx.rewriteMs) base = [];
      const done = unitsOf(base);
      if (done > len) throw snapshotError(`generation ${g}`, `durable ids (${done} units) past the arena (${len})`);
      if (done === len) return base;
      const segment = ctx.nextSegment();
      segments.push({ generation: g, segment, units: ids.units(from + done, from + len), writtenAt: ctx.now });
      return [...base, [segment, len - done, ctx.now]];
    };
    const prev = refsOf(gen - 1, 0, prevLen);
    const cur = refsOf(gen, prevLen, curLen);
    return { ids: { gen, prev, cur }, segments };
  }

  /** The snapshot that captured `ids` is durable: later ones build on its segments. Call in capture order. */
  confirm(ids: SerializedIds, current: IdDedup): void {
    const next = new Map<number, SegmentRef[]>();
    for (const [g, refs] of [[ids.gen - 1, ids.prev], [ids.gen, ids.cur]] as const) {
      if (g >= current.generation - 1) next.set(g, refs);
    }
    // A generation that began after the capture has nothing durable yet.
    this.durable = next;
  }

  /** True when a snapshot must rewrite a generation before the store's TTL can reach it. */
  stale(now: number, rewriteMs: number): boolean {
    for (const refs of this.durable.values()) for (const r of refs) if (now - r[2] >= rewriteMs) return true;
    return false;
  }

  /**
   * Rebuilds `ids` from v4 state and the segments found in the store. A segment the
   * state names but the store no longer holds (outlived its TTL: the processors were
   * down for about an hour) is skipped: segments hold whole ids, so the rest still
   * reads. Returns the number of segments missing.
   */
  restore(ids: IdDedup, st: SerializedIds, found: ReadonlyMap<string, string>, scope: string): number {
    let missing = 0;
    const read = (refs: readonly SegmentRef[]): { text: string; kept: SegmentRef[] } => {
      const parts: string[] = [];
      const kept: SegmentRef[] = [];
      for (const r of refs) {
        const u = found.get(r[0]);
        if (u === undefined) {
          missing++;
          continue;
        }
        if (u.length < r[1]) throw snapshotError(scope, `id segment ${r[0]} holds ${u.length} of its ${r[1]} code units`);
        parts.push(u.length === r[1] ? u : u.slice(0, r[1]));
        kept.push(r);
      }
      return { text: parts.join(''), kept };
    };
    const prev = read(st.prev);
    const cur = read(st.cur);
    ids.restore(prev.text + cur.text, prev.text.length, st.rotateAt ?? -Infinity, st.gen);
    this.durable = new Map([[st.gen - 1, prev.kept], [st.gen, cur.kept]]);
    return missing;
  }
}
