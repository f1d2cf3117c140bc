// What customers do: open complaint tickets and answer surveys. Both follow the
// network: during an outage tickets pour in (mostly `network` ones, resolved
// soon after the outage clears) and survey scores drop.
import type { Category } from '../../events/types.js';
import type { SimContext } from './sim-context.js';
import { injectedComplaintsPerHour } from './injected-anomalies.js';
import { customerImpact, type ScopeState } from './scope-state.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
/** Customers are simulated in ticks; events inside a tick get spread-out times. */
export const CUSTOMER_TICK_MS = 10_000;
/** Extra tickets per hour, per `complaintsPerHour`, when a whole scope is down hard. */
const OUTAGE_COMPLAINT_FACTOR = 20;

const CATEGORIES: readonly Category[] = ['network', 'billing', 'service', 'other'];
const CHANNELS = ['call-centre', 'app', 'web', 'shop'];
const TOUCHPOINTS = ['app', 'ivr', 'email', 'shop'];
// Score distributions: healthy NPS ≈ +20 (45 % promoters, 25 % detractors),
// CSAT ≈ 75 %; during outages both collapse.
const NPS_SCORES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
const NPS_HEALTHY = [0.02, 0.01, 0.02, 0.03, 0.03, 0.06, 0.08, 0.12, 0.18, 0.22, 0.23];
const NPS_OUTAGE = [0.12, 0.08, 0.1, 0.1, 0.1, 0.12, 0.1, 0.1, 0.08, 0.06, 0.04];
const CSAT_SCORES = [1, 2, 3, 4, 5];
const CSAT_HEALTHY = [0.04, 0.06, 0.15, 0.4, 0.35];
const CSAT_OUTAGE = [0.25, 0.25, 0.2, 0.18, 0.12];

function ticket(ctx: SimContext, scope: ScopeState, opened: number, category: Category, outageClearsAt: number | null): void {
  const { rng } = ctx;
  const ticketId = ctx.newTicketId(scope);
  const send = (ts: number, state: string, extra: Record<string, unknown> = {}) =>
    ctx.emit(scope, ts, 0, { type: 'complaint', ticketId, state, ...extra });
  send(opened, 'opened', { category, attrs: { channel: rng.pick(CHANNELS) } });

  // Some tickets are stuck and never resolved within any scenario.
  const resolved = rng.chance(0.03) ? null
    : outageClearsAt !== null
      ? outageClearsAt + rng.logNormal(45 * MINUTE, 0.8)
      // Median 6 h, ~8 % beyond 24 h: the late ones the timeliness figure is about.
      : opened + rng.logNormal(6 * HOUR, 1);
  if (rng.chance(0.95)) {
    let ack = opened + rng.logNormal(20 * MINUTE, 1);
    if (resolved !== null && ack >= resolved) ack = opened + (resolved - opened) * rng.uniform(0.1, 0.5);
    send(ack, 'acknowledged');
  }
  if (resolved === null) return;
  send(resolved, 'resolved');
  let closed = resolved + rng.logNormal(2 * HOUR, 0.7);
  if (rng.chance(0.08)) {
    // The customer says it is not fixed before the ticket auto-closes.
    const reopened = resolved + (closed - resolved) * rng.uniform(0.2, 0.9);
    send(reopened, 'reopened');
    const resolvedAgain = reopened + rng.logNormal(3 * HOUR, 0.8);
    send(resolvedAgain, 'resolved');
    closed = resolvedAgain + rng.logNormal(2 * HOUR, 0.7);
  }
  send(closed, 'closed');
}

function survey(ctx: SimContext, scope: ScopeState, ts: number, scale: 'nps' | 'csat', outage: boolean): void {
  const { rng } = ctx;
  const score = scale === 'nps'
    ? rng.weighted(NPS_SCORES, outage ? NPS_OUTAGE : NPS_HEALTHY)
    : rng.weighted(CSAT_SCORES, outage ? CSAT_OUTAGE : CSAT_HEALTHY);
  ctx.emit(scope, ts, 'epoch', { type: 'survey', scale, score, attrs: { touchpoint: rng.pick(TOUCHPOINTS) } });
}

/** Tickets and survey answers of one scope during [t, t + CUSTOMER_TICK_MS). */
export function customerTick(ctx: SimContext, scope: ScopeState, t: number): void {
  const { rng, plan } = ctx;
  const { intensity, clearsAt } = customerImpact(scope, t);
  const perTick = CUSTOMER_TICK_MS / HOUR;
  const extra = injectedComplaintsPerHour(plan.anomalies, scope.service, scope.region, t);
  const complaints = rng.poisson((plan.complaintsPerHour * (1 + OUTAGE_COMPLAINT_FACTOR * intensity) + extra) * perTick);
  for (let i = 0; i < complaints; i++) {
    const outageTicket = intensity > 0 && rng.chance(Math.min(0.9, 0.5 + intensity));
    const category = outageTicket ? 'network' : rng.weighted(CATEGORIES, [0.25, 0.35, 0.25, 0.15]);
    ticket(ctx, scope, t + rng.uniform(0, CUSTOMER_TICK_MS), category, outageTicket ? clearsAt : null);
  }
  const badShare = Math.min(1, intensity);
  for (const scale of ['nps', 'csat'] as const) {
    for (let n = rng.poisson(plan.surveysPerHour * perTick); n > 0; n--) {
      survey(ctx, scope, t + rng.uniform(0, CUSTOMER_TICK_MS), scale, rng.chance(badShare));
    }
  }
}
