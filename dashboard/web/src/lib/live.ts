// The live channel (/api/v1/live) as a Svelte store: one WebSocket, reopened with
// exponential backoff and jitter; a snapshot replaces every scope, an update
// replaces the scopes it carries.
//
// Stale = no frame of any kind (snapshot, update, pong, alert) for STALE_AFTER_MS,
// whether the socket is closed, stuck connecting or open but silent. A ping goes
// out every PING_EVERY_MS, so a healthy but quiet server still answers (updates
// only carry changed scopes). A socket silent for DEAD_AFTER_MS, or still not open
// after CONNECT_TIMEOUT_MS, is dropped and reopened; the server's snapshot on
// connect resumes the view. A short blip (reconnect within a few seconds) never
// shows the banner, which is what a wall read from 3 m away needs.
import { writable, type Readable } from 'svelte/store';
import { liveUrl } from './api.js';
import type { Alert, LiveScope } from './types.js';

export const STALE_AFTER_MS = 10_000;
export const PING_EVERY_MS = 4_000;
export const DEAD_AFTER_MS = 12_000;
export const CONNECT_TIMEOUT_MS = 10_000;
export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 10_000;

export type LiveStatus = 'connecting' | 'open' | 'closed';

export interface LiveState {
  status: LiveStatus;
  /** Scopes sorted by service then region. */
  scopes: LiveScope[];
  /** Server time of the last snapshot or update. */
  at: string | null;
  /** Client time (ms) of the last frame of any kind; 0 = none yet. */
  lastMessageAt: number;
  /** Client time (ms) of the last snapshot or update (figures changed). */
  lastDataAt: number;
  stale: boolean;
  /** Failed attempts since the last snapshot. */
  attempts: number;
  nextRetryAt: number | null;
  error: string | null;
}

export interface LiveFilter {
  service?: string;
  region?: string;
}

/** Pure: the delay before reconnect attempt `attempt` (0-based), ±20 % jitter. */
export function backoffDelay(attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, Math.min(attempt, 30)));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

/**
 * Pure: stale when nothing arrived for more than `limitMs`, counted from the last
 * frame, or from the start when no frame ever arrived.
 */
export function isStale(lastMessageAt: number, startedAt: number, nowMs: number, limitMs = STALE_AFTER_MS): boolean {
  return nowMs - (lastMessageAt || startedAt) > limitMs;
}

const key = (s: { service: string; region: string }) => `${s.service}\u0000${s.region}`;

/** Pure: scopes after a frame (a snapshot replaces, an update merges). */
export function applyScopes(current: Map<string, LiveScope>, scopes: LiveScope[], replace: boolean): Map<string, LiveScope> {
  const next = replace ? new Map<string, LiveScope>() : new Map(current);
  for (const s of scopes) if (s && typeof s.service === 'string' && typeof s.region === 'string') next.set(key(s), s);
  return next;
}

export const sortedScopes = (m: Map<string, LiveScope>): LiveScope[] =>
  [...m.values()].sort((a, b) => a.service.localeCompare(b.service) || a.region.localeCompare(b.region));

/** Distinct services and regions seen in the scopes, sorted. */
export function dimensions(scopes: LiveScope[]): { services: string[]; regions: string[] } {
  const services = [...new Set(scopes.map((s) => s.service))].sort();
  const regions = [...new Set(scopes.map((s) => s.region))].sort();
  return { services, regions };
}

export interface LiveChannel extends Readable<LiveState> {
  /** Idempotent; every view that needs the channel calls it. */
  start(): void;
  stop(): void;
  setFilter(filter: LiveFilter): void;
  onAlert(fn: (a: Alert) => void): () => void;
}

interface Frame {
  type?: string;
  at?: string;
  scopes?: LiveScope[];
  alert?: Alert;
  error?: string;
  details?: string;
}

