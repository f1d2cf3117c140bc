// The dashboard server's query API over a test database, frozen at `now`, with
// bearer tokens: what the API tests call with inject().
import type { FastifyInstance } from 'fastify';
import { Registry } from 'prom-client';
import type { Db } from '../../infra/clickhouse/client.js';
import { parseTokens } from '../../infra/config.js';
import { createApp } from '../../infra/http/create-app.js';
import { loadSlaConfig } from '../../infra/sla-config.js';
import { createLiveSource, registerDashboard } from '../../dashboard/server/app.js';

export async function queryApp(db: Db, now: number, tokens: string): Promise<FastifyInstance> {
  const registry = new Registry();
  const grants = parseTokens(tokens);
  const { app } = createApp({ config: { tokens: grants, maxBodyBytes: 1 << 20 }, logger: false });
  await registerDashboard(app, {
    db, sla: loadSlaConfig(), registry, tokens: grants, webRoot: null, now: () => now,
    liveSource: createLiveSource({ db, registry, pollMs: 60_000, clock: () => now }),
  });
  await app.ready();
  return app;
}
