// What the event sources (probes, alarms, customers) share: the random stream,
// the plan, id allocation, and the schedule of events to send.
import type { Rng } from './prng.js';
import type { ScopeState } from './scope-state.js';
import type { SimPlan } from './sim-options.js';
import type { TsStyle } from './timestamps.js';

/** A raw event as sent: contract fields, `ts` already formatted. */
export type WireEvent = Record<string, unknown>;

export interface SimContext {
  rng: Rng;
  plan: SimPlan;
  /**
   * Queues an event of the scope with event time `ts` (sent at `ts`: sources
   * report promptly; delays are injected later as faults). Returns its id.
   */
  emit(scope: ScopeState, ts: number, style: TsStyle, fields: WireEvent): string;
  newAlarmId(scope: ScopeState): string;
  newTicketId(scope: ScopeState): string;
}
