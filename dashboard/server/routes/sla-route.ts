// GET /api/v1/sla?service=&from=&to= (CONTRACT.md sections 4 and 5).
import type { FastifyPluginAsync } from 'fastify';
import type { SlaConfig } from '../../../infra/sla-config.js';
import { sla } from '../queries/sla.js';
import { timed } from '../metrics.js';
import { parsePeriod, rejectUnknown, requiredName, type RawQuery } from './query-params.js';
import type { QueryRouteOptions } from './query-route-options.js';

const PARAMS = ['service', 'from', 'to'] as const;

export const slaRoute: FastifyPluginAsync<QueryRouteOptions & { sla: SlaConfig }> = async (app, o) => {
  app.get('/sla', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as RawQuery;
    rejectUnknown(q, PARAMS);
    const service = requiredName(q, 'service');
    const { from, to } = parsePeriod(q, o.now(), o.limits);
    return timed(o.metrics, 'sla', () => sla(o.db, o.sla, { service, from, to }, { now: o.now }));
  });
};
