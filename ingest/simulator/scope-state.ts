// The simulated network of one scope (service × region): its elements and the
// outages currently hurting them. Probes, tickets and surveys read this state so
// that they get worse exactly while alarms say the network is down.
import type { Severity } from '../../events/types.js';
import { profileFor, type ServiceProfile } from './service-profiles.js';
import type { SimPlan } from './sim-options.js';

export interface Outage {
  start: number;
  end: number;
  /** Indexes of the affected elements; null = the whole scope (core element down). */
  elements: Set<number> | null;
  severity: Severity;
  serviceAffecting: boolean;
}

export interface ScopeState {
  index: number;
  service: string;
  region: string;
  profile: ServiceProfile;
  elements: string[];
  /** The element whose failure takes the whole scope down (core router, MSC, SMSC). */
  coreElement: string;
  outages: Outage[];
}

export function buildScopes(plan: SimPlan): ScopeState[] {
  const scopes: ScopeState[] = [];
  for (const service of plan.services) {
    for (const region of plan.regions) {
      const profile = profileFor(service);
      const width = String(plan.elementsPerScope).length;
      const elements = Array.from({ length: plan.elementsPerScope },
        (_, i) => `${profile.elementPrefix}-${region}-${String(i + 1).padStart(width, '0')}`);
      scopes.push({ index: scopes.length, service, region, profile, elements, coreElement: `core-${service}-${region}`, outages: [] });
    }
  }
  return scopes;
}

/** How much an outage of a given severity hurts the probes of the elements it covers. */
function harm(o: Outage): { failure: number; latencyFactor: number } {
  if (!o.serviceAffecting) return { failure: 0, latencyFactor: 1.1 };
  switch (o.severity) {
    case 'critical': return { failure: 0.85, latencyFactor: 3 };
    case 'major': return { failure: 0.4, latencyFactor: 2 };
    case 'minor': return { failure: 0.02, latencyFactor: 1.3 };
    case 'warning': return { failure: 0, latencyFactor: 1.1 };
  }
}

export function pruneOutages(scope: ScopeState, t: number): void {
  if (scope.outages.some((o) => o.end <= t)) scope.outages = scope.outages.filter((o) => o.end > t);
}

/** Probe failure probability and latency multiplier of one element at time t. */
export function elementImpact(scope: ScopeState, element: number, t: number): { failure: number; latencyFactor: number } {
  let healthy = 1 - scope.profile.baseFailure;
  let latencyFactor = 1;
  for (const o of scope.outages) {
    if (o.start > t || o.end <= t) continue;
    if (o.elements !== null && !o.elements.has(element)) continue;
    const h = harm(o);
    healthy *= 1 - h.failure;
    latencyFactor *= h.latencyFactor;
  }
  return { failure: 1 - healthy, latencyFactor };
}

/**
 * How strongly customers of the scope feel current outages (0 = not at all,
 * 1 ≈ the whole scope down hard) and when the last of those outages clears.
 */
export function customerImpact(scope: ScopeState, t: number): { intensity: number; clearsAt: number } {
  let intensity = 0;
  let clearsAt = t;
  for (const o of scope.outages) {
    if (o.start > t || o.end <= t || !o.serviceAffecting) continue;
    if (o.severity !== 'critical' && o.severity !== 'major') continue;
    // Even one cell down is noticed by its customers, hence the floor.
    const reach = o.elements === null ? 1 : Math.max(0.05, o.elements.size / scope.elements.length);
    intensity += reach * (o.severity === 'critical' ? 1 : 0.5);
    clearsAt = Math.max(clearsAt, o.end);
  }
  return { intensity: Math.min(intensity, 2), clearsAt };
}
