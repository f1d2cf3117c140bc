// Network incidents and the OSS alarms they raise. Outage lengths are heavy
// tailed (Pareto), as fault-duration studies of telecom networks report: a
// single fault's median is ~3.4 min and ~1 % last beyond an hour. Besides single
// faults the feed has the patterns a NOC actually sees: storms (one root cause,
// many elements), flapping alarms, re-sent raises of an alarm still open, and
// acknowledgements that come late or never.
import type { Severity } from '../../events/types.js';
import type { SimContext } from './sim-context.js';
import type { Outage, ScopeState } from './scope-state.js';
import { regionOffsetMinutes } from './service-profiles.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;
const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'warning'];

interface Alarm {
  element: string;
  /** Element indexes whose probes suffer; null = whole scope. */
  affects: Set<number> | null;
  alarmId: string;
  severity: Severity;
  serviceAffecting: boolean;
  cause: string;
  /** Many OSS feeds omit the flag when it holds its default (true). */
  sendsFlag: boolean;
}

function alarm(ctx: SimContext, a: Omit<Alarm, 'sendsFlag'>): Alarm {
  return { ...a, sendsFlag: !a.serviceAffecting || ctx.rng.chance(0.7) };
}

function emitAlarm(ctx: SimContext, scope: ScopeState, a: Alarm, ts: number, state: 'raised' | 'acknowledged' | 'cleared'): void {
  const fields: Record<string, unknown> = {
    type: 'alarm', element: a.element, alarmId: a.alarmId, state, severity: a.severity,
  };
  if (a.sendsFlag) fields.serviceAffecting = a.serviceAffecting;
  fields.attrs = { probableCause: a.cause, source: 'oss' };
  ctx.emit(scope, ts, regionOffsetMinutes(scope.region), fields);
}

function register(scope: ScopeState, a: Alarm, start: number, end: number): void {
  const o: Outage = { start, end, elements: a.affects, severity: a.severity, serviceAffecting: a.serviceAffecting };
  scope.outages.push(o);
}

/** Raise, repeated raises, acknowledgements and clear of one alarm occurrence. */
function lifecycle(ctx: SimContext, scope: ScopeState, a: Alarm, raisedAt: number, clearAt: number, ackAt: number | null): void {
  const { rng } = ctx;
  emitAlarm(ctx, scope, a, raisedAt, 'raised');
  register(scope, a, raisedAt, clearAt);
  // The OSS re-sends the raise of an alarm still open (periodic re-notification).
  if (rng.chance(0.15)) {
    let t = raisedAt;
    for (let k = rng.int(1, 3); k > 0; k--) {
      t += rng.uniform(1, 5) * MINUTE;
      if (t >= clearAt) break;
      emitAlarm(ctx, scope, a, t, 'raised');
    }
  }
  if (ackAt !== null) {
    emitAlarm(ctx, scope, a, ackAt, 'acknowledged');
    if (rng.chance(0.05)) emitAlarm(ctx, scope, a, ackAt + rng.uniform(0.5, 10) * MINUTE, 'acknowledged');
  }
  emitAlarm(ctx, scope, a, clearAt, 'cleared');
}

/** An operator's acknowledgement: minutes, rarely hours; short faults may clear first. */
function ackTime(ctx: SimContext, raisedAt: number, clearAt: number, median: number): number | null {
  if (!ctx.rng.chance(0.85)) return null;
  const at = raisedAt + ctx.rng.logNormal(median, 1);
  // An alarm that cleared on its own is often never acknowledged.
  if (at >= clearAt && ctx.rng.chance(0.5)) return null;
  return at;
}

function severityMix(ctx: SimContext): Severity {
  return ctx.rng.weighted(SEVERITIES, [0.15, 0.35, 0.3, 0.2]);
}

