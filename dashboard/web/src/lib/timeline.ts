// Pure layout of an incident's horizontal timeline: one lane per alarm (raised →
// cleared, open alarms run to the end), then one lane per raw-event type with a
// marker per event. Positions are fractions of the width (0..1).
import type { IncidentDetail, RawEvent } from './types.js';

export const MAX_ALARM_LANES = 24;

const MIN = 60_000;
const TICK_STEPS = [MIN, 2 * MIN, 5 * MIN, 10 * MIN, 15 * MIN, 30 * MIN, 60 * MIN, 2 * 60 * MIN, 3 * 60 * MIN, 6 * 60 * MIN, 12 * 60 * MIN, 24 * 60 * MIN, 2 * 24 * 60 * MIN, 7 * 24 * 60 * MIN];

/** Epoch ms of an event time (ISO string or epoch ms); null when unreadable. */
export function toMs(v: string | number | null | undefined): number | null {
  if (v === null || v === undefined) return null;
  const t = typeof v === 'number' ? v : Date.parse(v);
  return Number.isFinite(t) ? t : null;
}

export interface Bar {
  lane: number;
  label: string;
  severity: string;
  x0: number;
  x1: number;
  open: boolean;
  ack: number | null;
  title: string;
}

export interface Marker {
  lane: number;
  x: number;
  kind: string;
  title: string;
  event: RawEvent;
}

export interface Lane {
  label: string;
  kind: 'alarm' | 'events';
}

export interface TimelineLayout {
  from: number;
  to: number;
  lanes: Lane[];
  bars: Bar[];
  markers: Marker[];
  ticks: { x: number; t: number; label: string }[];
  hiddenAlarms: number;
}

/** The marker's kind: the event type, refined by state for alarms and complaints. */
export function markerKind(e: RawEvent): string {
  if (e.type === 'alarm' && typeof e.state === 'string') return `alarm-${e.state}`;
  if (e.type === 'probe') return e.ok === false ? 'probe-fail' : 'probe-ok';
  if (e.type === 'complaint' && typeof e.state === 'string') return `complaint-${e.state}`;
  return e.type;
}

export function niceTickStep(spanMs: number, target = 8): number {
  for (const s of TICK_STEPS) if (spanMs / s <= target) return s;
  return TICK_STEPS[TICK_STEPS.length - 1]!;
}

export function tickLabel(t: number, stepMs: number): string {
  const iso = new Date(t).toISOString();
  if (stepMs >= 24 * 60 * MIN) return iso.slice(5, 10);
  return iso.slice(11, 16);
}

export function layoutTimeline(d: IncidentDetail, nowMs: number): TimelineLayout {
  const times: number[] = [];
  const push = (v: string | number | null | undefined) => {
    const t = toMs(v);
    if (t !== null) times.push(t);
  };
  push(d.incident.start);
  push(d.incident.resolved);
  for (const a of d.alarms) {
    push(a.raised);
    push(a.acked);
    push(a.cleared);
  }
  for (const e of d.events) push(e.ts);
  const open = !d.incident.resolved;
  if (open) times.push(nowMs);
  let from = times.length ? Math.min(...times) : nowMs - 60 * MIN;
  let to = times.length ? Math.max(...times) : nowMs;
  if (to - from < MIN) {
    from -= MIN / 2;
    to += MIN / 2;
  }
  const pad = (to - from) * 0.03;
  from -= pad;
  to += pad;
  const x = (t: number) => (t - from) / (to - from);

  const lanes: Lane[] = [];
  const bars: Bar[] = [];
  const alarms = d.alarms.slice(0, MAX_ALARM_LANES);
  for (const a of alarms) {
    const lane = lanes.length;
    lanes.push({ label: a.element ? `${a.alarmId} · ${a.element}` : a.alarmId, kind: 'alarm' });
    const r = toMs(a.raised) ?? from;
    const c = toMs(a.cleared);
    const end = c ?? (open ? nowMs : to);
    const ack = toMs(a.acked);
    bars.push({
      lane, label: a.alarmId, severity: a.severity, x0: x(r), x1: Math.max(x(end), x(r) + 0.002), open: c === null,
      ack: ack === null ? null : x(ack),
      title: `${a.alarmId} (${a.severity}) raised ${a.raised ?? '?'}${a.acked ? `, acked ${a.acked}` : ''}${a.cleared ? `, cleared ${a.cleared}` : ', not cleared'}`,
    });
  }

  const types = [...new Set(d.events.map((e) => e.type))].sort();
  const laneOf = new Map<string, number>();
  for (const t of types) {
    laneOf.set(t, lanes.length);
    lanes.push({ label: `${t} events`, kind: 'events' });
  }
  const markers: Marker[] = [];
  for (const e of d.events) {
    const t = toMs(e.ts);
    if (t === null) continue;
    markers.push({ lane: laneOf.get(e.type)!, x: x(t), kind: markerKind(e), title: `${new Date(t).toISOString()} ${e.type}${e.state ? ` ${String(e.state)}` : ''}${e.element ? ` ${e.element}` : ''} (${e.id})`, event: e });
  }

  const step = niceTickStep(to - from);
  const ticks: TimelineLayout['ticks'] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push({ t, x: x(t), label: tickLabel(t, step) });

  return { from, to, lanes, bars, markers, ticks, hiddenAlarms: d.alarms.length - alarms.length };
}
