// Everything the core holds for one scope (service, region): its watermark and
// recent ids (CONTRACT.md section 3), its open windows, and the alarms and tickets
// whose lifecycle is not over. Window bookkeeping lives here; the event handling is
// in processor-core.ts and scope-lifecycles.ts, the row output in scope-drain.ts.
import type { AlarmChange, AlarmEntry } from './alarm-lifecycle.js';
import type { Contribution } from './contributions.js';
import { IdDedup } from './dedup.js';
import { IdSegments } from './id-segments.js';
import { alignStart, RESOLUTION_MS, type Resolution } from './rollup.js';
import type { TicketChange, TicketEntry } from './ticket-lifecycle.js';
import { Watermark } from './watermark.js';
import { MinuteWindow, PeriodWindow } from './window.js';

export class ScopeState {
  readonly key: string;
  readonly wm: Watermark;
  readonly ids = new IdDedup();
  /** Which stored segments hold the ids as of the last durable snapshot. */
  readonly idSegments = new IdSegments();
  /** Offset of the last message handed to this scope (applied, duplicate or late). */
  lastOffset = -1;
  /** Wall clock of the last applied event (idle rule). */
  lastWall: number;
  /** All windows were closed by the idle rule and no event was applied since. */
  idleClosed = false;
  /** Arrival counter: orders alarm and ticket events with equal ts. */
  seq = 0;
  /** Open minute windows, sorted by start (a handful: the lateness spans a few minutes). */
  minutes: MinuteWindow[] = [];
  /** The minute most events fall in. */
  cur: MinuteWindow | null = null;
  hours: PeriodWindow[] = [];
  days: PeriodWindow[] = [];
  /** Earliest end of a window not yet final: nothing to close before the late bound reaches it. */
  nextFinalAt = Infinity;
  /** The sketch array of the last minute dropped, for the next minute to reuse. */
  spareBins: Float64Array | null = null;
  dirtyMinutes: MinuteWindow[] = [];
  dirtyPeriods: PeriodWindow[] = [];
  alarms = new Map<string, AlarmEntry>();
  tickets = new Map<string, TicketEntry>();
  /** Records to emit at the next drain, keyed `alarmId|raisedTs` / `ticketId|openedTs`. */
  alarmChanges = new Map<string, AlarmChange>();
  ticketChanges = new Map<string, TicketChange>();
  /** Late bound at the last lifecycle compaction. */
  compactedAt = -Infinity;
  /** In the core's list of scopes to drain. */
  queued = false;
  /** Changed since the last snapshot. */
  snapshotDirty = false;

  constructor(
    readonly service: string,
    readonly region: string,
    latenessMs: number,
    now: number,
  ) {
    this.key = `${service}|${region}`;
    this.wm = new Watermark(latenessMs);
    this.lastWall = now;
  }

  /** The open minute window holding ts (ts must not be late), created if needed. */
  minute(ts: number): MinuteWindow {
    const cur = this.cur;
    if (cur !== null && ts >= cur.start && ts < cur.end) return cur;
    return (this.cur = this.findMinute(ts));
  }

  private findMinute(ts: number): MinuteWindow {
    const start = alignStart(ts, '1m');
    const list = this.minutes;
    let i = list.length - 1;
    for (; i >= 0; i--) {
      const m = list[i]!;
      if (m.start === start) return m;
      if (m.start < start) break;
    }
    const m = new MinuteWindow(start, this.period(this.hours, '1h', start), this.period(this.days, '1d', start));
    // Size its sketch like the newest open minute's: latencies drift slowly, so it rarely grows.
    const like = list.length > 0 ? list[list.length - 1]!.latency.range() : null;
    if (like !== null) {
      m.latency.reserve(like[0], like[1], this.spareBins);
      if (m.latency.counts === this.spareBins) this.spareBins = null;
    }
    list.splice(i + 1, 0, m);
    if (m.end < this.nextFinalAt) this.nextFinalAt = m.end;
    return m;
  }

  private period(list: PeriodWindow[], res: Resolution, ts: number): PeriodWindow {
    const start = alignStart(ts, res);
    let i = list.length - 1;
    for (; i >= 0; i--) {
      const p = list[i]!;
      if (p.start === start) {
        // An hour or day closed by the idle rule and now receiving events again.
        if (p.final) this.reopen(p);
        return p;
      }
      if (p.start < start) break;
    }
    const p = new PeriodWindow(res, start, start + RESOLUTION_MS[res]);
    list.splice(i + 1, 0, p);
    if (p.end < this.nextFinalAt) this.nextFinalAt = p.end;
    return p;
  }

  private reopen(p: PeriodWindow): void {
    p.final = false;
    if (p.end < this.nextFinalAt) this.nextFinalAt = p.end;
  }

  /** Marks a minute whose content changed: its row, its hour's and its day's change. */
  touch(m: MinuteWindow): void {
    if (m.dirty) return;
    m.dirty = true;
    this.dirtyMinutes.push(m);
    this.mark(m.hour);
    this.mark(m.day);
  }

  private mark(p: PeriodWindow): void {
    if (!p.dirty) {
      p.dirty = true;
      this.dirtyPeriods.push(p);
    }
  }

  /** Adds (sign 1) or takes out (sign −1) an alarm or ticket contribution. */
  contribute(c: Contribution, sign: 1 | -1): void {
    const m = this.minute(c.ts);
    m[c.count] += sign;
    if (c.sum !== null) m[c.sum] += sign * c.value;
    this.touch(m);
  }

  /** Windows ending at or before `bound` become final (emitted once more, then dropped). */
  finalizeUpTo(bound: number): void {
    let next = Infinity;
    for (const m of this.minutes) {
      if (m.final) continue;
      if (m.end <= bound) {
        m.final = true;
        if (!m.dirty) {
          m.dirty = true;
          this.dirtyMinutes.push(m);
        }
      } else if (m.end < next) next = m.end;
    }
    for (const list of [this.hours, this.days]) {
      for (const p of list) {
        if (p.final) continue;
        if (p.end <= bound) {
          p.final = true;
          this.mark(p);
        } else if (p.end < next) next = p.end;
      }
    }
    this.nextFinalAt = next;
  }

  /** Idle close (CONTRACT.md section 3): every open window becomes final. */
  closeAll(): void {
    this.wm.closeIdle();
    this.finalizeUpTo(Infinity);
    this.idleClosed = true;
  }

  /** The watermark moved: close what it passed, forget ids older than it. */
  advanced(): void {
    const wm = this.wm;
    if (wm.lateBefore >= this.nextFinalAt) this.finalizeUpTo(wm.lateBefore);
    this.ids.advance(wm.watermark, wm.maxTs);
  }

  windowCount(): number {
    return this.minutes.length + this.hours.length + this.days.length;
  }
}