function single(ctx: SimContext, scope: ScopeState, t: number): void {
  const { rng } = ctx;
  const e = rng.int(0, scope.elements.length - 1);
  const a = alarm(ctx, {
    element: scope.elements[e]!, affects: new Set([e]), alarmId: ctx.newAlarmId(scope),
    severity: severityMix(ctx), serviceAffecting: rng.chance(0.85), cause: rng.pick(scope.profile.probableCauses),
  });
  const clearAt = t + rng.pareto(2 * MINUTE, 1.3, 12 * HOUR);
  lifecycle(ctx, scope, a, t, clearAt, ackTime(ctx, t, clearAt, 3 * MINUTE));
}

function core(ctx: SimContext, scope: ScopeState, t: number): void {
  const { rng } = ctx;
  const a = alarm(ctx, {
    element: scope.coreElement, affects: null, alarmId: ctx.newAlarmId(scope),
    severity: rng.chance(0.6) ? 'critical' : 'major', serviceAffecting: true, cause: rng.pick(scope.profile.probableCauses),
  });
  const clearAt = t + rng.pareto(3 * MINUTE, 1.3, 12 * HOUR);
  // A whole-scope outage pages the NOC: acknowledged quickly.
  lifecycle(ctx, scope, a, t, clearAt, ackTime(ctx, t, clearAt, MINUTE));
}

function sample(ctx: SimContext, n: number, k: number): number[] {
  const picked = new Set<number>();
  while (picked.size < Math.min(n, k)) picked.add(ctx.rng.int(0, n - 1));
  return [...picked];
}

/** One root cause (power, transport) raises alarms on many elements within seconds. */
function storm(ctx: SimContext, scope: ScopeState, t: number): void {
  const { rng } = ctx;
  const cause = rng.pick(['PowerFailure', 'LinkDown', 'TransportFailure']);
  const duration = rng.pareto(5 * MINUTE, 1.2, 8 * HOUR);
  const bulkAck = rng.chance(0.8) ? t + rng.logNormal(4 * MINUTE, 0.8) : null;
  for (const e of sample(ctx, scope.elements.length, rng.int(5, 40))) {
    const raisedAt = t + rng.uniform(0, 30_000);
    const a = alarm(ctx, {
      element: scope.elements[e]!, affects: new Set([e]), alarmId: ctx.newAlarmId(scope),
      severity: rng.weighted(SEVERITIES, [0.2, 0.7, 0, 0.1]), serviceAffecting: true, cause,
    });
    const clearAt = raisedAt + duration * rng.uniform(0.9, 1.1);
    const ackAt = bulkAck === null ? null : Math.max(bulkAck, raisedAt + 1000) + rng.uniform(0, 20_000);
    lifecycle(ctx, scope, a, raisedAt, clearAt, ackAt);
  }
}

/** One alarm id raised and cleared again and again within a few minutes. */
function flapping(ctx: SimContext, scope: ScopeState, t: number): void {
  const { rng } = ctx;
  const e = rng.int(0, scope.elements.length - 1);
  const a = alarm(ctx, {
    element: scope.elements[e]!, affects: new Set([e]), alarmId: ctx.newAlarmId(scope),
    severity: 'major', serviceAffecting: true, cause: rng.pick(['LinkFlapping', 'InterfaceFlapping', 'LinkDown']),
  });
  let at = t;
  for (let cycle = rng.int(3, 8); cycle > 0; cycle--) {
    const up = rng.uniform(10_000, 60_000);
    // Acknowledged, if at all, during its first cycle: which raise an ack
    // belongs to is then unambiguous whatever way a consumer pairs them.
    const ackAt = at === t && rng.chance(0.5) ? at + rng.uniform(0.1, 0.9) * up : null;
    lifecycle(ctx, scope, a, at, at + up, ackAt);
    at += up + rng.uniform(10_000, 90_000);
  }
}

export function startIncident(ctx: SimContext, scope: ScopeState, t: number): void {
  switch (ctx.rng.weightedIndex([0.75, 0.07, 0.08, 0.1])) {
    case 0: return single(ctx, scope, t);
    case 1: return core(ctx, scope, t);
    case 2: return storm(ctx, scope, t);
    default: return flapping(ctx, scope, t);
  }
}
