// The dashboard server's parts on a fastify app from infra/http/create-app.ts:
// query API, readiness, metrics, live channel, security headers and the web app.
// No listen() here: `bin/start.ts` and `dashboard/server/main.ts` listen; tests
// call inject() or listen on port 0.
import { fileURLToPath } from 'node:url';
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import type { TokenGrant } from '../../infra/config.js';
import type { Db } from '../../infra/clickhouse/client.js';
import { createAuthenticator, type Authenticator } from '../../infra/http/auth.js';
import type { SlaConfig } from '../../infra/sla-config.js';
import { DEFAULT_CLIENT_OPTIONS, type LiveClientOptions } from './live/live-client.js';
import { createAlertFeed } from './live/alert-feed.js';
import { liveRoute } from './live/live-route.js';
import type { LiveSource } from './live/live-source.js';
import { dashboardMetrics } from './metrics.js';
import { alertsRoute } from './routes/alerts-route.js';
import { incidentsRoute } from './routes/incidents-route.js';
import { ticketsRoute } from './routes/tickets-route.js';
import { kpisRoute } from './routes/kpis-route.js';
import { metricsRoute } from './routes/metrics-route.js';
import { readyzRoute, type ReadinessCheck } from './routes/readyz-route.js';
import { seriesRoute } from './routes/series-route.js';
import { slaRoute } from './routes/sla-route.js';
import { hasWebBuild, webRoute } from './web-route.js';

export { createLiveSource, type LiveSource, type LiveSourceOptions } from './live/live-source.js';
export type { ReadinessCheck } from './routes/readyz-route.js';

export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../web/dist/', import.meta.url));

export interface DashboardOptions {
  db: Db;
  sla: SlaConfig;
  registry: Registry;
  liveSource: LiveSource;
  /**
   * The tokens of createApp's config: HTTP routes are checked by createApp's hook,
   * the live channel (whose token may come as a query parameter) checks them here.
   */
  tokens: TokenGrant[] | null;
  /** Readiness checks besides ClickHouse (the composition root passes Kafka). */
  checks?: readonly ReadinessCheck[];
  /** Built web app; default dashboard/web/dist. Not served when it has no index.html. */
  webRoot?: string | null;
  /** Longest period of a query, days (default 400). */
  maxPeriodDays?: number;
  /** Most points of a series (default 50,000). */
  maxPoints?: number;
  /** Origins allowed on the live channel; default null = same host only. */
  allowedOrigins?: readonly string[] | null;
  live?: Partial<LiveClientOptions>;
  /** How often the live channel looks for new alert transitions (default 1000 ms). */
  alertPollMs?: number;
  /** Wall clock, epoch ms (tests). */
  now?: () => number;
}

/** Content-Security-Policy: same-origin code, inline styles (Svelte sets style attributes), ws:/wss: to this host. */
const CSP = {
  useDefaults: false,
  directives: {
    defaultSrc: ["'self'"],
    scriptSrc: ["'self'"],
    styleSrc: ["'self'", "'unsafe-inline'"],
    imgSrc: ["'self'", 'data:'],
    fontSrc: ["'self'", 'data:'],
    connectSrc: ["'self'", 'ws:', 'wss:'],
    objectSrc: ["'none'"],
    baseUri: ["'self'"],
    frameAncestors: ["'none'"],
    formAction: ["'self'"],
  },
};

export async function registerDashboard(app: FastifyInstance, o: DashboardOptions): Promise<void> {
  const metrics = dashboardMetrics(o.registry);
  const auth: Authenticator = createAuthenticator(o.tokens);
  const query = {
    db: o.db, metrics, now: o.now ?? Date.now,
    limits: { maxPeriodDays: o.maxPeriodDays ?? 400, maxPoints: o.maxPoints ?? 50_000 },
  };
  // HSTS is left to the TLS-terminating proxy: sent over plain HTTP it is ignored,
  // and on a shared host name it would force HTTPS onto unrelated services.
  await app.register(helmet, { contentSecurityPolicy: CSP, strictTransportSecurity: false });
  await app.register(kpisRoute, { prefix: '/api/v1', ...query });
  await app.register(seriesRoute, { prefix: '/api/v1', ...query });
  await app.register(slaRoute, { prefix: '/api/v1', ...query, sla: o.sla });
  await app.register(incidentsRoute, { prefix: '/api/v1', ...query });
  await app.register(alertsRoute, { prefix: '/api/v1', ...query });
  await app.register(ticketsRoute, { prefix: '/api/v1', ...query, sla: o.sla });
  await app.register(readyzRoute, { db: o.db, checks: o.checks ?? [] });
  await app.register(metricsRoute, { registry: o.registry });
  await app.register(liveRoute, {
    prefix: '/api/v1', source: o.liveSource, auth, metrics,
    client: { ...DEFAULT_CLIENT_OPTIONS, ...o.live }, allowedOrigins: o.allowedOrigins ?? null,
  });
  const webRoot = o.webRoot === undefined ? DEFAULT_WEB_ROOT : o.webRoot;
  if (webRoot !== null && hasWebBuild(webRoot)) await app.register(webRoute, { root: webRoot });
  else app.log.info(`no built dashboard in ${webRoot}: serving the API only (npm run build:web builds it)`);

  const alertFeed = createAlertFeed({
    db: o.db, broadcast: (a) => o.liveSource.broadcastAlert(a), pollMs: o.alertPollMs ?? 1000,
    log: (m) => app.log.warn(m),
  });
  app.addHook('onReady', async () => {
    o.liveSource.start();
    alertFeed.start();
  });
  app.addHook('onClose', async () => {
    await alertFeed.stop();
    await o.liveSource.stop();
  });
}
