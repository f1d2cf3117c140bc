// The per-scope engine (CONTRACT.md sections 3 and 4): watermarks, late and
// duplicate events, one-minute windows with hours and days accumulated alongside,
// alarm and ticket lifecycles. No I/O and no timers: the caller feeds events with
// their Kafka offsets, calls closeIdle() now and then, drains the rows that changed
// and snapshots the state it makes durable (kafkajs-style factory, injected clock).
import type { SqaEvent } from '../../events/types.js';
import { unknownEventError } from './errors.js';
import { ScopeState } from './scope-state.js';
import { drainScope, type Drained } from './scope-drain.js';
import { applyAlarm, applyTicket } from './scope-lifecycles.js';
import { sketchKey } from './sketch.js';
import { DEFAULT_TARGET_MS } from './ticket-lifecycle.js';
import { confirmScope, restoreScope, serializeScope, type ScopeSnapshot } from './snapshot.js';

export type { Drained } from './scope-drain.js';

/**
 * applied: counted; duplicate: its id was seen (counted once already); late: older
 * than the scope's late bound, not applied (dead-letter it with reason `late`);
 * skipped: its offset is at or below the last one the scope took (a replay).
 */
export type ApplyOutcome = 'applied' | 'duplicate' | 'late' | 'skipped';

export interface CoreOptions {
  /** Allowed lateness, SQA_LATENESS_MS (default 120 000). */
  latenessMs?: number;
  /** Wall-clock quiet time after which a scope's windows close, SQA_IDLE_CLOSE_MS (default 300 000). */
  idleCloseMs?: number;
  /** Wall clock (epoch ms), for the idle rule only; everything else runs on event time. */
  clock: () => number;
  /** The complaint resolution target of a service (default 24 h); a ticket keeps the one in force when opened. */
  resolutionTargetMs?: (service: string) => number;
  /**
   * Names this core's id segments (id-segments.ts); must differ from every other core's
   * that ever writes to the same store (the adapter passes 64 random bits). Default: random.
   */
  writerId?: string;
  /**
   * A generation of remembered ids whose oldest stored segment is this old is written
   * again as one segment, even in a scope without events, so no segment a state names
   * outlives the store's TTL (1 hour, migration 0006). Default 10 minutes.
   */
  idsRewriteMs?: number;
}

export interface CoreStats {
  scopes: number;
  /** Open minute, hour and day windows. */
  windows: number;
  /** Remembered event ids. */
  ids: number;
  alarms: number;
  tickets: number;
  /** Outcomes of apply() since the core was created. */
  applied: number;
  duplicates: number;
  late: number;
  skipped: number;
}

export interface ProcessorCore {
  apply(event: SqaEvent, offset: number): ApplyOutcome;
  closeIdle(): void;
  drain(): Drained;
  /** Also lists scopes whose stored id segments need rewriting before the store's TTL. */
  snapshot(onlyDirtySinceLastSnapshot?: boolean): ScopeSnapshot[];
  /** These snapshots (segments, then state) are stored: the next ones write only the ids added since. */
  snapshotDurable(snaps: readonly ScopeSnapshot[]): void;
  /** Returns how many id segments the states named but the snapshots did not carry (gone from the store). */
  restore(snaps: readonly ScopeSnapshot[]): { missingSegments: number };
  scopeCount(): number;
  stats(): CoreStats;
}

