// Event builders and row lookups shared by the core's scenario tests.
import type { SqaEvent } from '../../events/types.js';
import { createProcessorCore, type Drained } from './processor-core.js';
import type { Rollup } from './rollup.js';

export const T0 = Date.UTC(2026, 2, 1, 10, 0, 0);
export const at = (min: number, sec = 0) => T0 + min * 60_000 + sec * 1000;
export const sc = { service: 'voice', region: 'north' };
let n = 0;
export const id = () => `e${n++}`;
export const probe = (ts: number, latencyMs?: number, eid = id()): SqaEvent => ({ id: eid, type: 'probe', ts, ...sc, ok: latencyMs !== undefined, ...(latencyMs !== undefined ? { latencyMs } : {}) });
export const alarm = (alarmId: string, state: 'raised' | 'acknowledged' | 'cleared', ts: number, severity: 'critical' | 'major' | 'minor' = 'critical'): SqaEvent =>
  ({ id: id(), type: 'alarm', ts, ...sc, alarmId, state, severity, serviceAffecting: true });
export const ticket = (ticketId: string, state: 'opened' | 'acknowledged' | 'resolved' | 'closed' | 'reopened', ts: number): SqaEvent =>
  ({ id: id(), type: 'complaint', ts, ...sc, ticketId, state, ...(state === 'opened' ? { category: 'network' as const } : {}) });
export const survey = (scale: 'nps' | 'csat', score: number, ts = at(1)): SqaEvent => ({ id: id(), type: 'survey', ts, ...sc, scale, score });

export function run(events: SqaEvent[], o: { now?: () => number; target?: number } = {}) {
  const core = createProcessorCore({ clock: o.now ?? (() => 0), resolutionTargetMs: () => o.target ?? 86_400_000 });
  const outcomes = events.map((e, i) => core.apply(e, i));
  return { core, outcomes };
}

/** Newest row per (res, start), like FINAL. */
export function latest(drains: Drained[]): Map<string, Rollup> {
  const m = new Map<string, Rollup>();
  for (const d of drains) for (const r of d.rollups) {
    const k = `${r.res}|${r.start}`;
    if (!m.has(k) || m.get(k)!.version <= r.version) m.set(k, r);
  }
  return m;
}
export const hour = (m: Map<string, Rollup>, h = 10) => m.get(`1h|${Date.UTC(2026, 2, 1, h)}`)!;
export const minute = (m: Map<string, Rollup>, min: number) => m.get(`1m|${at(min)}`);
