// Scope state to and from plain JSON, so the processors can persist it and a new
// owner of the partition continues exactly where the snapshot left off. Derived
// state (occurrences, ticket views) is recomputed from the kept events.
import { deriveOccurrences, type LoggedAlarm } from './alarm-lifecycle.js';
import { deriveTicket, type LoggedTicket } from './ticket-lifecycle.js';
import { fromRollup, RESOLUTION_MS, RESOLUTIONS, toRollup, type Rollup } from './rollup.js';
import { ScopeState } from './scope-state.js';

export interface ScopeSnapshot {
  /** `service|region` */
  scope: string;
  /** The last Kafka offset this state includes. */
  offset: number;
  state: unknown;
}

interface SerializedScope {
  v: 1;
  service: string;
  region: string;
  maxTs: number | null;
  closedBefore: number | null;
  idleClosedAt: number | null;
  seq: number;
  ids: [string, number][];
  windows: Rollup[];
  alarms: [string, LoggedAlarm[]][];
  tickets: [string, LoggedTicket[]][];
}

const fin = (n: number) => (Number.isFinite(n) ? n : null);
const inf = (n: number | null) => (n === null ? -Infinity : n);

export function serializeScope(s: ScopeState): ScopeSnapshot {
  const state: SerializedScope = {
    v: 1, service: s.service, region: s.region,
    maxTs: fin(s.maxTs), closedBefore: fin(s.closedBefore), idleClosedAt: fin(s.idleClosedAt), seq: s.seq,
    ids: [...s.ids],
    windows: s.windows.flatMap((m) => [...m.values()].map((w) => toRollup(w, 0))),
    alarms: [...s.alarms].map(([id, a]) => [id, a.events]),
    tickets: [...s.tickets].map(([id, t]) => [id, t.events]),
  };
  return { scope: s.key, offset: s.lastOffset, state: JSON.parse(JSON.stringify(state)) };
}

export function restoreScope(snap: ScopeSnapshot, now: number): ScopeState {
  const st = snap.state as SerializedScope;
  if (st?.v !== 1) throw new Error(`snapshot of ${snap.scope}: unknown format`);
  const s = new ScopeState(st.service, st.region, now);
  s.lastOffset = snap.offset;
  s.maxTs = inf(st.maxTs);
  s.closedBefore = inf(st.closedBefore);
  s.idleClosedAt = inf(st.idleClosedAt);
  s.seq = st.seq;
  s.ids = new Map(st.ids);
  s.nextIdPrune = -Infinity;
  for (const w of st.windows) {
    const r = RESOLUTIONS.indexOf(w.res);
    s.windows[r]!.set(w.start, fromRollup(w));
    const end = w.start + RESOLUTION_MS[w.res];
    if (!w.final && end < s.nextCloseCheck) s.nextCloseCheck = end;
  }
  for (const [id, events] of st.alarms) s.alarms.set(id, { events, occs: deriveOccurrences(events) });
  for (const [id, events] of st.tickets) s.tickets.set(id, { events, view: deriveTicket(events) });
  return s;
}
