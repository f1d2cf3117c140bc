// Instrumentation of the dashboard server, exposed by /metrics through the
// registry the composition root passes in. Made once per registry: the live source
// and the routes both ask for it, and prom-client refuses a metric name twice.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

function create(registry: Registry) {
  const registers = [registry];
  return {
    liveClients: new Gauge({ name: 'sqa_live_clients', help: 'Open WebSocket clients of /api/v1/live', registers }),
    liveUpdatesSent: new Counter({ name: 'sqa_live_scope_updates_sent_total', help: 'Scope updates sent to live clients', registers }),
    liveUpdatesDropped: new Counter({
      name: 'sqa_live_scope_updates_dropped_total',
      help: 'Scope updates not sent to a live client: coalesced (a newer one replaced it) or discarded with a slow client',
      labelNames: ['reason'], registers,
    }),
    liveDisconnects: new Counter({
      name: 'sqa_live_disconnects_total', help: 'Live clients closed by the server, by reason', labelNames: ['reason'], registers,
    }),
    livePollErrors: new Counter({ name: 'sqa_live_poll_errors_total', help: 'Failed change polls of the live source (retried at the next poll)', registers }),
    queryDuration: new Histogram({
      name: 'sqa_query_duration_seconds', help: 'Duration of dashboard queries, by query',
      labelNames: ['query'], buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10], registers,
    }),
  };
}

export type DashboardMetrics = ReturnType<typeof create>;

const byRegistry = new WeakMap<Registry, DashboardMetrics>();

export function dashboardMetrics(registry: Registry): DashboardMetrics {
  let m = byRegistry.get(registry);
  if (!m) byRegistry.set(registry, (m = create(registry)));
  return m;
}

/** Runs a query and records its duration under `query`. */
export async function timed<T>(metrics: DashboardMetrics, query: string, run: () => Promise<T>): Promise<T> {
  const end = metrics.queryDuration.startTimer({ query });
  try {
    return await run();
  } finally {
    end();
  }
}
