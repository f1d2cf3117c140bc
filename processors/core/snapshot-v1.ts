// Reads snapshots written by the first version of the core (format v1), so a
// processor upgraded in place restores its state instead of failing. v1 kept hour
// and day windows as full sums; v2 keeps them as the minutes already folded in,
// so the open minutes are subtracted out.
import type { LoggedAlarm } from './alarm-lifecycle.js';
import { COUNTERS, type Rollup } from './rollup.js';
import type { SerializedScopeV2 } from './snapshot.js';
import type { SketchRecord } from './sketch.js';
import type { LoggedTicket } from './ticket-lifecycle.js';

export interface SerializedScopeV1 {
  v: 1;
  service: string;
  region: string;
  maxTs: number | null;
  closedBefore: number | null;
  idleClosedAt: number | null;
  seq: number;
  ids: [string, number][];
  /** Rollups as v1 stored them: the sketch in record form. */
  windows: (Omit<Rollup, 'latency'> & { latency: SketchRecord })[];
  alarms: [string, LoggedAlarm[]][];
  tickets: [string, LoggedTicket[]][];
}

function minus(a: SketchRecord, b: SketchRecord): SketchRecord {
  const out: SketchRecord = { ...a };
  for (const k in b) {
    const key = Number(k);
    const n = (out[key] ?? 0) - b[key]!;
    if (n === 0) delete out[key];
    else out[key] = n;
  }
  return out;
}

export function loadV1(v1: SerializedScopeV1): SerializedScopeV2 {
  const minutes = v1.windows.filter((w) => w.res === '1m');
  const periods = v1.windows.filter((w) => w.res !== '1m').map((p) => {
    const end = p.start + (p.res === '1h' ? 3_600_000 : 86_400_000);
    const inside = minutes.filter((m) => m.start >= p.start && m.start < end);
    const c = COUNTERS.map((k) => p[k] - inside.reduce((n, m) => n + m[k], 0));
    const lat = inside.reduce((s, m) => minus(s, m.latency), p.latency);
    return { res: p.res, start: p.start, final: p.final, c, lat };
  });
  return {
    v: 2, service: v1.service, region: v1.region, maxTs: v1.maxTs, closedBefore: v1.closedBefore,
    idleClosed: v1.idleClosedAt !== null && v1.idleClosedAt === v1.maxTs, seq: v1.seq, compactedAt: null,
    ids: { cur: v1.ids.map(([id]) => id), prev: [], rotateAt: v1.maxTs },
    minutes: minutes.map((m) => ({ res: m.res, start: m.start, final: m.final, c: COUNTERS.map((k) => m[k]), lat: m.latency })),
    periods,
    dirty: [],
    alarms: v1.alarms.map(([id, events]) => [id, { base: null, events }]),
    tickets: v1.tickets.map(([id, events]) => [id, { base: null, events }]),
    alarmChanges: [],
    ticketChanges: [],
  };
}
