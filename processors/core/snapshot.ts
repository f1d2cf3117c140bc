// Scope state to and from plain JSON, so the processors can persist it and a new
// owner of the partition continues exactly where the snapshot left off (CONTRACT.md
// section 7: replays after a crash or a rebalance). Everything that decides a
// future row is kept: watermark, idle close, recent ids, open windows (with their
// pending-drain marks), unfolded alarm and ticket events, records not yet drained.
// Derived state (occurrences, ticket views) is recomputed from what is kept.
import { snapshotError } from './errors.js';
import { deriveOccurrences, type AlarmChange, type LoggedAlarm, type Occurrence } from './alarm-lifecycle.js';
import { COUNTERS, RESOLUTION_MS, type Resolution } from './rollup.js';
import { ScopeState } from './scope-state.js';
import { sketchToRecord, type SketchRecord } from './sketch.js';
import { deriveTicket, type LoggedTicket, type TicketChange, type TicketView } from './ticket-lifecycle.js';
import { loadV1, type SerializedScopeV1 } from './snapshot-v1.js';
import type { CaptureContext, IdSegment, SerializedIds } from './id-segments.js';
import { MinuteWindow, PeriodWindow, type WindowAcc } from './window.js';

export interface ScopeSnapshot {
  /** `service|region` */
  scope: string;
  /** The last Kafka offset this state includes: messages at or below it are skipped. */
  offset: number;
  /** JSON-serialisable; round-trips exactly through JSON.stringify / JSON.parse. */
  state: unknown;
  /**
   * The remembered ids' segments (state v4). From snapshot(): the new ones, to be made
   * durable before the state; to restore(): those the state names (any others are ignored).
   */
  segments?: IdSegment[];
}

interface SerializedWindow {
  res: Resolution;
  start: number;
  final: boolean;
  /** Counter values in COUNTERS order. */
  c: number[];
  /** The record form (bucket key → count), as stored since v1. */
  lat: SketchRecord;
}

/**
 * v4 keeps the remembered ids in segments stored apart, written once each (id-segments.ts);
 * v3 kept them as one arena string in the state (IdDedup.save), v2 as a string per id.
 */
export interface SerializedScope {
  v: 4;
  service: string;
  region: string;
  /** null stands for −Infinity (JSON has no infinities). */
  maxTs: number | null;
  closedBefore: number | null;
  idleClosed: boolean;
  seq: number;
  compactedAt: number | null;
  ids: SerializedIds;
  minutes: SerializedWindow[];
  periods: SerializedWindow[];
  /** Windows waiting to be drained, in drain order: [res, start]. */
  dirty: [Resolution, number][];
  alarms: [string, { base: Occurrence | null; events: LoggedAlarm[] }][];
  tickets: [string, { base: TicketView | null; events: LoggedTicket[] }][];
  alarmChanges: [string, AlarmChange][];
  ticketChanges: [string, TicketChange][];
}

/** v3: the remembered ids as one arena string. */
export type SerializedScopeV3 = Omit<SerializedScope, 'v' | 'ids'> & { v: 3; ids: { arena: string; prevEnd: number; rotateAt: number | null } };

/** v2 (and v1 once converted): the remembered ids as one string each. */
export type SerializedScopeV2 = Omit<SerializedScope, 'v' | 'ids'> & { v: 2; ids: { cur: string[]; prev: string[]; rotateAt: number | null } };

const fin = (n: number): number | null => (Number.isFinite(n) ? n : null);
const inf = (n: number | null | undefined): number => (n === null || n === undefined ? -Infinity : n);

function saveWindow(w: WindowAcc, res: Resolution, start: number, final: boolean): SerializedWindow {
  return { res, start, final, c: COUNTERS.map((k) => w[k]), lat: sketchToRecord(w.latency.toSketch()) };
}

function loadCounters(w: WindowAcc, sw: SerializedWindow): void {
  COUNTERS.forEach((k, i) => (w[k] = sw.c[i]!));
  w.latency.addRecord(sw.lat);
}

export function serializeScope(s: ScopeState, ctx: CaptureContext): ScopeSnapshot {
  const state: Omit<SerializedScope, 'ids'> = {
    v: 4, service: s.service, region: s.region,
    maxTs: fin(s.wm.maxTs), closedBefore: fin(s.wm.closedBefore), idleClosed: s.idleClosed, seq: s.seq, compactedAt: fin(s.compactedAt),
    minutes: s.minutes.map((m) => saveWindow(m, '1m', m.start, m.final)),
    periods: [...s.hours, ...s.days].map((p) => saveWindow(p, p.res, p.start, p.final)),
    dirty: [
      ...s.dirtyMinutes.map((m): [Resolution, number] => ['1m', m.start]),
      ...s.dirtyPeriods.map((p): [Resolution, number] => [p.res, p.start]),
    ],
    alarms: [...s.alarms].map(([id, a]) => [id, { base: a.base, events: a.events }]),
    tickets: [...s.tickets].map(([id, t]) => [id, { base: t.base, events: t.events }]),
    alarmChanges: [...s.alarmChanges],
    ticketChanges: [...s.ticketChanges],
  };
  // A deep copy: later changes to the live state must not leak into a stored snapshot.
  // The new id segments are strings, immutable already: not copied.
  const copy = JSON.parse(JSON.stringify(state)) as Omit<SerializedScope, 'ids'>;
  const { ids, segments } = s.idSegments.capture(s.ids, ctx);
  return { scope: s.key, offset: s.lastOffset, state: { ...copy, ids: { ...ids, rotateAt: fin(s.ids.rotateAt) } } satisfies SerializedScope, segments };
}

