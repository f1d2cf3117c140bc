// The raw-event blocks of `events_raw_blocks` (migration 0008): how processors
// write them and how readers unfold them into one row per event. Both sides live
// here so the layout is written down once.
//
// A block is the events of one scope and minute that one write carried; its body is
// `<ts ms> US <message text>` lines joined by RS. Valid JSON text has no raw control
// characters, so neither separator can occur inside a message, and neither is
// special in TabSeparated, so a body is escaped once, as a whole.
import type { SqaEvent } from '../../events/types.js';
import { tsvField } from './tsv.js';

/** Between lines of a block (ASCII record separator). */
export const RECORD_SEP = '\x1e';
/** Between a line's event time and its message text (ASCII unit separator). */
export const UNIT_SEP = '\x1f';

export const RAW_BLOCK_COLUMNS: [string, ...string[]] = ['service', 'region', 'minute', 'first_ts', 'last_ts', 'events', 'body'];

/** A valid event and the message text it came in: stored as received, for drill-down. */
export interface RawEvent {
  event: SqaEvent;
  text: string;
}

interface Block {
  service: string;
  region: string;
  minute: number;
  first: number;
  last: number;
  events: number;
  body: string;
}

/**
 * The TabSeparated rows of the blocks that hold these events, one per scope and
 * minute, lines in arrival order. Service and region match NAME_PATTERN (schema
 * validation), so only the body can need escaping.
 */
export function rawBlocksTsv(raw: readonly RawEvent[]): string {
  // Keyed by scope, then minute: a write usually holds one or two minutes of a scope.
  const byScope = new Map<string, Block[]>();
  for (const { event: e, text } of raw) {
    const minute = e.ts - (e.ts % 60_000);
    const key = `${e.service}|${e.region}`;
    let blocks = byScope.get(key);
    if (blocks === undefined) byScope.set(key, (blocks = []));
    let b: Block | undefined;
    for (const x of blocks) if (x.minute === minute) b = x;
    if (b === undefined) {
      blocks.push({ service: e.service, region: e.region, minute, first: e.ts, last: e.ts, events: 1, body: `${e.ts}${UNIT_SEP}${text}` });
      continue;
    }
    if (e.ts < b.first) b.first = e.ts;
    if (e.ts > b.last) b.last = e.ts;
    b.events++;
    b.body += `${RECORD_SEP}${e.ts}${UNIT_SEP}${text}`;
  }
  let tsv = '';
  for (const blocks of byScope.values()) {
    for (const b of blocks) {
      tsv += `${b.service}\t${b.region}\t${b.minute / 1000}\t${b.first}\t${b.last}\t${b.events}\t${tsvField(b.body)}\n`;
    }
  }
  return tsv;
}

/**
 * SQL giving one row per stored event line — `service`, `region`, `ts_ms` (Int64),
 * `payload` (the message text) — from the blocks that `blockWhere` selects
 * (a condition on service, region, minute, first_ts, last_ts). Replays may have
 * stored a line twice: callers keep one per (id, ts_ms) with `LIMIT 1 BY`.
 */
export function rawLinesSql(table: string, blockWhere: string): string {
  return `SELECT service, region,
      toInt64(substring(line, 1, position(line, '\\x1f') - 1)) AS ts_ms,
      substring(line, position(line, '\\x1f') + 1) AS payload
    FROM ${table}
    ARRAY JOIN splitByChar('\\x1e', body) AS line
    WHERE ${blockWhere}`;
}
