// Applies an alarm or complaint event to its scope: log it in event-time order,
// re-derive the lifecycle, move the difference of contributions between windows,
// and stash the changed records for the next drain (CONTRACT.md section 4).
import type { AlarmEvent, ComplaintEvent } from '../../events/types.js';
import {
  alarmChange, alarmContributions, compactAlarm, deriveOccurrences, insertSorted, logAlarm, occurrenceChanges,
} from './alarm-lifecycle.js';
import { diffContributions, type Contribution } from './contributions.js';
import type { ScopeState } from './scope-state.js';
import { compactTicket, deriveTicket, logTicket, sameTicket, ticketChange, ticketContributions } from './ticket-lifecycle.js';

function moveContributions(s: ScopeState, before: Contribution[], after: Contribution[]): void {
  const { removed, added } = diffContributions(before, after);
  for (const c of removed) s.contribute(c, -1);
  for (const c of added) s.contribute(c, 1);
}

export function applyAlarm(s: ScopeState, e: AlarmEvent): void {
  let a = s.alarms.get(e.alarmId);
  if (a === undefined) s.alarms.set(e.alarmId, (a = { base: null, events: [], occs: [] }));
  insertSorted(a.events, logAlarm(e, s.seq++));
  const occs = deriveOccurrences(a.base, a.events);
  moveContributions(s, alarmContributions(a.occs), alarmContributions(occs));
  const { changed, retracted } = occurrenceChanges(a.occs, occs);
  for (const o of retracted) s.alarmChanges.set(`${e.alarmId}|${o.raisedTs}`, alarmChange(e.alarmId, o, true));
  for (const o of changed) s.alarmChanges.set(`${e.alarmId}|${o.raisedTs}`, alarmChange(e.alarmId, o));
  a.occs = occs;
}

/** `targetMs`: the service's resolution target now; an `opened` keeps it for its ticket. */
export function applyTicket(s: ScopeState, e: ComplaintEvent, targetMs: number): void {
  let t = s.tickets.get(e.ticketId);
  if (t === undefined) s.tickets.set(e.ticketId, (t = { base: null, events: [], view: null }));
  insertSorted(t.events, logTicket(e, s.seq++, targetMs));
  const view = deriveTicket(t.base, t.events);
  moveContributions(s, ticketContributions(t.view), ticketContributions(view));
  if (!sameTicket(t.view, view)) {
    const old = t.view;
    if (old !== null && (view === null || old.openedTs !== view.openedTs)) {
      s.ticketChanges.set(`${e.ticketId}|${old.openedTs}`, ticketChange(e.ticketId, old, true));
    }
    if (view !== null) s.ticketChanges.set(`${e.ticketId}|${view.openedTs}`, ticketChange(e.ticketId, view));
  }
  t.view = view;
}

/** Lifecycles are compacted when the late bound moved this far (amortised, not per event). */
const COMPACT_EVERY_MS = 60_000;

/** Folds events older than the late bound and drops finished alarms and tickets. */
export function compactLifecycles(s: ScopeState): void {
  const bound = s.wm.lateBefore;
  if (bound < s.compactedAt + COMPACT_EVERY_MS) return;
  s.compactedAt = bound;
  for (const [id, a] of s.alarms) if (compactAlarm(a, bound)) s.alarms.delete(id);
  for (const [id, t] of s.tickets) if (compactTicket(t, bound)) s.tickets.delete(id);
}
