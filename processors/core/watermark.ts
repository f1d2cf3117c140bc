// Event-time progress of one scope (CONTRACT.md section 3). The watermark is the
// newest event time seen for the scope minus the allowed lateness, per scope, so a
// scope fed only historical data is processed normally. An event older than the
// late bound is late: not applied, dead-lettered by the caller with reason `late`.
//
// The late bound is max(watermark, closedBefore): after an idle close (all windows
// of the scope closed) nothing before the end of the minute holding the newest event
// may change any more, even if it is within the lateness.
import { alignStart } from './rollup.js';

export class Watermark {
  /** Newest event time seen (epoch ms). */
  maxTs = -Infinity;
  /** Set by an idle close: the end of the minute of maxTs at that moment. */
  closedBefore = -Infinity;
  /** max(maxTs − lateness, closedBefore), kept up to date for the per-event check. */
  lateBefore = -Infinity;

  constructor(readonly latenessMs: number) {}

  get watermark(): number {
    return this.maxTs - this.latenessMs;
  }

  isLate(ts: number): boolean {
    return ts < this.lateBefore;
  }

  /** Takes in an accepted event's time; true when the watermark moved. */
  observe(ts: number): boolean {
    if (ts <= this.maxTs) return false;
    this.maxTs = ts;
    const wm = ts - this.latenessMs;
    this.lateBefore = wm > this.closedBefore ? wm : this.closedBefore;
    return true;
  }

  /** Idle close: windows up to the end of the newest event's minute are closed for good. */
  closeIdle(): void {
    if (this.maxTs === -Infinity) return;
    this.closedBefore = Math.max(this.closedBefore, alignStart(this.maxTs, '1m') + 60_000);
    this.lateBefore = Math.max(this.lateBefore, this.closedBefore);
  }

  /** Restores the fields from a snapshot. */
  load(maxTs: number, closedBefore: number): void {
    this.maxTs = maxTs;
    this.closedBefore = closedBefore;
    this.lateBefore = Math.max(maxTs - this.latenessMs, closedBefore);
  }
}
