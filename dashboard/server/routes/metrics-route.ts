// GET /metrics (CONTRACT.md section 5): Prometheus text format. It needs the read
// scope when tokens are configured, as every endpoint but /healthz and /readyz.
import type { FastifyPluginAsync } from 'fastify';
import type { Registry } from 'prom-client';

export const metricsRoute: FastifyPluginAsync<{ registry: Registry }> = async (app, o) => {
  app.get('/metrics', { config: { scope: 'read' } }, async (_req, reply) =>
    reply.type(o.registry.contentType).send(await o.registry.metrics()));
};
