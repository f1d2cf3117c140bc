// The block layout, byte for byte, without the engine (clickhouse-sink.test.ts reads
// blocks back through it). The rows are read back here with a RowBinary reader
// written from the format's description: strings as LEB128 length and bytes,
// numbers little-endian.
import { describe, expect, it } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import { RawBlockBuilder } from './raw-blocks.js';
import { rawBody } from '../../test/helpers/raw-events.js';

const T = Date.UTC(2026, 2, 1, 10, 0, 0);
const probe = (id: string, ts: number, region = 'north'): SqaEvent => ({ id, type: 'probe', ts, service: 'voice', region, ok: true, latencyMs: 12 });
const one = (e: SqaEvent, text = JSON.stringify(e)) => ({ event: e, text });

interface Row { service: string; region: string; minute: number; first: number; last: number; events: number; body: string }

function readRows(buf: Buffer): Row[] {
  let at = 0;
  const str = () => {
    let len = 0;
    for (let shift = 1; ; shift *= 128) {
      const byte = buf[at++]!;
      len += (byte & 0x7f) * shift;
      if (byte < 0x80) break;
    }
    at += len;
    return buf.toString('utf8', at - len, at);
  };
  const u32 = () => { at += 4; return buf.readUInt32LE(at - 4); };
  const i64 = () => { at += 8; return Number(buf.readBigInt64LE(at - 8)); };
  const rows: Row[] = [];
  while (at < buf.length) rows.push({ service: str(), region: str(), minute: u32(), first: i64(), last: i64(), events: u32(), body: str() });
  return rows;
}

describe('raw-event blocks', () => {
  it('writes one row per scope and minute, its lines `ts US text` joined by RS', () => {
    const a = probe('a', T + 5_000);
    const b = probe('b', T + 1_000);
    const c = probe('c', T + 61_000);
    const d = probe('d', T + 2_000, 'south');
    const body = rawBody([one(a), one(b), one(c), one(d)]);
    expect(body.events).toBe(4);
    expect(readRows(body.rows)).toEqual([
      { service: 'voice', region: 'north', minute: T / 1000, first: T + 1_000, last: T + 5_000, events: 2, body: `${a.ts}\x1f${JSON.stringify(a)}\x1e${b.ts}\x1f${JSON.stringify(b)}` },
      { service: 'voice', region: 'north', minute: T / 1000 + 60, first: c.ts, last: c.ts, events: 1, body: `${c.ts}\x1f${JSON.stringify(c)}` },
      { service: 'voice', region: 'south', minute: T / 1000, first: d.ts, last: d.ts, events: 1, body: `${d.ts}\x1f${JSON.stringify(d)}` },
    ]);
  });

  it('keeps the message bytes as they came: backslashes, JSON whitespace, any Unicode', () => {
    const e = { ...probe('x\\"y', T), attrs: { note: 'é 🚨' } };
    const pretty = JSON.stringify(e, null, '\t').replace('{\n', '{\r\n');
    const [row] = readRows(rawBody([one(e, pretty)]).rows);
    expect(row!.body).toBe(`${T}\x1f${pretty}`);
  });

  it('grows a block past its first buffer, writes multi-byte lengths, and starts empty after a build', () => {
    const builder = new RawBlockBuilder();
    const events = Array.from({ length: 500 }, (_, i) => probe(`id-${i}-${'x'.repeat(i % 50)}`, T + i));
    for (const e of events) builder.add(e, Buffer.from(JSON.stringify(e)));
    expect(builder.events).toBe(500);
    const rows = readRows(builder.build().rows);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.body.length).toBeGreaterThan(16_384); // a three-byte length
    expect(rows[0]!.body.split('\x1e')).toEqual(events.map((e) => `${e.ts}\x1f${JSON.stringify(e)}`));
    expect(builder.events).toBe(0);
    expect(builder.build()).toEqual({ rows: Buffer.alloc(0), events: 0 });
  });

  it('fills the buffers of the last build again with only the new lines, in builds with fewer, more or other scopes', () => {
    const builder = new RawBlockBuilder();
    const line = (e: SqaEvent) => `${e.ts}\x1f${JSON.stringify(e)}`;
    const batch = (n: number, from: number, region: string, at = T) => Array.from({ length: n }, (_, i) => probe(`id-${from + i}-${'y'.repeat(i % 40)}`, at + i, region));
    // Builds of 300 lines (~40 KB, buffers of their own), then 5 (a kept buffer mostly
    // empty, not kept again), then 400 in the next minute, then a scope of its own.
    const builds = [
      [...batch(300, 0, 'north'), ...batch(300, 1000, 'south')],
      batch(5, 2000, 'north'),
      batch(400, 3000, 'north', T + 60_000),
      batch(50, 4000, 'east'),
    ];
    for (const events of builds) {
      for (const e of events) builder.add(e, Buffer.from(JSON.stringify(e)));
      const rows = readRows(builder.build().rows);
      const regions = [...new Set(events.map((e) => e.region))];
      expect(rows.map((r) => r.region)).toEqual(regions);
      for (const r of rows) {
        const mine = events.filter((e) => e.region === r.region);
        expect(r.events).toBe(mine.length);
        expect(r.body.split('\x1e')).toEqual(mine.map(line));
      }
    }
  });
});
