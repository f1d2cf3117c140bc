// Rows waiting for the sink. Rows are full state, so the buffer keeps only the
// newest version per key: memory stays bounded by the number of live windows,
// alarms and tickets however long the sink is down. Raw events go straight into
// blocks (bytes), so they hold nothing per event on the JS heap while they wait.
import type { AlarmRecord, Rollup, TicketRecord } from './core/index.js';
import type { SqaEvent } from '../events/types.js';
import { RawBlockBuilder, type RawBody } from '../infra/clickhouse/raw-blocks.js';
import type { SinkBatch } from './clickhouse-sink.js';

function keep<T extends { version: number }>(map: Map<string, T>, key: string, row: T): void {
  const old = map.get(key);
  if (!old || old.version <= row.version) map.set(key, row);
}

export class PendingRows {
  private rollups = new Map<string, Rollup>();
  private alarms = new Map<string, AlarmRecord>();
  private tickets = new Map<string, TicketRecord>();
  private rawBlocks = new RawBlockBuilder();
  /** Built blocks whose write failed, in arrival order, before anything in rawBlocks. */
  private rawBuilt: RawBody[] = [];

  add(rollups: Rollup[], alarms: AlarmRecord[], tickets: TicketRecord[]): void {
    for (const r of rollups) keep(this.rollups, `${r.res}|${r.service}|${r.region}|${r.start}`, r);
    for (const a of alarms) keep(this.alarms, `${a.service}|${a.region}|${a.alarmId}|${a.raisedTs}`, a);
    // Keyed like the table (open time included), so a retraction and its replacement both stay.
    for (const t of tickets) keep(this.tickets, `${t.service}|${t.region}|${t.ticketId}|${t.openedTs}`, t);
  }

  /** A valid event and its message (JSON text). */
  addRaw(e: SqaEvent, bytes: Buffer): void {
    this.rawBlocks.add(e, bytes);
  }

  rawCount(): number {
    let n = this.rawBlocks.events;
    for (const b of this.rawBuilt) n += b.events;
    return n;
  }

  /** The raw events alone, for an early write while consumption goes on. */
  takeRaw(): RawBody[] {
    const raw = this.rawBuilt;
    this.rawBuilt = [];
    if (this.rawBlocks.events > 0) raw.push(this.rawBlocks.build());
    return raw;
  }

  /** Raw bodies taken here are written: their buffers serve later builds (nothing may read them after). */
  recycleRaw(raw: readonly RawBody[]): void {
    for (const b of raw) this.rawBlocks.recycle(b);
  }

  /** Puts raw events whose write failed back in front of those that arrived since. */
  restoreRaw(raw: RawBody[]): void {
    this.rawBuilt = raw.concat(this.rawBuilt);
  }

  /** Rollup, alarm and ticket rows held: at most one per key. */
  rowCount(): number {
    return this.rollups.size + this.alarms.size + this.tickets.size;
  }

  /** Every row held, and the raw events too unless `withRaw` is false (they then stay for a later take). */
  take(withRaw = true): SinkBatch {
    const b: SinkBatch = { rollups: [...this.rollups.values()], alarms: [...this.alarms.values()], tickets: [...this.tickets.values()], raw: withRaw ? this.takeRaw() : [] };
    this.rollups.clear();
    this.alarms.clear();
    this.tickets.clear();
    return b;
  }

  /** Puts a batch that failed to write back, under anything newer that arrived since. */
  restore(b: SinkBatch): void {
    this.add(b.rollups, b.alarms, b.tickets);
    this.restoreRaw(b.raw);
  }
}
