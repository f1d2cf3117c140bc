// One live-channel connection: its filter, its pending updates and its health.
// Updates are coalesced per scope (the newest wins) and sent at most once per
// `minIntervalMs` per scope. Nothing is written while the socket's send buffer is
// over `maxBufferedBytes`, so a client that stops reading costs at most that much
// memory; if it stays over for `slowGraceMs` it is closed.
import { scopeKey } from '../../../events/types.js';
import type { WebSocket } from 'ws';
import type { DashboardMetrics } from '../metrics.js';
import { iso } from '../queries/period.js';
import type { LiveSource } from './live-source.js';
import { CLOSE_CODES, LIVE_ERRORS, matches, parseClientMessage, type LiveAlert, type LiveFilter, type LiveScope, type ServerMessage } from './protocol.js';

export interface LiveClientOptions {
  /** Shortest time between two updates of one scope to one client (default 1000 ms). */
  minIntervalMs: number;
  /** Send-buffer level above which nothing more is written (default 1 MiB). */
  maxBufferedBytes: number;
  /** How long the buffer may stay above that before the client is closed (default 10 s). */
  slowGraceMs: number;
  /** Server ping interval (default 15 s). */
  heartbeatMs: number;
  /** A client that has not answered a ping for this long is terminated (default 30 s). */
  pongTimeoutMs: number;
}

export const DEFAULT_CLIENT_OPTIONS: LiveClientOptions = {
  minIntervalMs: 1000, maxBufferedBytes: 1 << 20, slowGraceMs: 10_000, heartbeatMs: 15_000, pongTimeoutMs: 30_000,
};

/**
 * Alerts waiting on a full buffer, at most. Unlike scope updates they cannot be
 * coalesced, so the oldest are dropped (and counted) beyond this.
 */
const MAX_PENDING_ALERTS = 100;
/** While updates wait on a full buffer, the buffer is looked at this often. */
const RECHECK_MS = 250;
/** A client still without a snapshot after this long gets an error frame saying why. */
const NOT_READY_NOTICE_MS = 5000;

export interface LiveClientDeps {
  socket: WebSocket;
  source: LiveSource;
  metrics: DashboardMetrics;
  options: LiveClientOptions;
  clock?: () => number;
  log: (msg: string, err?: unknown) => void;
}

/**
 * Each LiveScope the source emits is one object shared by every client, so it is
 * serialised once, not once per client: with 200 clients and 300 scopes the
 * per-client JSON.stringify took the others' updates past 2 s (docs/benchmarks.md).
 */
// LiveScope objects are never changed after the source emits them (each poll makes new ones).
const scopeJson = new WeakMap<LiveScope, string>();

/** The same text as JSON.stringify({ type, at, scopes }). */
export function scopesFrame(type: 'snapshot' | 'update', at: string, scopes: readonly LiveScope[]): string {
  const parts = scopes.map((s) => {
    let j = scopeJson.get(s);
    if (j === undefined) scopeJson.set(s, (j = JSON.stringify(s)));
    return j;
  });
  return `{"type":${JSON.stringify(type)},"at":${JSON.stringify(at)},"scopes":[${parts.join(',')}]}`;
}

