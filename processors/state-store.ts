// Persists per-scope core state so that state outliving Kafka's replay horizon
// (an alarm raised hours ago, an open ticket) survives a crash or a rebalance.
// The remembered ids go to processor_ids in segments written once each, before the
// state rows that name them (docs/processors.md, "Remembered ids").
import type { Db } from '../infra/clickhouse/client.js';
import { tsvField } from '../infra/clickhouse/tsv.js';
import { referencedSegments, type IdSegment, type ScopeSnapshot } from './core/index.js';

export interface PartitionRef {
  group: string;
  topic: string;
  partition: number;
}

export interface PartitionSnapshots {
  partition: number;
  snaps: ScopeSnapshot[];
}

const SEGMENT_COLUMNS = ['consumer_group', 'topic', 'partition', 'scope', 'generation', 'segment', 'wide', 'units', 'written_at'];

/** A text field as its UTF-8 bytes (the line is sent byte for byte as latin1). */
const tsvText = (s: string) => tsvField(Buffer.from(s, 'utf8').toString('latin1'));
/** Segment ids per lookup query (query parameters travel in the URL of a server). */
const SEGMENTS_PER_QUERY = 2000;

/**
 * A segment's code units as a String's bytes: one byte each when all are ASCII (ids
 * mostly are; the length units are at most 128), else base64 of their UTF-16LE bytes
 * (`wide`), exact for any id, lone surrogates included. Never JSON-escaped. Both are
 * valid UTF-8, so no insert path can alter them (the client's path to the embedded
 * engine decodes bodies as UTF-8, which would replace other bytes).
 */
function segmentField(units: string): { wide: 0 | 1; text: string } {
  // eslint-disable-next-line no-control-regex
  if (!/[^\u0000-\u007f]/.test(units)) return { wide: 0, text: units };
  return { wide: 1, text: Buffer.from(units, 'utf16le').toString('base64') };
}

function segmentText(wide: number, bytes: Buffer): string {
  return wide ? Buffer.from(bytes.toString('latin1'), 'base64').toString('utf16le') : bytes.toString('latin1');
}

async function insertSegments(db: Db, ref: Omit<PartitionRef, 'partition'>, parts: readonly PartitionSnapshots[]): Promise<number> {
  const lines: Buffer[] = [];
  let bytes = 0;
  for (const p of parts) {
    for (const s of p.snaps) {
      for (const g of s.segments ?? []) {
        const enc = segmentField(g.units);
        const line = `${tsvText(ref.group)}\t${tsvText(ref.topic)}\t${p.partition}\t${tsvText(s.scope)}\t${g.generation}\t${tsvText(g.segment)}\t${enc.wide}\t`
          + `${tsvField(enc.text)}\t${Math.floor(g.writtenAt / 1000)}\n`;
        const buf = Buffer.from(line, 'latin1');
        bytes += buf.length;
        lines.push(buf);
      }
    }
  }
  if (lines.length === 0) return 0;
  await db.insertFormatted(db.t('processor_ids'), SEGMENT_COLUMNS, 'TabSeparated', Buffer.concat(lines));
  return bytes;
}

/**
 * Writes the id segments of the snapshots, then (only once they are stored) the state
 * rows that name them. Returns the bytes written (for instrumentation).
 */
export async function saveSnapshots(db: Db, ref: Omit<PartitionRef, 'partition'>, parts: readonly PartitionSnapshots[]): Promise<number> {
  let bytes = await insertSegments(db, ref, parts);
  const values = parts.flatMap((p) => p.snaps.map((s) => {
    const state = JSON.stringify(s.state);
    bytes += state.length;
    return { consumer_group: ref.group, topic: ref.topic, partition: p.partition, scope: s.scope, offset: s.offset, state };
  }));
  if (values.length > 0) await db.client.insert({ table: db.t('processor_state'), format: 'JSONEachRow', values });
  return bytes;
}

/** The newest state of each scope of the partition, with the id segments it names. */
export async function loadSnapshots(db: Db, p: PartitionRef): Promise<ScopeSnapshot[]> {
  const params = { group: p.group, topic: p.topic, partition: p.partition };
  const rs = await db.client.query({
    query: `SELECT scope, offset, state FROM ${db.t('processor_state')} FINAL
            WHERE consumer_group = {group:String} AND topic = {topic:String} AND partition = {partition:UInt32}`,
    query_params: params,
    format: 'JSONEachRow',
  });
  const rows = await rs.json<{ scope: string; offset: string | number; state: string }>();
  const snaps: ScopeSnapshot[] = rows.map((r) => ({ scope: r.scope, offset: Number(r.offset), state: JSON.parse(r.state) as unknown }));
  const wanted = snaps.flatMap((s) => referencedSegments(s.state));
  if (wanted.length === 0) return snaps;
  // Only the segments the states name: newer ones of a snapshot whose state never landed are ignored.
  const byScope = new Map<string, IdSegment[]>();
  for (let i = 0; i < wanted.length; i += SEGMENTS_PER_QUERY) {
    const seg = await db.client.query({
      query: `SELECT scope, generation, segment, wide, hex(units) AS hex, toUnixTimestamp(written_at) AS at FROM ${db.t('processor_ids')}
              WHERE consumer_group = {group:String} AND topic = {topic:String} AND partition = {partition:UInt32}
                AND segment IN {segments:Array(String)}
              LIMIT 1 BY scope, segment`,
      query_params: { ...params, segments: wanted.slice(i, i + SEGMENTS_PER_QUERY) },
      format: 'JSONEachRow',
    });
    for (const r of await seg.json<{ scope: string; generation: string | number; segment: string; wide: number; hex: string; at: number }>()) {
      const list = byScope.get(r.scope) ?? [];
      list.push({ generation: Number(r.generation), segment: r.segment, units: segmentText(r.wide, Buffer.from(r.hex, 'hex')), writtenAt: r.at * 1000 });
      byScope.set(r.scope, list);
    }
  }
  return snaps.map((s) => ({ ...s, segments: byScope.get(s.scope) ?? [] }));
}
