// Change detection for the live channel. It polls ClickHouse for rows written
// since its last look, so it works whether the processors run in this process
// (`npm start`, which also calls notify() after every flush) or in another
// container (docker-compose). It keeps the current LiveScope of every scope and
// tells listeners which ones changed.
import type { Registry } from 'prom-client';
import { scopeKey, type Scope } from '../../../events/types.js';
import type { Db } from '../../../infra/clickhouse/client.js';
import { dashboardMetrics, timed, type DashboardMetrics } from '../metrics.js';
import { endOfCurrentMinute } from '../queries/period.js';
import { changedScopes, computeLiveScopes, liveUniverse, serverNow } from './live-queries.js';
import type { LiveAlert, LiveScope } from './protocol.js';

export interface LiveSourceOptions {
  db: Db;
  registry?: Registry;
  /** Poll interval, ms (default 500). */
  pollMs?: number;
  /**
   * Each poll looks back this far before the previous poll's server time (default
   * 2000 ms): a row whose `updated_at` was stamped just before that time may only
   * become visible after it. Re-reading a scope is harmless: unchanged figures
   * are not re-sent.
   */
  overlapMs?: number;
  /** Scopes with an open outage are re-sent at least this often (default 30 s), so downtime and ages tick. */
  outageRepushMs?: number;
  clock?: () => number;
  log?: (msg: string, err?: unknown) => void;
}

export type LiveListener = (changed: LiveScope[]) => void;
export type AlertListener = (alert: LiveAlert) => void;

export interface LiveSource {
  /** Starts polling; the first poll loads every scope. Idempotent. */
  start(): void;
  stop(): Promise<void>;
  /** Poll now (an in-process processor calls this after writing rows). */
  notify(): void;
  /** Resolves after the first successful load. */
  ready(): Promise<void>;
  /** Every known scope's current figures, sorted by service and region. */
  scopes(): LiveScope[];
  /** Calls `listener` with the scopes whose figures changed; returns an unsubscribe function. */
  subscribe(listener: LiveListener): () => void;
  /**
   * Pushes an alert to every connected client whose filter matches it, as it is
   * (alerts are events, not state: never coalesced, not part of snapshots).
   */
  broadcastAlert(alert: LiveAlert): void;
  /** Calls `listener` with every broadcast alert; returns an unsubscribe function. */
  subscribeAlerts(listener: AlertListener): () => void;
}

/** The part of a LiveScope that, when it differs, is worth sending. */
const signature = (s: LiveScope): string => JSON.stringify([s.kpis, s.lastHour, s.activeOutages, s.provisional]);

export function createLiveSource(o: LiveSourceOptions): LiveSource {
  const pollMs = o.pollMs ?? 500;
  const overlapMs = o.overlapMs ?? 2000;
  const repushMs = o.outageRepushMs ?? 30_000;
  const clock = o.clock ?? Date.now;
  const metrics: DashboardMetrics | null = o.registry ? dashboardMetrics(o.registry) : null;
  const cache = new Map<string, { scope: LiveScope; sig: string }>();
  const listeners = new Set<LiveListener>();
  const alertListeners = new Set<AlertListener>();
  let since = 0;
  let lastMinute = 0;
  let lastRepush = 0;
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let failing = false;
  const log = o.log ?? ((msg: string, err?: unknown) => console.error(`[live] ${msg}${err ? `: ${(err as Error).message ?? String(err)}` : ''}`));
  let markReady: () => void = () => {};
  const readyPromise = new Promise<void>((r) => { markReady = r; });

  async function poll(): Promise<void> {
    const now = clock();
    const minute = endOfCurrentMinute(now);
    const targets = new Map<string, Scope>();
    const forced = new Set<string>();
    const full = minute !== lastMinute;
    if (full) {
      // A new minute moves both live periods (and a new day restarts one), so
      // every scope's figures are recomputed, and the universe is refreshed: a
      // scope quiet for a day leaves it.
      const startedAt = await serverNow(o.db);
      for (const s of await liveUniverse(o.db, now)) targets.set(scopeKey(s), s);
      if (since === 0) since = startedAt - overlapMs;
    }
    const changed = await changedScopes(o.db, since, now);
    for (const s of changed.scopes) targets.set(scopeKey(s), s);
    if (now - lastRepush >= repushMs) {
      lastRepush = now;
      for (const [key, { scope }] of cache) if (scope.activeOutages > 0) { targets.set(key, scope); forced.add(key); }
    }
    const computed = await computeLiveScopes(o.db, [...targets.values()], now);
    since = changed.serverNow - overlapMs;
    if (full) {
      lastMinute = minute;
      for (const key of cache.keys()) if (!targets.has(key)) cache.delete(key);
    }
    const out: LiveScope[] = [];
    for (const scope of computed) {
      const key = scopeKey(scope);
      const sig = signature(scope);
      const prev = cache.get(key);
      cache.set(key, { scope, sig });
      if (!prev || prev.sig !== sig || forced.has(key)) out.push(scope);
    }
    markReady();
    if (out.length === 0) return;
    for (const l of listeners) {
      try {
        l(out);
      } catch (err) {
        // One broken listener (a client) must not stop the others or the polling.
        log('live listener failed', err);
      }
    }
  }

  function schedule(delay: number): void {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(run, delay);
  }

  function run(): void {
    timer = null;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = (metrics ? timed(metrics, 'live_poll', poll) : poll())
      .then(() => {
        if (failing) log('live poll recovered');
        failing = false;
      }, (err: unknown) => {
        // The next poll retries; `since` only advances after a successful one,
        // so no change is lost. Logged once per outage, counted every time.
        metrics?.livePollErrors.inc();
        if (!failing) log('live poll failed; retrying every poll', err);
        failing = true;
      })
      .finally(() => {
        inFlight = null;
        if (again) {
          again = false;
          schedule(0);
        } else {
          schedule(pollMs);
        }
      });
  }

  return {
    start() {
      if (running) return;
      running = true;
      schedule(0);
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await inFlight;
    },
    notify() {
      if (!running) return;
      if (inFlight) again = true;
      else schedule(0);
    },
    ready: () => readyPromise,
    scopes: () => [...cache.values()].map((c) => c.scope)
      .sort((a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : a.region < b.region ? -1 : a.region > b.region ? 1 : 0)),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    broadcastAlert(alert) {
      for (const l of alertListeners) {
        try {
          l(alert);
        } catch (err) {
          // As for updates: one broken client must not keep the alert from the others.
          log('live alert listener failed', err);
        }
      }
    },
    subscribeAlerts(listener) {
      alertListeners.add(listener);
      return () => alertListeners.delete(listener);
    },
  };
}
