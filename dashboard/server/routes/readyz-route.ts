// GET /readyz (CONTRACT.md section 5): 200 when every dependency answers, else
// 503 naming the ones that did not. Public, like /healthz, for orchestrators.
import type { FastifyPluginAsync } from 'fastify';
import type { Db } from '../../../infra/clickhouse/client.js';

export interface ReadinessCheck {
  name: string;
  /** Resolves when the dependency is reachable; rejects with the reason otherwise. */
  check(): Promise<void>;
}

export interface ReadyzOptions {
  db: Db;
  /** Further checks from the composition root (Kafka). ClickHouse is always checked. */
  checks: readonly ReadinessCheck[];
  timeoutMs?: number;
}

function withTimeout(p: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms); });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export const readyzRoute: FastifyPluginAsync<ReadyzOptions> = async (app, o) => {
  const checks: ReadinessCheck[] = [
    { name: 'clickhouse', check: async () => { await o.db.client.command({ query: 'SELECT 1' }); } },
    ...o.checks,
  ];
  app.get('/readyz', async (req, reply) => {
    const results = await Promise.all(checks.map(async (c) => {
      try {
        await withTimeout(c.check(), o.timeoutMs ?? 3000);
        return [c.name, 'ok'] as const;
      } catch (err) {
        return [c.name, (err as Error).message || String(err)] as const;
      }
    }));
    const failed = results.filter(([, r]) => r !== 'ok');
    const status = Object.fromEntries(results);
    if (failed.length === 0) return { status: 'ready', checks: status };
    req.log.warn({ failed }, 'not ready');
    return reply.status(503).send({
      error: 'SQA_E_UNAVAILABLE', details: failed.map(([n, r]) => `${n}: ${r}`).join('; '), checks: status,
    });
  });
};
