// Service objectives and the SLA attainment report (CONTRACT.md sections 4 and 5,
// `GET /api/v1/sla`). No I/O: shared by the server (infra/sla-config.ts reads and
// validates the file; dashboard/server/queries/sla.ts builds the report) and by the
// web app, which bundles config/sla.json to colour the wall without a round trip.

export interface Objectives {
  /** Availability objective, a fraction (0.999 = 99.9 %). */
  availability: number;
  /** Probe success objective, a fraction. */
  probeSuccess: number;
  latencyP95Ms: number;
  mttrSeconds: number;
  /** Share of tickets resolved within complaintResolutionHours. */
  complaintTimeliness: number;
  complaintResponseHours: number;
  complaintResolutionHours: number;
}

export interface SlaConfig {
  defaults: Objectives;
  services: Record<string, Partial<Objectives>>;
}

/** A service's objectives: its own over the defaults. */
export function objectivesFor(cfg: SlaConfig, service: string): Objectives {
  return { ...cfg.defaults, ...(cfg.services[service] ?? {}) };
}

export const SLA_OBJECTIVES = ['availability', 'probeSuccess', 'latencyP95Ms', 'mttrSeconds', 'complaintTimeliness'] as const;
export type SlaObjectiveName = (typeof SLA_OBJECTIVES)[number];

export interface SlaObjective {
  objective: SlaObjectiveName;
  target: number;
  /** null when the period has no data for it. */
  actual: number | null;
  met: boolean | null;
}

export interface BurnPoint {
  /** Start of the bucket (the first one starts at `from`; UTC hours or days after it). */
  t: string;
  /** Cumulative service downtime from `from` to the end of this bucket, seconds. */
  usedSeconds: number;
}

export interface ErrorBudget {
  /** (1 − availability target) × period. */
  allowedSeconds: number;
  usedSeconds: number | null;
  /** Negative once the budget is overspent. */
  remainingSeconds: number | null;
  remainingShare: number | null;
  /** Empty when the period has no data, and stops at now while the period is current. */
  burn: BurnPoint[];
}

export interface SlaReport {
  service: string;
  from: string;
  to: string;
  objectives: SlaObjective[];
  /** Met objectives / objectives with data; null when none has data. */
  shareMet: number | null;
  errorBudget: ErrorBudget;
}
