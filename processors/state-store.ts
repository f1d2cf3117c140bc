// Persists per-scope core state so that state outliving Kafka's replay horizon
// (an alarm raised hours ago, an open ticket) survives a crash or a rebalance.
// The remembered ids go to processor_ids in segments written once each, before the
// state rows that name them (docs/processors.md, "Remembered ids").
import type { Db } from '../infra/clickhouse/client.js';
import { RowBinaryWriter } from '../infra/clickhouse/row-binary.js';
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
const SEGMENT_STRUCTURE = 'consumer_group String, topic String, partition UInt32, scope String, generation UInt64, segment String, wide UInt8, units String, written_at DateTime';
/** Segment ids per lookup query (query parameters travel in the URL of a server). */
const SEGMENTS_PER_QUERY = 2000;

/**
 * A segment's code units as a String's bytes: one byte each when all are ASCII (ids
 * mostly are; the length units are at most 128), else base64 of their UTF-16LE bytes
 * (`wide`), exact for any id, lone surrogates included. Both are ASCII, so the
 * stored bytes read back the same through any client and format.
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
  // RowBinary: a segment is up to ~100 KB of ids, which TabSeparated made the engine
  // scan for escapes (docs/benchmarks.md 2026-11-29 13:20).
  const group = Buffer.from(ref.group, 'utf8');
  const topic = Buffer.from(ref.topic, 'utf8');
  const fields = parts.flatMap((p) => p.snaps.flatMap((s) => (s.segments ?? []).map((g) => ({ p, s, g, enc: segmentField(g.units) }))));
  // Sized up front: a snapshot's segments are megabytes, and a buffer grown by
  // doubling would allocate as much again outside the JS heap.
  const rows = new RowBinaryWriter(fields.reduce((n, f) => n + 64 + group.length + topic.length + 3 * (f.s.scope.length + f.g.segment.length) + f.enc.text.length, 0));
  for (const { p, s, g, enc } of fields) {
    rows.bytes(group).bytes(topic).u32(p.partition).utf8(s.scope).u64(g.generation).utf8(g.segment).u8(enc.wide)
      .latin1(enc.text).u32(Math.floor(g.writtenAt / 1000));
  }
  if (rows.length === 0) return 0;
  await db.insertRowBinary(db.t('processor_ids'), SEGMENT_STRUCTURE, SEGMENT_COLUMNS, rows.build());
  return rows.length;
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
