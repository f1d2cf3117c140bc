// Pushes alert transitions to live clients as the evaluator writes them. Like the
// figures, it polls ClickHouse (rows newer than the last look, with an overlap for
// rows stamped just before it), so it works whether the evaluator runs in this
// process or in its own container. It pushes the newest state of each occurrence:
// an alert that fired and resolved within one evaluation (catching up on history)
// arrives resolved, which is what the panel shows anyway; the topic and the
// webhooks carry every transition.
import type { Alert } from '../../../events/alerts.js';
import type { Db } from '../../../infra/clickhouse/client.js';
import { createPollLoop, type PollLoop } from '../../../infra/poll-loop.js';
import { alertsWrittenSince } from '../queries/alerts.js';
import { serverNow } from './live-queries.js';

export interface AlertFeedOptions {
  db: Db;
  broadcast: (alert: Alert) => void;
  pollMs?: number;
  overlapMs?: number;
  log: (msg: string) => void;
}

export type AlertFeed = PollLoop;

/** Transitions remembered to drop the overlap's repeats; far more than one overlap holds. */
const SEEN_MAX = 10_000;

export function createAlertFeed(o: AlertFeedOptions): AlertFeed {
  const pollMs = o.pollMs ?? 1000;
  const overlapMs = o.overlapMs ?? 2000;
  const seen = new Set<string>();
  let since: number | null = null;

  async function poll(): Promise<void> {
    // Start from now: clients load history from /api/v1/alerts, the feed only adds news.
    if (since === null) since = (await serverNow(o.db)) - overlapMs;
    const pollStart = await serverNow(o.db);
    for (const a of await alertsWrittenSince(o.db, since)) {
      const key = `${a.fingerprint}|${a.startsAt}|${a.status}`;
      if (seen.has(key)) continue;
      seen.add(key);
      if (seen.size > SEEN_MAX) seen.delete(seen.values().next().value!);
      o.broadcast(a);
    }
    since = pollStart - overlapMs;
  }

  // Nothing is lost by a failed poll: `since` only moves after a successful one.
  return createPollLoop({ what: 'alert feed poll', intervalMs: pollMs, run: poll, log: o.log });
}
