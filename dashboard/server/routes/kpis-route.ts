// GET /api/v1/kpis?service=&region=&from=&to= (CONTRACT.md section 5).
import type { FastifyPluginAsync } from 'fastify';
import { kpis } from '../queries/kpis.js';
import { optionalName, parsePeriod, rejectUnknown, requiredName, type RawQuery } from './query-params.js';
import type { QueryRouteOptions } from './query-route-options.js';
import { timed } from '../metrics.js';

const PARAMS = ['service', 'region', 'from', 'to'] as const;

export const kpisRoute: FastifyPluginAsync<QueryRouteOptions> = async (app, o) => {
  app.get('/kpis', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as RawQuery;
    rejectUnknown(q, PARAMS);
    const service = requiredName(q, 'service');
    const region = optionalName(q, 'region');
    const { from, to } = parsePeriod(q, o.now(), o.limits);
    return timed(o.metrics, 'kpis', () => kpis(o.db, { service, region, from, to }, { now: o.now }));
  });
};
