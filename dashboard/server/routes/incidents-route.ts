// GET /api/v1/incidents?state=open|resolved&service=&region=&from=&to= and
// GET /api/v1/incidents/:id (CONTRACT.md section 5; docs/incidents.md).
import type { FastifyPluginAsync } from 'fastify';
import { badRequest, notFound } from '../../../infra/http/errors.js';
import { parseIncidentId } from '../../../processors/core/incidents.js';
import { incidentById, incidents, type IncidentState } from '../queries/incidents.js';
import { NAME_PATTERN, oneOf, optionalName, parsePeriod, rejectUnknown, single, type RawQuery } from './query-params.js';
import type { QueryRouteOptions } from './query-route-options.js';
import { timed } from '../metrics.js';

const PARAMS = ['state', 'service', 'region', 'from', 'to'] as const;
const STATES: readonly IncidentState[] = ['open', 'resolved'];

export const incidentsRoute: FastifyPluginAsync<QueryRouteOptions> = async (app, o) => {
  app.get('/incidents', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as RawQuery;
    rejectUnknown(q, PARAMS);
    const state = single(q, 'state') === undefined ? null : oneOf(q, 'state', STATES);
    const service = optionalName(q, 'service');
    const region = optionalName(q, 'region');
    const { from, to } = parsePeriod(q, o.now(), o.limits);
    const list = await timed(o.metrics, 'incidents', () => incidents(o.db, { service, region, from, to, state }, { now: o.now }));
    return { incidents: list };
  });

  app.get('/incidents/:id', { config: { scope: 'read' } }, async (req) => {
    rejectUnknown(req.query as RawQuery, []);
    const { id } = req.params as { id: string };
    const key = parseIncidentId(id);
    if (key === null || !NAME_PATTERN.test(key.service) || !NAME_PATTERN.test(key.region)) {
      throw badRequest(`id: "${id.slice(0, 80)}" is not an incident id (service|region|first raise in epoch ms)`);
    }
    const found = await timed(o.metrics, 'incident', () => incidentById(o.db, id, { now: o.now }));
    if (found === null) throw notFound(`id: no incident ${id}`);
    return found;
  });
};
