// The figures of CONTRACT.md section 4 in the shape the HTTP API answers them
// (section 5, `GET /api/v1/kpis`). A figure with no data is null.
import type { Category } from './types.js';

export interface ProbeFigures {
  total: number;
  successRate: number | null;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

export interface ComplaintFigures {
  opened: number;
  byCategory: Record<Category, number>;
  meanResponseSeconds: number | null;
  meanResolutionSeconds: number | null;
  timeliness: number | null;
}

export interface ScoreFigures {
  responses: number;
  score: number | null;
}

export interface Kpis {
  service: string;
  /** null when the figures cover every region of the service. */
  region: string | null;
  /** ISO 8601 UTC, aligned to whole minutes. */
  from: string;
  to: string;
  availability: number | null;
  downtimeSeconds: number | null;
  faults: number;
  mttrSeconds: number | null;
  mttaSeconds: number | null;
  probes: ProbeFigures;
  complaints: ComplaintFigures;
  nps: ScoreFigures;
  csat: ScoreFigures;
}