export function createLive(opts: { url?: () => string; now?: () => number } = {}): LiveChannel {
  const url = opts.url ?? liveUrl;
  const now = opts.now ?? Date.now;
  let startedAt = now();
  let scopes = new Map<string, LiveScope>();
  let ws: WebSocket | null = null;
  let running = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let tick: ReturnType<typeof setInterval> | null = null;
  let lastPing = 0;
  let openingSince = 0;
  let filter: LiveFilter = {};
  const alertFns = new Set<(a: Alert) => void>();

  let state: LiveState = {
    status: 'connecting',
    scopes: [],
    at: null,
    lastMessageAt: 0,
    lastDataAt: 0,
    stale: false,
    attempts: 0,
    nextRetryAt: null,
    error: null,
  };
  const store = writable<LiveState>(state);
  const set = (patch: Partial<LiveState>) => {
    state = { ...state, ...patch };
    state.stale = isStale(state.lastMessageAt, startedAt, now());
    store.set(state);
  };

  const send = (msg: unknown) => {
    if (ws && ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify(msg));
  };

  function drop(sock: WebSocket | null, code: number, reason: string) {
    if (!sock) return;
    sock.onopen = sock.onmessage = sock.onclose = sock.onerror = null;
    try {
      sock.close(code, reason);
    } catch {
      /* already closing */
    }
  }

  function connect() {
    if (!running) return;
    retryTimer = null;
    openingSince = now();
    set({ status: 'connecting', nextRetryAt: null });
    let sock: WebSocket;
    try {
      sock = new WebSocket(url());
    } catch (e) {
      scheduleRetry(String(e));
      return;
    }
    ws = sock;
    sock.onopen = () => {
      lastPing = now();
      set({ status: 'open', error: null });
      if (filter.service || filter.region) send({ type: 'subscribe', filter });
    };
    sock.onmessage = (ev) => onFrame(String(ev.data));
    sock.onclose = (ev) => {
      if (ws !== sock) return;
      ws = null;
      scheduleRetry(ev.code === 1000 ? null : `closed (${ev.code}${ev.reason ? ` ${ev.reason}` : ''})`);
    };
    sock.onerror = () => {
      /* onclose follows */
    };
  }

  function onFrame(text: string) {
    let msg: Frame;
    try {
      msg = JSON.parse(text) as Frame;
    } catch {
      return;
    }
    const t = now();
    switch (msg.type) {
      case 'snapshot':
        scopes = applyScopes(scopes, msg.scopes ?? [], true);
        set({ scopes: sortedScopes(scopes), at: msg.at ?? null, lastMessageAt: t, lastDataAt: t, attempts: 0, error: null });
        break;
      case 'update':
        scopes = applyScopes(scopes, msg.scopes ?? [], false);
        set({ scopes: sortedScopes(scopes), at: msg.at ?? state.at, lastMessageAt: t, lastDataAt: t });
        break;
      case 'alert':
        set({ lastMessageAt: t });
        if (msg.alert) for (const fn of alertFns) fn(msg.alert);
        break;
      case 'error':
        set({ lastMessageAt: t, error: `${msg.error ?? 'error'}: ${msg.details ?? ''}` });
        break;
      default: // pong and anything newer: the channel is alive
        set({ lastMessageAt: t });
    }
  }

  function scheduleRetry(error: string | null) {
    if (!running) return;
    const delay = backoffDelay(state.attempts);
    set({ status: 'closed', attempts: state.attempts + 1, nextRetryAt: now() + delay, error });
    retryTimer = setTimeout(connect, delay);
  }

  function onTick() {
    const t = now();
    if (state.status === 'open') {
      if (t - lastPing >= PING_EVERY_MS) {
        lastPing = t;
        send({ type: 'ping' });
      }
      if (t - Math.max(state.lastMessageAt, openingSince) > DEAD_AFTER_MS) {
        const dead = ws;
        ws = null;
        drop(dead, 4000, 'silent');
        scheduleRetry(`no frame for ${Math.round(DEAD_AFTER_MS / 1000)} s`);
        return;
      }
    } else if (state.status === 'connecting' && t - openingSince > CONNECT_TIMEOUT_MS) {
      const stuck = ws;
      ws = null;
      drop(stuck, 4000, 'connect timeout');
      scheduleRetry('connect timeout');
      return;
    }
    // Only the stale flag moves with time; don't wake subscribers for nothing.
    if (isStale(state.lastMessageAt, startedAt, t) !== state.stale) set({});
  }

  return {
    subscribe: store.subscribe,
    start() {
      if (running) return;
      running = true;
      startedAt = now();
      connect();
      tick = setInterval(onTick, 500);
    },
    stop() {
      running = false;
      if (retryTimer) clearTimeout(retryTimer);
      if (tick) clearInterval(tick);
      retryTimer = tick = null;
      const s = ws;
      ws = null;
      drop(s, 1000, 'bye');
      set({ status: 'closed' });
    },
    setFilter(f: LiveFilter) {
      filter = { ...f };
      send({ type: 'subscribe', filter });
    },
    onAlert(fn) {
      alertFns.add(fn);
      return () => alertFns.delete(fn);
    },
  };
}

/** The page's one live channel, shared by the views. */
export const live: LiveChannel = createLive();
