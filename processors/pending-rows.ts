// Rows waiting for the sink. Rows are full state, so the buffer keeps only the
// newest version per key: memory stays bounded by the number of live windows,
// alarms and tickets however long the sink is down. Raw events are kept as-is.
import type { AlarmRecord, Rollup, TicketRecord } from './core/index.js';
import type { RawEvent } from '../infra/clickhouse/raw-blocks.js';
import type { SinkBatch } from './clickhouse-sink.js';

function keep<T extends { version: number }>(map: Map<string, T>, key: string, row: T): void {
  const old = map.get(key);
  if (!old || old.version <= row.version) map.set(key, row);
}

export class PendingRows {
  private rollups = new Map<string, Rollup>();
  private alarms = new Map<string, AlarmRecord>();
  private tickets = new Map<string, TicketRecord>();
  private raw: RawEvent[] = [];

  add(rollups: Rollup[], alarms: AlarmRecord[], tickets: TicketRecord[]): void {
    for (const r of rollups) keep(this.rollups, `${r.res}|${r.service}|${r.region}|${r.start}`, r);
    for (const a of alarms) keep(this.alarms, `${a.service}|${a.region}|${a.alarmId}|${a.raisedTs}`, a);
    // Keyed like the table (open time included), so a retraction and its replacement both stay.
    for (const t of tickets) keep(this.tickets, `${t.service}|${t.region}|${t.ticketId}|${t.openedTs}`, t);
  }

  addRaw(e: RawEvent): void {
    this.raw.push(e);
  }

  rawCount(): number {
    return this.raw.length;
  }

  /** The raw events alone, for an early write while consumption goes on. */
  takeRaw(): RawEvent[] {
    const raw = this.raw;
    this.raw = [];
    return raw;
  }

  /** Puts raw events whose write failed back in front of those that arrived since. */
  restoreRaw(raw: RawEvent[]): void {
    this.raw = raw.concat(this.raw);
  }

  /** Rollup, alarm and ticket rows held: at most one per key. */
  rowCount(): number {
    return this.rollups.size + this.alarms.size + this.tickets.size;
  }

  /** Every row held, and the raw events too unless `withRaw` is false (they then stay for a later take). */
  take(withRaw = true): SinkBatch {
    const b: SinkBatch = { rollups: [...this.rollups.values()], alarms: [...this.alarms.values()], tickets: [...this.tickets.values()], raw: withRaw ? this.raw : [] };
    this.rollups.clear();
    this.alarms.clear();
    this.tickets.clear();
    if (withRaw) this.raw = [];
    return b;
  }

  /** Puts a batch that failed to write back, under anything newer that arrived since. */
  restore(b: SinkBatch): void {
    this.add(b.rollups, b.alarms, b.tickets);
    this.raw = b.raw.concat(this.raw);
  }
}
