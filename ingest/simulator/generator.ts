// A deterministic, lazily generated telecom feed: a discrete-event simulation
// whose sources (probes, incidents, customers) schedule events into one time
// queue, popped in send order. The same options always give the same sequence;
// with durationMs = Infinity it runs forever in bounded memory.
import { startIncident } from './alarms.js';
import { CUSTOMER_TICK_MS, customerTick } from './customers.js';
import { breakEvent } from './invalid-events.js';
import { Rng } from './prng.js';
import { probe } from './probes.js';
import { buildScopes, pruneOutages, type ScopeState } from './scope-state.js';
import type { SimContext, WireEvent } from './sim-context.js';
import { resolvePlan, type GeneratorOptions, type SimPlan } from './sim-options.js';
import { TimeQueue } from './time-queue.js';
import { formatTs, type TsStyle } from './timestamps.js';

export type FaultKind = 'duplicate' | 'out-of-order' | 'late' | 'invalid';

/** One send: the raw event (unknown: invalid ones may not even be objects). */
export interface Emission {
  /** Simulated send (arrival) time, epoch ms; non-decreasing along the sequence. */
  sendAt: number;
  event: unknown;
  /** Set on injected faults, so tests know what the pipeline should make of it. */
  fault?: FaultKind;
}

interface Outgoing {
  event: WireEvent;
  ts: number;
  style: TsStyle;
  scope: ScopeState;
  delayed?: boolean;
  duplicate?: boolean;
}

type Task =
  | { kind: 'probe'; scope: ScopeState; element: number }
  | { kind: 'incident'; scope: ScopeState }
  | { kind: 'customers'; scope: ScopeState }
  | { kind: 'send'; msg: Outgoing };

const HOUR = 3_600_000;

export function* simulate(options: GeneratorOptions): Generator<Emission> {
  const plan = resolvePlan(options);
  const rng = new Rng(plan.seed);
  const scopes = buildScopes(plan);
  const queue = new TimeQueue<Task>();
  /** Newest event time sent per scope: the basis of the watermark (CONTRACT.md §3). */
  const maxTs = new Map<ScopeState, number>();
  const counters = { event: 0, alarm: 0, ticket: 0 };

  const ctx: SimContext = {
    rng,
    plan,
    emit(scope, tsRaw, style, fields) {
      const ts = Math.round(tsRaw);
      const id = `${plan.runTag}-${(counters.event++).toString(36)}`;
      // Events due after the end would never be sent; do not hold them in memory.
      if (ts < plan.end) {
        const event = { id, ts: formatTs(ts, style), service: scope.service, region: scope.region, ...fields };
        queue.push(ts, { kind: 'send', msg: { event, ts, style, scope } });
      }
      return id;
    },
    newAlarmId: (scope) => `ALM-${plan.runTag}-${scope.region}-${++counters.alarm}`,
    newTicketId: () => `TT-${plan.runTag}-${++counters.ticket}`,
  };

  for (const scope of scopes) {
    for (let e = 0; e < scope.elements.length; e++) {
      queue.push(plan.start + Math.floor(rng.uniform(0, plan.probeIntervalMs)), { kind: 'probe', scope, element: e });
    }
    if (plan.incidentsPerHour > 0) queue.push(plan.start + rng.exponential(HOUR / plan.incidentsPerHour), { kind: 'incident', scope });
    queue.push(plan.start + Math.floor(rng.uniform(0, CUSTOMER_TICK_MS)), { kind: 'customers', scope });
  }

  for (;;) {
    const next = queue.pop();
    if (!next || next.at >= plan.end) return;
    const { at, item } = next;
    switch (item.kind) {
      case 'probe':
        probe(ctx, item.scope, item.element, at);
        queue.push(at + plan.probeIntervalMs, item);
        break;
      case 'incident':
        startIncident(ctx, item.scope, at);
        queue.push(at + rng.exponential(HOUR / plan.incidentsPerHour), item);
        break;
      case 'customers':
        pruneOutages(item.scope, at);
        customerTick(ctx, item.scope, at);
        queue.push(at + CUSTOMER_TICK_MS, item);
        break;
      case 'send':
        yield* deliver(item.msg, at, plan, rng, queue, maxTs);
        break;
    }
  }
}

/** Sends one event, injecting the faults the plan asks for. */
function* deliver(msg: Outgoing, at: number, plan: SimPlan, rng: Rng, queue: TimeQueue<Task>, maxTs: Map<ScopeState, number>): Generator<Emission> {
  const f = plan.faults;
  const fresh = !msg.delayed && !msg.duplicate;
  if (fresh && rng.chance(f.outOfOrderRate)) {
    // Delivered late but within the lateness: never older than the watermark,
    // because no event of the scope can be newer than the send time.
    const delay = rng.uniform(1000, Math.max(1001, 0.8 * plan.latenessMs));
    queue.push(at + delay, { kind: 'send', msg: { ...msg, delayed: true } });
    return;
  }
  const newest = maxTs.get(msg.scope);
  const type = msg.event.type;
  if (fresh && (type === 'probe' || type === 'survey') && newest !== undefined && rng.chance(f.lateRate)) {
    // Older than the scope's watermark (newest − lateness) by 1 s to 5 min.
    // Only probes and surveys: dropping an alarm or ticket transition would
    // turn one injected fault into a different scenario.
    const ts = newest - plan.latenessMs - Math.round(rng.uniform(1000, 300_000));
    yield { sendAt: at, event: { ...msg.event, ts: formatTs(ts, msg.style) }, fault: 'late' };
    return;
  }
  const fault = msg.duplicate ? 'duplicate' : msg.delayed ? 'out-of-order' : undefined;
  yield fault ? { sendAt: at, event: msg.event, fault } : { sendAt: at, event: msg.event };
  if (newest === undefined || msg.ts > newest) maxTs.set(msg.scope, msg.ts);
  if (msg.duplicate) return;
  if (rng.chance(f.duplicateRate)) queue.push(at + rng.uniform(50, 5000), { kind: 'send', msg: { ...msg, duplicate: true } });
  if (rng.chance(f.invalidRate)) yield { sendAt: at, event: breakEvent(rng, msg.event), fault: 'invalid' };
}

/** The raw events alone, in send order. */
export function* generateEvents(options: GeneratorOptions): Generator<unknown> {
  for (const e of simulate(options)) yield e.event;
}

export { resolvePlan };
export type { GeneratorOptions, SimPlan };