/** The snapshot is durable (its segments and state row are stored): the scope's next one builds on it. */
export function confirmScope(s: ScopeState, snap: ScopeSnapshot): void {
  const st = snap.state as SerializedScope;
  if (st.v === 4) s.idSegments.confirm(st.ids, s.ids);
}

/** The segment ids a stored state names (v4; none for older formats). */
export function referencedSegments(state: unknown): string[] {
  const st = state as { v?: number; ids?: SerializedIds } | null;
  if (st?.v !== 4 || !st.ids) return [];
  return [...st.ids.prev, ...st.ids.cur].map((r) => r[0]);
}

export interface RestoreContext {
  latenessMs: number;
  targetMs: (service: string) => number;
  now: number;
  /** Told of id segments a state names that are gone from the store (skipped). */
  onMissingSegments?: (scope: string, count: number) => void;
}

export function restoreScope(snap: ScopeSnapshot, ctx: RestoreContext): ScopeState {
  const raw = snap.state as { v?: number } | null;
  const st = raw?.v === 1 ? loadV1(raw as SerializedScopeV1) : (raw as SerializedScope | SerializedScopeV3 | SerializedScopeV2 | null);
  if (st?.v !== 2 && st?.v !== 3 && st?.v !== 4) throw snapshotError(snap.scope, 'unknown state format');
  const s = new ScopeState(st.service, st.region, ctx.latenessMs, ctx.now);
  s.lastOffset = snap.offset;
  s.wm.load(inf(st.maxTs), inf(st.closedBefore));
  s.idleClosed = st.idleClosed;
  s.seq = st.seq;
  s.compactedAt = inf(st.compactedAt);
  if (st.v === 4) {
    const found = new Map((snap.segments ?? []).map((g) => [g.segment, g.units]));
    const missing = s.idSegments.restore(s.ids, st.ids, found, snap.scope);
    if (missing > 0) ctx.onMissingSegments?.(snap.scope, missing);
  } else if (st.v === 3) s.ids.restore(st.ids.arena, st.ids.prevEnd, inf(st.ids.rotateAt));
  else s.ids.load(st.ids.cur, st.ids.prev, inf(st.ids.rotateAt));

  // Periods first: minutes point at their hour and day.
  for (const sw of st.periods) {
    const p = new PeriodWindow(sw.res, sw.start, sw.start + RESOLUTION_MS[sw.res]);
    loadCounters(p, sw);
    p.final = sw.final;
    (sw.res === '1h' ? s.hours : s.days).push(p);
  }
  const find = (list: PeriodWindow[], res: '1h' | '1d', ts: number) => {
    const p = list.find((x) => x.start <= ts && ts < x.end);
    if (!p) throw snapshotError(snap.scope, `minute ${ts} has no ${res} window`);
    return p;
  };
  for (const sw of st.minutes) {
    const m = new MinuteWindow(sw.start, find(s.hours, '1h', sw.start), find(s.days, '1d', sw.start));
    loadCounters(m, sw);
    m.final = sw.final;
    s.minutes.push(m);
  }
  let next = Infinity;
  for (const w of [...s.minutes, ...s.hours, ...s.days]) if (!w.final && w.end < next) next = w.end;
  s.nextFinalAt = next;
  for (const [res, start] of st.dirty) {
    if (res === '1m') {
      const m = s.minutes.find((x) => x.start === start)!;
      m.dirty = true;
      s.dirtyMinutes.push(m);
    } else {
      const p = (res === '1h' ? s.hours : s.days).find((x) => x.start === start)!;
      p.dirty = true;
      s.dirtyPeriods.push(p);
    }
  }

  for (const [id, a] of st.alarms) s.alarms.set(id, { base: a.base, events: a.events, occs: deriveOccurrences(a.base, a.events) });
  // Tickets from v1 snapshots have no target of their own: they take today's.
  const target = ctx.targetMs(st.service);
  for (const [id, t] of st.tickets) {
    if (t.base !== null) t.base.targetMs ??= target;
    for (const e of t.events) if (e.state === 'opened') e.targetMs ??= target;
    s.tickets.set(id, { base: t.base, events: t.events, view: deriveTicket(t.base, t.events) });
  }
  s.alarmChanges = new Map(st.alarmChanges);
  s.ticketChanges = new Map(st.ticketChanges);
  return s;
}
