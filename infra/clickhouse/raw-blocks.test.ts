// The block layout, byte for byte, without the engine (clickhouse-sink.test.ts reads
// blocks back through it). The rows are read back here with a RowBinary reader
// written from the format's description: strings as LEB128 length and bytes,
// numbers little-endian.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import { MAX_TS, MIN_TS } from '../../events/schema.js';
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

  it('writes each line\'s time in decimal for every time the schema takes: 12 and 13 digits, zeros in the low eight', () => {
    const times = [
      MIN_TS, MIN_TS + 1, 999_999_999_999, 1_000_000_000_000, 1_700_000_000_000, 1_700_000_000_009, 1_700_012_345_678,
      T, MAX_TS - 1,
      // Spread over the range, with scattered low eight digits (leading zeros among them).
      ...Array.from({ length: 200 }, (_, i) => MIN_TS + Math.floor((i / 200) * (MAX_TS - MIN_TS - 1e8)) + ((i * 7_919_113) % 1e8)),
    ];
    const builder = new RawBlockBuilder();
    const events = times.map((ts, i) => probe(`t${i}`, ts));
    for (const e of events) builder.add(e, Buffer.from(JSON.stringify(e)));
    const lines = readRows(builder.build().rows).flatMap((r) => r.body.split('\x1e'));
    expect(lines.map((l) => l.slice(0, l.indexOf('\x1f'))).sort()).toEqual(times.map(String).sort());
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

  describe('buffers kept for scopes absent from a build', () => {
    afterEach(() => vi.restoreAllMocks());
    const batch = (n: number, region: string) => Array.from({ length: n }, (_, i) => probe(`id-${region}-${i}-${'z'.repeat(i % 40)}`, T + i, region));
    /** Buffers allocated while adding the events (the build's own rows are not counted). */
    function allocations(builder: RawBlockBuilder, events: SqaEvent[]): number {
      const texts = events.map((e) => Buffer.from(JSON.stringify(e)));
      const spy = vi.spyOn(Buffer, 'allocUnsafe');
      events.forEach((e, i) => builder.add(e, texts[i]!));
      const n = spy.mock.calls.length;
      spy.mockRestore();
      expect(readRows(builder.build().rows).reduce((k, r) => k + r.events, 0)).toBe(events.length);
      return n;
    }

    it('fills a scope\'s buffer again after builds without its events (Kafka hands over one partition at a time)', () => {
      const builder = new RawBlockBuilder();
      expect(allocations(builder, [...batch(300, 'north'), ...batch(300, 'south')])).toBeGreaterThan(2); // both grow by doubling
      expect(allocations(builder, batch(300, 'north'))).toBe(0);
      expect(allocations(builder, batch(300, 'north'))).toBe(0);
      expect(allocations(builder, batch(300, 'south'))).toBe(0); // south's buffer was kept through two builds
    });

    it('lets a scope\'s buffer go after 8 builds without its events', () => {
      const builder = new RawBlockBuilder();
      allocations(builder, [...batch(300, 'north'), ...batch(300, 'south')]);
      for (let i = 0; i < 8; i++) allocations(builder, batch(300, 'north'));
      expect(allocations(builder, batch(300, 'south'))).toBe(0); // idle for 8 builds: still kept
      for (let i = 0; i < 9; i++) allocations(builder, batch(300, 'north'));
      expect(allocations(builder, batch(300, 'south'))).toBeGreaterThan(2); // idle for 9: grown anew
    });

    it('keeps at most 4 times the bytes of the last build, the longest idle scopes\' buffers going first', () => {
      const builder = new RawBlockBuilder();
      // Three scopes with a 64 KB buffer each (58 KB of lines), built one at a time so
      // that their idle counts differ.
      for (const r of ['a', 'b', 'c']) allocations(builder, batch(400, r));
      // A build of 46 KB (north, its buffer 64 KB) leaves room for 4 × 46 = 184 KB:
      // north's buffer and the most recently active idle scope's (c) fit, b's and a's not.
      allocations(builder, batch(300, 'north'));
      expect(allocations(builder, batch(400, 'c'))).toBe(0);
      expect(allocations(builder, batch(400, 'a'))).toBeGreaterThan(2);
    });
  });

  describe('rows buffers of large builds', () => {
    // 500 lines of ~150 bytes: rows of ~75 KB, over the 64 KB from which they are shared.
    const events = (from: number, n: number) => Array.from({ length: n }, (_, i) => probe(`id-${from + i}-${'w'.repeat(i % 100)}`, T + i));
    const build = (builder: RawBlockBuilder, from: number, n = 500) => {
      const es = events(from, n);
      for (const e of es) builder.add(e, Buffer.from(JSON.stringify(e)));
      const body = builder.build();
      expect(readRows(body.rows)[0]!.body.split('\x1e')).toEqual(es.map((e) => `${e.ts}\x1f${JSON.stringify(e)}`));
      return body;
    };

    it('are shared memory, filled again once recycled, and new while the last is not', () => {
      const builder = new RawBlockBuilder();
      const first = build(builder, 0);
      expect(first.rows.buffer).toBeInstanceOf(SharedArrayBuffer);
      const second = build(builder, 1000); // the first is not written yet
      expect(second.rows.buffer).not.toBe(first.rows.buffer);
      builder.recycle(first);
      builder.recycle(first); // twice by mistake: kept once
      const third = build(builder, 2000);
      expect(third.rows.buffer).toBe(first.rows.buffer);
      expect(build(builder, 3000).rows.buffer).not.toBe(first.rows.buffer); // the third holds it
      expect(readRows(second.rows)[0]!.events).toBe(500); // untouched by the builds after it
    });

    it('a build takes the smallest kept buffer that holds its rows', () => {
      const builder = new RawBlockBuilder();
      const small = build(builder, 0); // ~75 KB in a buffer of twice that
      const large = build(builder, 1000, 1500); // ~225 KB
      builder.recycle(large);
      builder.recycle(small);
      expect(build(builder, 3000).rows.buffer).toBe(small.rows.buffer);
      expect(build(builder, 4000).rows.buffer).toBe(large.rows.buffer);
    });

    it('small ones are ordinary buffers (slices of Node\'s pool), not kept', () => {
      const builder = new RawBlockBuilder();
      const e = probe('small', T);
      builder.add(e, Buffer.from(JSON.stringify(e)));
      const small = builder.build();
      expect(small.rows.buffer).not.toBeInstanceOf(SharedArrayBuffer);
      builder.recycle(small);
      const large = build(builder, 0);
      expect(large.rows.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(readRows(small.rows)[0]!.body).toBe(`${T}\x1f${JSON.stringify(e)}`);
    });
  });
});
