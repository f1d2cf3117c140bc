// GET /api/v1/series?metric=&service=&region=&from=&to=&step= (CONTRACT.md section 5).
import type { FastifyPluginAsync } from 'fastify';
import { badRequest } from '../../../infra/http/errors.js';
import { series, seriesBounds, SERIES_METRICS, STEPS, type Step } from '../queries/series.js';
import { timed } from '../metrics.js';
import { oneOf, optionalName, parsePeriod, rejectUnknown, requiredName, type RawQuery } from './query-params.js';
import type { QueryRouteOptions } from './query-route-options.js';

const PARAMS = ['metric', 'service', 'region', 'from', 'to', 'step'] as const;
const STEP_NAMES = Object.keys(STEPS) as Step[];

export const seriesRoute: FastifyPluginAsync<QueryRouteOptions> = async (app, o) => {
  app.get('/series', { config: { scope: 'read' } }, async (req) => {
    const q = req.query as RawQuery;
    rejectUnknown(q, PARAMS);
    const metric = oneOf(q, 'metric', SERIES_METRICS);
    const service = requiredName(q, 'service');
    const region = optionalName(q, 'region');
    // Default step: the finest one that keeps the default 24 h period readable.
    const step = oneOf(q, 'step', STEP_NAMES, '5m');
    const { from, to } = parsePeriod(q, o.now(), o.limits);
    const { points } = seriesBounds(from, to, step);
    if (points > o.limits.maxPoints) {
      throw badRequest(`step: ${step} over this period gives ${points} points; the maximum is ${o.limits.maxPoints} (use a coarser step or a shorter period)`);
    }
    return timed(o.metrics, 'series', () => series(o.db, { metric, service, region, from, to, step }, { now: o.now }));
  });
};
