// Synthetic service tests, one per element on a fixed cadence. Latency is
// log-normal around the service's median; outages covering the element make
// probes fail (ok=false carries no latency) and slow down the ones that pass.
import type { SimContext } from './sim-context.js';
import { injectedLatencyFactor } from './injected-anomalies.js';
import { elementImpact, type ScopeState } from './scope-state.js';

export function probe(ctx: SimContext, scope: ScopeState, element: number, t: number): void {
  const { rng } = ctx;
  const { failure, latencyFactor } = elementImpact(scope, element, t);
  // One probe vendor in ten reports RFC 3339 times, the others epoch ms.
  const style = element % 10 === 0 ? 0 : 'epoch';
  const fields: Record<string, unknown> = { type: 'probe', element: scope.elements[element]! };
  if (rng.chance(failure)) {
    fields.ok = false;
  } else {
    fields.ok = true;
    const injected = injectedLatencyFactor(ctx.plan.anomalies, scope.service, scope.region, t);
    const ms = rng.logNormal(scope.profile.latencyMedianMs * latencyFactor * injected, scope.profile.latencySigma);
    fields.latencyMs = Math.round(ms * 10) / 10;
  }
  ctx.emit(scope, t, style, fields);
}
