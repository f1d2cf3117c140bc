// GET /api/v1/alerts?state=firing|resolved&service=&region=&limit= (CONTRACT.md
// section 5). `state` as the contract names it; each alert carries it as `status`
// (Alertmanager's word, kept so the same object goes to webhooks and the topic).
import type { FastifyPluginAsync } from 'fastify';
import { badRequest } from '../../../infra/http/errors.js';
import { listAlerts } from '../queries/alerts.js';
import { oneOf, optionalName, rejectUnknown, single, type RawQuery } from './query-params.js';
import type { QueryRouteOptions } from './query-route-options.js';
import { timed } from '../metrics.js';

const PARAMS = ['state', 'service', 'region', 'limit'] as const;
export const MAX_ALERTS = 1000;

export const alertsRoute: FastifyPluginAsync<QueryRouteOptions> = async (app, o) => {
  app.get('/alerts', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as RawQuery;
    rejectUnknown(q, PARAMS);
    const status = single(q, 'state') === undefined ? null : oneOf(q, 'state', ['firing', 'resolved'] as const);
    const service = optionalName(q, 'service');
    const region = optionalName(q, 'region');
    const rawLimit = single(q, 'limit');
    const limit = rawLimit === undefined ? 200 : Number(rawLimit);
    if (!/^\d{1,4}$/.test(rawLimit ?? '200') || !(limit >= 1 && limit <= MAX_ALERTS)) throw badRequest(`limit: must be a whole number from 1 to ${MAX_ALERTS}`);
    const alerts = await timed(o.metrics, 'alerts', () => listAlerts(o.db, { status, service, region, limit }));
    return { alerts };
  });
};
