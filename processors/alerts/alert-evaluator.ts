// Runs the alert engine (core/alerts) over the processors' stored output: every
// tick it finds the minutes that became final since its last look, feeds them to
// the engine scope by scope in event-time order, and delivers the transitions to
// the alerts table, the `sqa.alerts` topic, webhooks and in-process listeners.
//
// Restart-safe without its own snapshots: the next minute per scope is saved after
// every delivery; on start it replays the preceding days (burn windows reach back 3
// days, baselines remember ~3) quietly and delivers only from the saved minute on.
// A crash between delivery and saving re-delivers a few transitions: at least once,
// and idempotent in the table (same row) and for Alertmanager receivers (same fingerprint).
import type { Alert } from '../../events/alerts.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { createPollLoop } from '../../infra/poll-loop.js';
import { AlertEngine, type AlertEngineOptions } from '../core/alerts/alert-engine.js';
import { MINUTE_MS } from '../core/alerts/minute-input.js';
import { buildMinuteInputs } from '../core/alerts/minute-inputs.js';
import { loadProgress, saveAlerts, saveProgress } from './alert-store.js';
import { finalMinutes, minuteRollups, outageIntervals, scopeKey } from './minute-source.js';

const DAY = 86_400_000;

export interface AlertEvaluatorOptions extends AlertEngineOptions {
  db: Db;
  /** Extra deliveries after the table: the topic (awaited, retried with the table) and fire-and-forget ones. */
  publish?: (alerts: readonly Alert[]) => Promise<void>;
  notify?: (alerts: readonly Alert[]) => void;
  intervalMs: number;
  log: (msg: string) => void;
  /** How far before the saved progress a restart replays (default 4 days). */
  replayMs?: number;
  /** Largest time range read from ClickHouse at once (default 6 h). */
  chunkMs?: number;
  /** How often the whole rollup table is searched for new scopes (default 10 min of wall time). */
  fullScanMs?: number;
  clock?: () => number;
}

export interface AlertEvaluator {
  start(): void;
  stop(): Promise<void>;
  /** One evaluation pass; returns the transitions it delivered. */
  evaluateOnce(): Promise<Alert[]>;
  /** Alerts firing now in the engine (delivered or waiting in the outbox). */
  active(): Alert[];
}

interface ScopeCursor {
  service: string;
  region: string;
  /** Start of the next minute to evaluate. */
  next: number;
  /** Transitions of minutes before this were delivered by an earlier run. */
  deliverFrom: number;
  complete: number;
}

export function createAlertEvaluator(o: AlertEvaluatorOptions): AlertEvaluator {
  const engine = new AlertEngine(o);
  const replayMs = o.replayMs ?? 4 * DAY;
  const chunkMs = o.chunkMs ?? 6 * 3_600_000;
  const fullScanMs = o.fullScanMs ?? 10 * 60_000;
  const clock = o.clock ?? Date.now;
  let lastFullScan = -Infinity;
  const cursors = new Map<string, ScopeCursor>();
  let saved: Map<string, number> | null = null;
  /** Transitions evaluated but not yet durably delivered: retried next tick. */
  let outbox: Alert[] = [];
  const moved = new Set<ScopeCursor>();

  async function advance(): Promise<void> {
    saved ??= await loadProgress(o.db);
    // Between full scans only the recent end of the table is read: known scopes need just
    // their newest final minute. A scope that appears with data a day older than every
    // known one (a backfill) is found by the next full scan.
    const full = clock() - lastFullScan >= fullScanMs || cursors.size === 0;
    const known = [...cursors.values()].map((c) => c.complete);
    const since = full ? null : Math.min(...known) - DAY;
    if (full) lastFullScan = clock();
    for (const s of await finalMinutes(o.db, since)) {
      const key = scopeKey(s.service, s.region);
      let c = cursors.get(key);
      if (c === undefined) {
        const resumeAt = saved.get(key);
        // From a bounded scan `first` may be later than the scope's true first minute;
        // the replay then starts there, which only shortens its warm-up.
        const next = Math.max(s.first, (resumeAt ?? s.completeThrough) - replayMs);
        c = { service: s.service, region: s.region, next: next - (next % MINUTE_MS), deliverFrom: resumeAt ?? -Infinity, complete: s.completeThrough };
        cursors.set(key, c);
      }
      c.complete = s.completeThrough;
    }
    let pending = [...cursors.values()].filter((c) => c.next < c.complete);
    while (pending.length > 0) {
      const from = Math.min(...pending.map((c) => c.next));
      const to = Math.min(from + chunkMs, Math.max(...pending.map((c) => c.complete)));
      const [rollups, outages] = await Promise.all([minuteRollups(o.db, from, to), outageIntervals(o.db, from, to)]);
      for (const c of pending) {
        const end = Math.min(to, c.complete);
        if (c.next >= end) continue;
        const key = scopeKey(c.service, c.region);
        for (const m of buildMinuteInputs(c.next, end, rollups.get(key) ?? [], outages.get(key) ?? [])) {
          const changes = engine.step(c.service, c.region, m);
          if (m.start >= c.deliverFrom) outbox.push(...changes);
        }
        c.next = end;
        moved.add(c);
      }
      pending = pending.filter((c) => c.next < c.complete);
    }
  }

  async function deliver(): Promise<Alert[]> {
    const batch = outbox;
    if (batch.length > 0) {
      await saveAlerts(o.db, batch);
      await o.publish?.(batch);
      outbox = [];
      o.notify?.(batch);
    }
    const progress = [...moved].map((c) => ({ service: c.service, region: c.region, next: c.next }));
    await saveProgress(o.db, progress);
    moved.clear();
    return batch;
  }

  async function evaluateOnce(): Promise<Alert[]> {
    await advance();
    return deliver();
  }

  // Nothing is lost by a failed run: undelivered transitions stay in the outbox and
  // progress is only saved after them.
  const loop = createPollLoop({ what: 'alert evaluation', intervalMs: o.intervalMs, run: evaluateOnce, log: o.log });

  return {
    start: () => loop.start(),
    stop: () => loop.stop(),
    evaluateOnce,
    active: () => engine.active(),
  };
}