export function createProcessorCore(o: CoreOptions): ProcessorCore {
  const lateness = o.latenessMs ?? 120_000;
  const idleCloseMs = o.idleCloseMs ?? 300_000;
  const clock = o.clock;
  const target = o.resolutionTargetMs ?? (() => DEFAULT_TARGET_MS);
  const writer = o.writerId ?? Math.random().toString(36).slice(2);
  const rewriteMs = o.idsRewriteMs ?? 600_000;
  let segments = 0;
  const nextSegment = () => `${writer}.${(segments++).toString(36)}`;
  const byService = new Map<string, Map<string, ScopeState>>();
  /** The scope of the previous event: consecutive events often share it. */
  let last: ScopeState | null = null;
  /** Scopes with something to drain. */
  let queue: ScopeState[] = [];
  const counts = { applied: 0, duplicates: 0, late: 0, skipped: 0 };

  function scopeOf(service: string, region: string): ScopeState {
    const l = last;
    if (l !== null && l.service === service && l.region === region) return l;
    let regions = byService.get(service);
    if (regions === undefined) byService.set(service, (regions = new Map()));
    let s = regions.get(region);
    if (s === undefined) regions.set(region, (s = new ScopeState(service, region, lateness, clock())));
    return (last = s);
  }

  function enqueue(s: ScopeState): void {
    s.snapshotDirty = true;
    if (!s.queued) {
      s.queued = true;
      queue.push(s);
    }
  }

  function apply(e: SqaEvent, offset: number): ApplyOutcome {
    const s = scopeOf(e.service, e.region);
    if (offset <= s.lastOffset) {
      counts.skipped++;
      return 'skipped';
    }
    s.lastOffset = offset;
    enqueue(s);
    // Duplicate before late, as the contract's reference does: a retry of a late event is a duplicate.
    if (!s.ids.add(e.id)) {
      counts.duplicates++;
      return 'duplicate';
    }
    const ts = e.ts;
    if (s.wm.isLate(ts)) {
      counts.late++;
      return 'late';
    }
    s.lastWall = clock();
    s.idleClosed = false;
    if (s.wm.observe(ts)) s.advanced();
    switch (e.type) {
      case 'probe': {
        const m = s.minute(ts);
        m.probes++;
        if (e.ok) {
          m.probesOk++;
          if (e.latencyMs !== undefined) m.latency.add(sketchKey(e.latencyMs));
        }
        s.touch(m);
        break;
      }
      case 'survey': {
        const m = s.minute(ts);
        // NPS: promoters 9–10, detractors 0–6 (7–8 passive); CSAT: satisfied 4–5 (section 4).
        if (e.scale === 'nps') {
          m.npsResponses++;
          if (e.score >= 9) m.npsPromoters++;
          else if (e.score <= 6) m.npsDetractors++;
        } else {
          m.csatResponses++;
          if (e.score >= 4) m.csatSatisfied++;
        }
        s.touch(m);
        break;
      }
      case 'alarm':
        applyAlarm(s, e);
        break;
      case 'complaint':
        applyTicket(s, e, target(e.service));
        break;
      default:
        return unknownType(e);
    }
    counts.applied++;
    return 'applied';
  }

  function* scopes(): Generator<ScopeState> {
    for (const regions of byService.values()) yield* regions.values();
  }

  function closeIdle(): void {
    const now = clock();
    for (const s of scopes()) {
      // "receives no event for SQA_IDLE_CLOSE_MS" (section 3): silence of exactly that long closes.
      if (s.idleClosed || s.wm.maxTs === -Infinity || now - s.lastWall < idleCloseMs) continue;
      s.closeAll();
      enqueue(s);
    }
  }

  function drain(): Drained {
    const out: Drained = { rollups: [], alarms: [], tickets: [] };
    const q = queue;
    queue = [];
    for (const s of q) {
      s.queued = false;
      s.snapshotDirty = true; // closed windows and finished lifecycles leave the state
      drainScope(s, out);
    }
    return out;
  }

  function snapshot(onlyDirty = false): ScopeSnapshot[] {
    const out: ScopeSnapshot[] = [];
    const ctx = { now: clock(), nextSegment, rewriteMs };
    for (const s of scopes()) {
      if (onlyDirty && !s.snapshotDirty && !s.idSegments.stale(ctx.now, rewriteMs)) continue;
      out.push(serializeScope(s, ctx));
      s.snapshotDirty = false;
    }
    return out;
  }

  function snapshotDurable(snaps: readonly ScopeSnapshot[]): void {
    for (const snap of snaps) {
      const [service, region] = splitKey(snap.scope);
      const s = byService.get(service)?.get(region);
      if (s !== undefined) confirmScope(s, snap);
    }
  }

  function restore(snaps: readonly ScopeSnapshot[]): { missingSegments: number } {
    let missingSegments = 0;
    const ctx = { latenessMs: lateness, targetMs: target, now: clock(), onMissingSegments: (_: string, n: number) => void (missingSegments += n) };
    for (const snap of snaps) {
      const s = restoreScope(snap, ctx);
      let regions = byService.get(s.service);
      if (regions === undefined) byService.set(s.service, (regions = new Map()));
      regions.set(s.region, s);
      if (s.dirtyMinutes.length + s.dirtyPeriods.length + s.alarmChanges.size + s.ticketChanges.size > 0) enqueue(s);
    }
    last = null;
    // A scope queued before and replaced by the restore must not be drained.
    queue = queue.filter((s) => byService.get(s.service)?.get(s.region) === s);
    return { missingSegments };
  }

  function stats(): CoreStats {
    const st: CoreStats = { scopes: 0, windows: 0, ids: 0, alarms: 0, tickets: 0, ...counts };
    for (const s of scopes()) {
      st.scopes++;
      st.windows += s.windowCount();
      st.ids += s.ids.size();
      st.alarms += s.alarms.size;
      st.tickets += s.tickets.size;
    }
    return st;
  }

  return {
    apply,
    closeIdle,
    drain,
    snapshot,
    snapshotDurable,
    restore,
    scopeCount: () => {
      let n = 0;
      for (const regions of byService.values()) n += regions.size;
      return n;
    },
    stats,
  };
}

/** `service|region` → its parts (services and regions are ids without `|`, events/schema.ts). */
function splitKey(key: string): [string, string] {
  const i = key.indexOf('|');
  return [key.slice(0, i), key.slice(i + 1)];
}

function unknownType(e: never): never {
  throw unknownEventError((e as { type?: unknown }).type);
}
