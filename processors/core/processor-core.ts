// The per-scope engine (CONTRACT.md sections 3 and 4): watermarks, late and
// duplicate events, windows at 1 min / 1 h / 1 day, alarm and ticket lifecycles.
// No I/O and no timers: the caller feeds events with their Kafka offsets, calls
// closeIdle() now and then, and drains the rows that changed.
import type { SqaEvent } from '../../events/types.js';
import { sketchKey } from './sketch.js';
import { RESOLUTION_MS, RESOLUTIONS, toRollup, type Rollup } from './rollup.js';
import { diffContributions, type Contribution } from './contributions.js';
import { alarmContributions, deriveOccurrences, insertSorted, logAlarm, sameOccurrence, type AlarmRecord } from './alarm-lifecycle.js';
import { deriveTicket, logTicket, sameTicket, ticketContributions, type TicketRecord } from './ticket-lifecycle.js';
import { ScopeState } from './scope-state.js';
import { restoreScope, serializeScope, type ScopeSnapshot } from './snapshot.js';

export type ApplyOutcome = 'applied' | 'duplicate' | 'late' | 'skipped';

export interface CoreOptions {
  latenessMs?: number;
  idleCloseMs?: number;
  /** Wall clock, for the idle rule only. */
  clock: () => number;
  /** The complaint resolution target of a service (default 24 h). */
  resolutionTargetMs?: (service: string) => number;
}

export interface Drained {
  rollups: Rollup[];
  alarms: AlarmRecord[];
  tickets: TicketRecord[];
}

export interface ProcessorCore {
  apply(event: SqaEvent, offset: number): ApplyOutcome;
  closeIdle(): void;
  drain(): Drained;
  snapshot(onlyDirty?: boolean): ScopeSnapshot[];
  restore(snaps: readonly ScopeSnapshot[]): void;
  scopeCount(): number;
  stats(): { scopes: number; windows: number; ids: number; alarms: number; tickets: number };
}

const MINUTE = 60_000;
/** Ids are pruned when the watermark has moved this far since the last prune. */
const ID_PRUNE_EVERY_MS = 30_000;

