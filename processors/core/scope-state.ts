// Everything the core holds for one scope (service, region): its watermark
// (CONTRACT.md section 3), recent ids, open windows at three resolutions, and the
// alarms and tickets whose lifecycle is not over. Pure data plus small helpers.
import type { Contribution } from './contributions.js';
import { alignStart, openWindow, RESOLUTION_MS, RESOLUTIONS, type OpenWindow } from './rollup.js';
import type { LoggedAlarm, Occurrence } from './alarm-lifecycle.js';
import type { LoggedTicket, TicketView } from './ticket-lifecycle.js';

export interface AlarmEntry {
  events: LoggedAlarm[];
  occs: Occurrence[];
}

export interface TicketEntry {
  events: LoggedTicket[];
  view: TicketView | null;
}

export class ScopeState {
  readonly key: string;
  maxTs = -Infinity;
  /** After an idle close: everything before this is late. */
  closedBefore = -Infinity;
  /** maxTs at the last idle close, so a quiet scope is closed once. */
  idleClosedAt = -Infinity;
  lastOffset = -1;
  lastWall: number;
  /** Arrival counter: orders events with equal timestamps. */
  seq = 0;
  /** Ids seen while their time is at or above the watermark (producer retries). */
  ids = new Map<string, number>();
  nextIdPrune = -Infinity;
  /** Open windows by resolution index (1m, 1h, 1d), keyed by start. */
  windows: Map<number, OpenWindow>[] = [new Map(), new Map(), new Map()];
  /** The last window used per resolution: most events land in the current one. */
  current: (OpenWindow | null)[] = [null, null, null];
  nextCloseCheck = Infinity;
  dirtyWindows: OpenWindow[] = [];
  alarms = new Map<string, AlarmEntry>();
  tickets = new Map<string, TicketEntry>();
  /** Alarm occurrences and tickets changed since the last drain. */
  dirtyAlarms = new Map<string, Occurrence & { alarmId: string; deleted?: boolean }>();
  dirtyTickets = new Map<string, TicketView & { ticketId: string }>();
  snapshotDirty = false;

  constructor(
    readonly service: string,
    readonly region: string,
    now: number,
  ) {
    this.key = `${service}|${region}`;
    this.lastWall = now;
  }

  /** The window of resolution index r that holds ts, created if needed. */
  window(r: number, ts: number): OpenWindow {
    const cur = this.current[r];
    const res = RESOLUTIONS[r]!;
    if (cur !== null && ts >= cur.start && ts < cur.start + RESOLUTION_MS[res]) {
      if (cur.final) cur.final = false; // an hour or day reopened after an idle close
      return cur;
    }
    const start = alignStart(ts, res);
    let w = this.windows[r]!.get(start);
    if (!w) {
      w = openWindow(this.service, this.region, res, start);
      this.windows[r]!.set(start, w);
      const end = start + RESOLUTION_MS[res];
      if (end < this.nextCloseCheck) this.nextCloseCheck = end;
    } else if (w.final) {
      w.final = false;
    }
    this.current[r] = w;
    return w;
  }

  /** Adds (sign 1) or takes out (sign −1) a contribution in all three resolutions. */
  contribute(c: Contribution, sign: 1 | -1): void {
    for (let r = 0; r < 3; r++) {
      const w = this.window(r, c.ts);
      w[c.count] += sign;
      if (c.sum) w[c.sum] += sign * c.value;
      this.touch(w);
    }
  }

  /** Marks windows that end at or before `until` final (they are emitted once more, then dropped). */
  closeUpTo(until: number): void {
    let next = Infinity;
    for (let r = 0; r < 3; r++) {
      const size = RESOLUTION_MS[RESOLUTIONS[r]!];
      for (const w of this.windows[r]!.values()) {
        if (w.final) continue;
        if (w.start + size <= until) {
          w.final = true;
          this.touch(w);
        } else if (w.start + size < next) {
          next = w.start + size;
        }
      }
    }
    this.nextCloseCheck = next;
  }

  touch(w: OpenWindow): void {
    if (!w.dirty) {
      w.dirty = true;
      this.dirtyWindows.push(w);
    }
  }

  dropIds(before: number): void {
    for (const [id, ts] of this.ids) if (ts < before) this.ids.delete(id);
  }
}