export function attachLiveClient(d: LiveClientDeps): void {
  const { socket, source, metrics, options: o } = d;
  const clock = d.clock ?? Date.now;
  let filter: LiveFilter = {};
  const pending = new Map<string, LiveScope>();
  const alerts: LiveAlert[] = [];
  const lastSent = new Map<string, number>();
  let snapshotDue = false;
  let overSince: number | null = null;
  let lastPong = clock();
  let timer: NodeJS.Timeout | null = null;
  let timerAt = Infinity;
  let closed = false;
  let sourceReady = false;
  // A client kept waiting for its first snapshot (see the end) is told why.
  const notYet = setTimeout(() => reply({
    type: 'error', error: LIVE_ERRORS.unavailable,
    details: 'live figures are not available yet (is ClickHouse reachable?); the snapshot follows when they are',
  }), NOT_READY_NOTICE_MS);
  notYet.unref();

  const write = (m: ServerMessage): void => socket.send(JSON.stringify(m));
  const writeScopes = (type: 'snapshot' | 'update', at: number, scopes: readonly LiveScope[]): void => socket.send(scopesFrame(type, iso(at), scopes));
  const full = (): boolean => socket.bufferedAmount > o.maxBufferedBytes;

  /** Small replies (pong, error) are dropped rather than queued when the buffer is full. */
  function reply(m: ServerMessage): void {
    if (!full()) write(m);
  }

  function schedule(delay: number): void {
    if (closed) return;
    const at = clock() + Math.max(0, delay);
    if (timer && at >= timerAt) return;
    if (timer) clearTimeout(timer);
    timerAt = at;
    timer = setTimeout(flush, Math.max(0, delay));
  }

  /** true when the client was closed for being slow. */
  function checkSlow(now: number): boolean {
    if (!full()) {
      overSince = null;
      return false;
    }
    overSince ??= now;
    if (now - overSince < o.slowGraceMs) return false;
    metrics.liveDisconnects.inc({ reason: 'slow_consumer' });
    if (pending.size + alerts.length > 0) metrics.liveUpdatesDropped.inc({ reason: 'slow_consumer' }, pending.size + alerts.length);
    d.log(`closing a live client that has not read for ${now - overSince} ms (${socket.bufferedAmount} bytes buffered)`);
    shutdown();
    socket.close(CLOSE_CODES.slowConsumer, 'slow consumer: updates were not read; reconnect for a fresh snapshot');
    // The close frame sits behind the unread data, so a close handshake cannot finish.
    setTimeout(() => socket.terminate(), 1000).unref();
    return true;
  }

  function flush(): void {
    timer = null;
    timerAt = Infinity;
    if (closed) return;
    const now = clock();
    if (checkSlow(now)) return;
    if (overSince !== null) {
      if (pending.size > 0 || alerts.length > 0 || snapshotDue) schedule(RECHECK_MS);
      return;
    }
    for (const alert of alerts.splice(0)) write({ type: 'alert', alert });
    if (snapshotDue && sourceReady) {
      snapshotDue = false;
      const scopes = source.scopes().filter((s) => matches(filter, s));
      for (const s of scopes) {
        pending.delete(scopeKey(s));
        lastSent.set(scopeKey(s), now);
      }
      writeScopes('snapshot', now, scopes);
    }
    const due: LiveScope[] = [];
    let next = Infinity;
    for (const [key, scope] of pending) {
      const ready = (lastSent.get(key) ?? -Infinity) + o.minIntervalMs;
      if (ready <= now) due.push(scope);
      else next = Math.min(next, ready);
    }
    if (due.length > 0) {
      for (const s of due) {
        pending.delete(scopeKey(s));
        lastSent.set(scopeKey(s), now);
      }
      writeScopes('update', now, due);
      metrics.liveUpdatesSent.inc(due.length);
    }
    if (pending.size > 0) schedule(next - now);
  }

  function onUpdate(changed: LiveScope[]): void {
    let added = false;
    for (const s of changed) {
      if (!matches(filter, s)) continue;
      const key = scopeKey(s);
      if (pending.has(key)) metrics.liveUpdatesDropped.inc({ reason: 'coalesced' });
      pending.set(key, s);
      added = true;
    }
    if (added) schedule(0);
  }

  function onAlert(alert: LiveAlert): void {
    if (!matches(filter, alert.labels)) return;
    alerts.push(alert);
    if (alerts.length > MAX_PENDING_ALERTS) {
      alerts.shift();
      metrics.liveUpdatesDropped.inc({ reason: 'alert_overflow' });
    }
    schedule(0);
  }

  function onMessage(data: unknown, isBinary: boolean): void {
    if (isBinary) return reply({ type: 'error', error: LIVE_ERRORS.badMessage, details: 'binary frames are not supported; send JSON text' });
    const parsed = parseClientMessage(String(data));
    if (!parsed.ok) return reply({ type: 'error', error: LIVE_ERRORS.badMessage, details: parsed.details });
    if (parsed.message.type === 'ping') return reply({ type: 'pong' });
    filter = parsed.message.filter;
    // Updates queued under the old filter are superseded by the new snapshot.
    pending.clear();
    snapshotDue = true;
    schedule(0);
  }

  const heartbeat = setInterval(() => {
    const now = clock();
    if (now - lastPong > o.pongTimeoutMs) {
      metrics.liveDisconnects.inc({ reason: 'no_pong' });
      shutdown();
      socket.terminate();
      return;
    }
    if (checkSlow(now)) return;
    socket.ping();
  }, o.heartbeatMs);
  heartbeat.unref();

  const unsubscribe = source.subscribe(onUpdate);
  const unsubscribeAlerts = source.subscribeAlerts(onAlert);

  function shutdown(): void {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    clearTimeout(notYet);
    if (timer) clearTimeout(timer);
    unsubscribe();
    unsubscribeAlerts();
    metrics.liveClients.dec();
  }

  metrics.liveClients.inc();
  socket.on('message', onMessage);
  socket.on('pong', () => { lastPong = clock(); });
  socket.on('close', shutdown);
  socket.on('error', (err) => {
    d.log('live client socket error', err);
    shutdown();
  });

  // The first snapshot waits for the source's first load, so it is never empty
  // merely because the server just started.
  source.ready().then(() => {
    clearTimeout(notYet);
    sourceReady = true;
    if (closed) return;
    snapshotDue = true;
    flush();
  }, (err: unknown) => d.log('live source never became ready', err));
}