export function createProcessorCore(o: CoreOptions): ProcessorCore {
  const lateness = o.latenessMs ?? 120_000;
  const idleCloseMs = o.idleCloseMs ?? 300_000;
  const target = o.resolutionTargetMs ?? (() => 86_400_000);
  const byService = new Map<string, Map<string, ScopeState>>();
  const dirty = new Set<ScopeState>();

  function scopeOf(service: string, region: string): ScopeState {
    let regions = byService.get(service);
    if (!regions) byService.set(service, (regions = new Map()));
    let s = regions.get(region);
    if (!s) regions.set(region, (s = new ScopeState(service, region, o.clock())));
    return s;
  }

  function* allScopes(): Generator<ScopeState> {
    for (const regions of byService.values()) yield* regions.values();
  }

  function advance(s: ScopeState, ts: number): void {
    s.maxTs = ts;
    const wm = ts - lateness;
    if (wm >= s.nextCloseCheck) s.closeUpTo(wm);
    if (wm >= s.nextIdPrune) {
      s.dropIds(wm);
      s.nextIdPrune = wm + ID_PRUNE_EVERY_MS;
    }
  }

  function applyDiff(s: ScopeState, before: Contribution[], after: Contribution[]): void {
    const { removed, added } = diffContributions(before, after);
    for (const c of removed) s.contribute(c, -1);
    for (const c of added) s.contribute(c, 1);
  }

  function apply(e: SqaEvent, offset: number): ApplyOutcome {
    const s = scopeOf(e.service, e.region);
    if (offset <= s.lastOffset) return 'skipped';
    s.lastOffset = offset;
    s.lastWall = o.clock();
    s.snapshotDirty = true;
    dirty.add(s);
    // One hash lookup instead of has() + set(): a duplicate leaves the size unchanged.
    // Late events' ids are remembered too, so a retry of one is a duplicate, as in the ground truth.
    const size = s.ids.size;
    s.ids.set(e.id, e.ts);
    if (s.ids.size === size) return 'duplicate';
    const bound = Math.max(s.maxTs - lateness, s.closedBefore);
    if (e.ts < bound) return 'late';
    if (e.ts > s.maxTs) advance(s, e.ts);
    switch (e.type) {
      case 'probe': {
        const key = e.ok && e.latencyMs !== undefined ? sketchKey(e.latencyMs) : null;
        for (let r = 0; r < 3; r++) {
          const w = s.window(r, e.ts);
          w.probes++;
          if (e.ok) w.probesOk++;
          if (key !== null) w.latency.set(key, (w.latency.get(key) ?? 0) + 1);
          s.touch(w);
        }
        break;
      }
      case 'survey':
        for (let r = 0; r < 3; r++) {
          const w = s.window(r, e.ts);
          if (e.scale === 'nps') {
            w.npsResponses++;
            if (e.score >= 9) w.npsPromoters++;
            else if (e.score <= 6) w.npsDetractors++;
          } else {
            w.csatResponses++;
            if (e.score >= 4) w.csatSatisfied++;
          }
          s.touch(w);
        }
        break;
      case 'alarm': {
        let entry = s.alarms.get(e.alarmId);
        if (!entry) s.alarms.set(e.alarmId, (entry = { events: [], occs: [] }));
        insertSorted(entry.events, logAlarm(e, s.seq++));
        const occs = deriveOccurrences(entry.events);
        applyDiff(s, alarmContributions(entry.occs), alarmContributions(occs));
        for (const occ of occs) {
          const prev = entry.occs.find((p) => p.raisedTs === occ.raisedTs);
          if (!prev || !sameOccurrence(prev, occ)) s.dirtyAlarms.set(`${e.alarmId}|${occ.raisedTs}`, { ...occ, alarmId: e.alarmId });
        }
        for (const prev of entry.occs) {
          if (!occs.some((x) => x.raisedTs === prev.raisedTs)) s.dirtyAlarms.set(`${e.alarmId}|${prev.raisedTs}`, { ...prev, alarmId: e.alarmId, deleted: true });
        }
        entry.occs = occs;
        break;
      }
      case 'complaint': {
        let entry = s.tickets.get(e.ticketId);
        if (!entry) s.tickets.set(e.ticketId, (entry = { events: [], view: null }));
        insertSorted(entry.events, logTicket(e, s.seq++));
        const view = deriveTicket(entry.events);
        const t = target(e.service);
        applyDiff(s, ticketContributions(entry.view, t), ticketContributions(view, t));
        if (view && !sameTicket(entry.view, view)) s.dirtyTickets.set(e.ticketId, { ...view, ticketId: e.ticketId });
        entry.view = view;
        break;
      }
    }
    return 'applied';
  }

  function closeIdle(): void {
    const now = o.clock();
    for (const s of allScopes()) {
      if (now - s.lastWall < idleCloseMs || s.idleClosedAt === s.maxTs || s.maxTs === -Infinity) continue;
      // The minute holding the newest event closes too; later events for it are late.
      s.idleClosedAt = s.maxTs;
      s.closedBefore = Math.max(s.closedBefore, s.maxTs - (((s.maxTs % MINUTE) + MINUTE) % MINUTE) + MINUTE);
      s.closeUpTo(Infinity);
      s.snapshotDirty = true;
      dirty.add(s);
    }
  }

  /** Alarm and ticket state whose lifecycle ended before the watermark is no longer needed. */
  function pruneLifecycles(s: ScopeState, bound: number): void {
    for (const [id, a] of s.alarms) {
      const last = a.events[a.events.length - 1]!;
      const open = a.occs.some((x) => x.clearedTs === null);
      if (!open && last.ts < bound) s.alarms.delete(id);
    }
    for (const [id, t] of s.tickets) {
      const last = t.events[t.events.length - 1]!;
      if ((t.view === null || t.view.state === 'closed') && last.ts < bound) s.tickets.delete(id);
    }
  }

  function drain(): Drained {
    const out: Drained = { rollups: [], alarms: [], tickets: [] };
    for (const s of dirty) {
      const base = s.lastOffset * 2;
      const bound = Math.max(s.maxTs - lateness, s.closedBefore);
      for (const w of s.dirtyWindows) {
        w.dirty = false;
        out.rollups.push(toRollup(w, base + (w.final ? 1 : 0)));
        const r = RESOLUTIONS.indexOf(w.res);
        if (w.final && w.start + RESOLUTION_MS[w.res] <= bound) {
          s.windows[r]!.delete(w.start);
          if (s.current[r] === w) s.current[r] = null;
        }
      }
      s.dirtyWindows = [];
      for (const a of s.dirtyAlarms.values()) {
        out.alarms.push({
          service: s.service, region: s.region, alarmId: a.alarmId, severity: a.severity, serviceAffecting: a.serviceAffecting,
          outage: a.outage, raisedTs: a.raisedTs, ackTs: a.ackTs, clearedTs: a.clearedTs, version: base,
          ...(a.element !== undefined ? { element: a.element } : {}),
          ...(a.deleted ? { deleted: true } : {}),
        });
      }
      s.dirtyAlarms.clear();
      for (const t of s.dirtyTickets.values()) {
        out.tickets.push({
          service: s.service, region: s.region, ticketId: t.ticketId, category: t.category, state: t.state,
          openedTs: t.openedTs, ackTs: t.ackTs, resolvedTs: t.resolvedTs, closedTs: t.closedTs, reopenCount: t.reopenCount,
          version: base, ...(t.element !== undefined ? { element: t.element } : {}),
        });
      }
      s.dirtyTickets.clear();
      pruneLifecycles(s, bound);
    }
    dirty.clear();
    return out;
  }

  function snapshot(onlyDirty = true): ScopeSnapshot[] {
    const out: ScopeSnapshot[] = [];
    for (const s of allScopes()) {
      if (onlyDirty && !s.snapshotDirty) continue;
      out.push(serializeScope(s));
      s.snapshotDirty = false;
    }
    return out;
  }

  function restore(snaps: readonly ScopeSnapshot[]): void {
    for (const snap of snaps) {
      const s = restoreScope(snap, o.clock());
      let regions = byService.get(s.service);
      if (!regions) byService.set(s.service, (regions = new Map()));
      regions.set(s.region, s);
    }
  }

  return {
    apply,
    closeIdle,
    drain,
    snapshot,
    restore,
    scopeCount: () => {
      let n = 0;
      for (const r of byService.values()) n += r.size;
      return n;
    },
    stats: () => {
      const st = { scopes: 0, windows: 0, ids: 0, alarms: 0, tickets: 0 };
      for (const s of allScopes()) {
        st.scopes++;
        st.windows += s.windows.reduce((n, m) => n + m.size, 0);
        st.ids += s.ids.size;
        st.alarms += s.alarms.size;
        st.tickets += s.tickets.size;
      }
      return st;
    },
  };
}
