// The SLA attainment report (CONTRACT.md sections 4 and 5, `GET /api/v1/sla`).
// Type-only, shared by the server (dashboard/server/queries/sla.ts) and the web app.

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
