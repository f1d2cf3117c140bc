// Alerts for the side panel and the wall strip: `/alerts?state=firing` and
// `?state=resolved` on load and every 10 s, plus `alert` frames of the live
// channel in between. A poll answer is authoritative, except for frames that
// arrived after the poll started (they are newer) — those are applied on top.
import { derived, writable, type Readable } from 'svelte/store';
import { getAlerts } from './api.js';
import { live } from './live.js';
import type { Alert } from './types.js';

export const ALERT_POLL_MS = 10_000;
/** A resolved alert stays listed this long after it ended. */
export const RECENT_RESOLVED_MS = 60 * 60_000;
export const MAX_RESOLVED_SHOWN = 20;

const SEVERITY_RANK: Record<string, number> = { page: 0, ticket: 1, warning: 2 };
const sevRank = (s: string) => SEVERITY_RANK[s] ?? 5;
const time = (s: string | null | undefined) => (s ? Date.parse(s) || 0 : 0);

/** Pure: apply alerts in order onto a map keyed by fingerprint (later wins). */
export function applyAlerts(base: Map<string, Alert>, alerts: Alert[]): Map<string, Alert> {
  const next = new Map(base);
  for (const a of alerts) if (a && typeof a.fingerprint === 'string') next.set(a.fingerprint, a);
  return next;
}

export interface AlertView {
  firing: Alert[];
  resolved: Alert[];
}

/**
 * Pure: firing alerts by severity then newest first; resolved ones that ended
 * within `recentMs` of now, newest end first, at most `max`.
 */
export function alertView(all: Iterable<Alert>, nowMs: number, recentMs = RECENT_RESOLVED_MS, max = MAX_RESOLVED_SHOWN): AlertView {
  const firing: Alert[] = [];
  const resolved: Alert[] = [];
  for (const a of all) {
    if (a.status === 'firing') firing.push(a);
    else if (a.status === 'resolved' && nowMs - time(a.endsAt ?? a.startsAt) <= recentMs) resolved.push(a);
  }
  firing.sort((a, b) => sevRank(a.labels.severity) - sevRank(b.labels.severity) || time(b.startsAt) - time(a.startsAt));
  resolved.sort((a, b) => time(b.endsAt) - time(a.endsAt));
  return { firing, resolved: resolved.slice(0, max) };
}

interface AlertsState {
  map: Map<string, Alert>;
  error: string | null;
  loadedAt: number;
}

function createAlerts(): Readable<AlertsState> {
  let state: AlertsState = { map: new Map(), error: null, loadedAt: 0 };
  let frames: { at: number; alert: Alert }[] = [];
  const store = writable(state, (set) => {
    let stopped = false;
    let busy = false;
    const poll = async () => {
      if (busy) return;
      busy = true;
      const started = Date.now();
      try {
        const [firing, resolved] = await Promise.all([getAlerts('firing'), getAlerts('resolved')]);
        if (stopped) return;
        frames = frames.filter((f) => f.at >= started);
        const map = applyAlerts(applyAlerts(new Map(), [...resolved, ...firing]), frames.map((f) => f.alert));
        state = { map, error: null, loadedAt: Date.now() };
      } catch (e) {
        state = { ...state, error: e instanceof Error ? e.message : String(e) };
      } finally {
        busy = false;
      }
      if (!stopped) set(state);
    };
    const off = live.onAlert((alert) => {
      frames.push({ at: Date.now(), alert });
      if (frames.length > 500) frames = frames.slice(-500);
      state = { ...state, map: applyAlerts(state.map, [alert]) };
      set(state);
    });
    void poll();
    const timer = setInterval(poll, ALERT_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
      off();
    };
  });
  return { subscribe: store.subscribe };
}

export const alerts = createAlerts();

/** Ticks every 30 s so resolved alerts age out of the view without a poll. */
const minuteTick = writable(Date.now(), (set) => {
  const id = setInterval(() => set(Date.now()), 30_000);
  return () => clearInterval(id);
});

export const alertList = derived([alerts, minuteTick], ([$a, $t]) => ({
  ...alertView($a.map.values(), Math.max($t, Date.now())),
  error: $a.error,
  loadedAt: $a.loadedAt,
}));
