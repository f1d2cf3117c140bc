// The generator's options and how the requested event rate turns into a plan:
// alarms, tickets and surveys keep realistic per-scope rates, and probes (by
// far the bulk of a real feed) fill the rest through element count and cadence.
import { checkInjectedAnomalies, type InjectedAnomaly } from './injected-anomalies.js';
import { DEFAULT_REGIONS, DEFAULT_SERVICES } from './service-profiles.js';

/** Fault injection for tests; every rate is a share of events and 0 by default. */
export interface FaultOptions {
  /** Share of events re-sent 50 ms–5 s later with the same id (producer retries). */
  duplicateRate?: number;
  /** Share of events delivered late but within the lateness (out of order). */
  outOfOrderRate?: number;
  /** Share of probes and surveys sent with a time older than their scope's watermark. */
  lateRate?: number;
  /** Share of events followed by a broken variant (wrong type, missing field…). */
  invalidRate?: number;
}

export interface GeneratorOptions {
  seed: number;
  /** Simulated start, epoch ms. */
  start: number;
  /** Simulated length in ms of send time; Infinity runs forever. */
  durationMs: number;
  /** Target events per second of simulated time, all kinds together. */
  rate: number;
  services?: readonly string[];
  regions?: readonly string[];
  /** Probed network elements per scope; derived from rate when absent. */
  elementsPerScope?: number;
  /** Network incidents (single alarm, storm, flapping…) per scope and hour. */
  incidentsPerHour?: number;
  /** Complaint tickets per scope and hour on a healthy network. */
  complaintsPerHour?: number;
  /** Survey responses per scope, hour and scale (NPS and CSAT each). */
  surveysPerHour?: number;
  /** The pipeline's allowed lateness; out-of-order and late injection aim around it. */
  latenessMs?: number;
  faults?: FaultOptions;
  /** Latency steps and complaint spikes injected for alert tests; none by default. */
  anomalies?: readonly InjectedAnomaly[];
}

export interface SimPlan {
  seed: number;
  start: number;
  end: number;
  rate: number;
  services: string[];
  regions: string[];
  elementsPerScope: number;
  probeIntervalMs: number;
  incidentsPerHour: number;
  complaintsPerHour: number;
  surveysPerHour: number;
  latenessMs: number;
  faults: Required<FaultOptions>;
  anomalies: readonly InjectedAnomaly[];
  /** Prefix of every id of the run, so two runs never collide in a dedupe set. */
  runTag: string;
}

export const DEFAULT_LATENESS_MS = 120_000;
/** The cadence a derived element count aims at (an element probed every 30 s). */
const TARGET_PROBE_INTERVAL_MS = 30_000;
const MAX_DERIVED_ELEMENTS = 2_000;
/**
 * Rough non-probe events per incident and per ticket, to subtract them from the
 * target rate (a 24 h run at the defaults measures ~61 such events per scope and
 * hour, this estimate gives 64; probes dominate, so the rate stays within 1 %).
 */
const OTHER_EVENTS_PER_INCIDENT = 10;
// ~4 lifecycle events per ticket, times ~1.3 for the extra tickets outages bring.
const EVENTS_PER_TICKET = 5;

function share(v: number | undefined, name: string): number {
  const x = v ?? 0;
  if (!(x >= 0 && x <= 1)) throw new RangeError(`faults.${name} must be a share from 0 to 1, got ${x}`);
  return x;
}

export function resolvePlan(o: GeneratorOptions): SimPlan {
  if (!Number.isInteger(o.seed)) throw new RangeError(`seed must be an integer, got ${o.seed}`);
  if (!Number.isFinite(o.start)) throw new RangeError('start must be epoch milliseconds');
  if (!(o.durationMs >= 0)) throw new RangeError('durationMs must be >= 0 (Infinity runs forever)');
  if (!(o.rate > 0 && Number.isFinite(o.rate))) throw new RangeError(`rate must be > 0 events/s, got ${o.rate}`);
  const services = [...(o.services ?? DEFAULT_SERVICES)];
  const regions = [...(o.regions ?? DEFAULT_REGIONS)];
  if (services.length === 0 || regions.length === 0) throw new RangeError('at least one service and one region');
  const faults = {
    duplicateRate: share(o.faults?.duplicateRate, 'duplicateRate'),
    outOfOrderRate: share(o.faults?.outOfOrderRate, 'outOfOrderRate'),
    lateRate: share(o.faults?.lateRate, 'lateRate'),
    invalidRate: share(o.faults?.invalidRate, 'invalidRate'),
  };
  // About one incident per scope and hour: enough to see outages in a short
  // demo, though far more than a real network (whose availability is ~99.9 %).
  const incidentsPerHour = o.incidentsPerHour ?? 1;
  const complaintsPerHour = o.complaintsPerHour ?? 6;
  const surveysPerHour = o.surveysPerHour ?? 12;
  const scopes = services.length * regions.length;
  checkInjectedAnomalies(o.anomalies ?? []);

  // Duplicates and invalid variants are extra sends, so the original feed is thinner.
  const originalRate = o.rate / (1 + faults.duplicateRate + faults.invalidRate);
  const otherPerScope = (incidentsPerHour * OTHER_EVENTS_PER_INCIDENT + complaintsPerHour * EVENTS_PER_TICKET + 2 * surveysPerHour) / 3600;
  // Never let probes vanish: a tiny rate still gets a probe feed.
  const probesPerScope = Math.max(originalRate / scopes - otherPerScope, (0.05 * originalRate) / scopes);
  const elementsPerScope = o.elementsPerScope
    ?? Math.min(MAX_DERIVED_ELEMENTS, Math.max(1, Math.round((probesPerScope * TARGET_PROBE_INTERVAL_MS) / 1000)));
  if (!(Number.isInteger(elementsPerScope) && elementsPerScope >= 1)) throw new RangeError('elementsPerScope must be an integer >= 1');
  const probeIntervalMs = Math.max(1, Math.round((elementsPerScope * 1000) / probesPerScope));

  return {
    seed: o.seed,
    start: o.start,
    end: o.start + o.durationMs,
    rate: o.rate,
    services,
    regions,
    elementsPerScope,
    probeIntervalMs,
    incidentsPerHour,
    complaintsPerHour,
    surveysPerHour,
    latenessMs: o.latenessMs ?? DEFAULT_LATENESS_MS,
    faults,
    anomalies: o.anomalies ?? [],
    runTag: `s${o.seed}-${Math.floor(o.start).toString(36)}`,
  };
}
