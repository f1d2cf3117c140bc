// What every query route needs: the database, instrumentation, the limits of a
// request and a clock (injected by tests).
import type { Db } from '../../../infra/clickhouse/client.js';
import type { DashboardMetrics } from '../metrics.js';
import type { PeriodLimits } from './query-params.js';

export interface QueryRouteOptions {
  db: Db;
  metrics: DashboardMetrics;
  limits: PeriodLimits & {
    /** Most points a series may have (default 50,000). */
    maxPoints: number;
  };
  now: () => number;
}
