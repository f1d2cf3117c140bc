// The block layout, byte for byte, without the engine (clickhouse-sink.test.ts reads
// blocks back through it).
import { describe, expect, it } from 'vitest';
import type { SqaEvent } from '../../events/types.js';
import { RawBlockBuilder, rawBody } from './raw-blocks.js';

const T = Date.UTC(2026, 2, 1, 10, 0, 0);
const probe = (id: string, ts: number, region = 'north'): SqaEvent => ({ id, type: 'probe', ts, service: 'voice', region, ok: true, latencyMs: 12 });
const one = (e: SqaEvent, text = JSON.stringify(e)) => ({ event: e, text });

describe('raw-event blocks', () => {
  it('writes one row per scope and minute: head fields, then ts US text lines joined by RS', () => {
    const a = probe('a', T + 5_000);
    const b = probe('b', T + 1_000);
    const c = probe('c', T + 61_000);
    const d = probe('d', T + 2_000, 'south');
    const body = rawBody([one(a), one(b), one(c), one(d)]);
    expect(body.events).toBe(4);
    expect(body.tsv.toString('utf8')).toBe(
      `voice\tnorth\t${T / 1000}\t${T + 1_000}\t${T + 5_000}\t2\t${a.ts}\x1f${JSON.stringify(a)}\x1e${b.ts}\x1f${JSON.stringify(b)}\n`
      + `voice\tnorth\t${T / 1000 + 60}\t${c.ts}\t${c.ts}\t1\t${c.ts}\x1f${JSON.stringify(c)}\n`
      + `voice\tsouth\t${T / 1000}\t${d.ts}\t${d.ts}\t1\t${d.ts}\x1f${JSON.stringify(d)}\n`);
  });

  it('escapes backslashes and JSON whitespace for TabSeparated, and only those lines', () => {
    const e = { ...probe('x\\"y', T), attrs: { note: 'é 🚨' } };
    const pretty = JSON.stringify(e, null, '\t').replace('{\n', '{\r\n');
    const plain = probe('p', T + 1);
    const tsv = rawBody([one(e, pretty), one(plain)]).tsv.toString('utf8');
    const escaped = pretty.replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n').replaceAll('\r', '\\r');
    expect(tsv).toBe(`voice\tnorth\t${T / 1000}\t${T}\t${T + 1}\t2\t${T}\x1f${escaped}\x1e${T + 1}\x1f${JSON.stringify(plain)}\n`);
  });

  it('grows a block past its first buffer and starts empty after a build', () => {
    const builder = new RawBlockBuilder();
    const events = Array.from({ length: 500 }, (_, i) => probe(`id-${i}-${'x'.repeat(i % 50)}`, T + i));
    for (const e of events) builder.add(e, JSON.stringify(e), Buffer.from(JSON.stringify(e)));
    expect(builder.events).toBe(500);
    const [row, ...rest] = builder.build().tsv.toString('utf8').split('\n');
    expect(rest).toEqual(['']);
    const lines = row!.split('\t')[6]!.split('\x1e');
    expect(lines).toEqual(events.map((e) => `${e.ts}\x1f${JSON.stringify(e)}`));
    expect(builder.events).toBe(0);
    expect(builder.build()).toEqual({ tsv: Buffer.alloc(0), events: 0 });
  });
});
