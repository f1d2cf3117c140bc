// The canonical-probe fast path (fast-probe.ts) against the full path it stands in
// for: the bytes decoded as UTF-8, JSON.parse, validateEvent. Whatever it returns
// must be exactly the full path's event; whatever else it must leave to the full
// path (null). And it must actually take the canonical spelling of ordinary probes,
// or it saves nothing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCanonicalProbe } from './fast-probe.js';
import { NAME_PATTERN, validateEvent, type Validation } from './schema.js';
import type { ProbeEvent } from './types.js';
import { MAX_TS, MIN_TS, name, validEvent } from '../test/helpers/event-arbitraries.js';

const RUNS = { numRuns: 2000 };
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** What the processors did with every message before the fast path. */
function full(bytes: Buffer): Validation {
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return { ok: false, reason: 'not UTF-8' };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  return validateEvent(raw);
}

/** The fast path never disagrees with the full path: it answers the same event or leaves the message to it. */
function agrees(bytes: Buffer): boolean {
  const fast = parseCanonicalProbe(bytes);
  if (fast === null) return true;
  const f = full(bytes);
  expect(f.ok, `fast path accepted what the full path refuses: ${bytes.toString('latin1')}`).toBe(true);
  // Same keys (undefined ones included) in the same order, same values.
  expect(Object.keys(fast)).toEqual(Object.keys((f as { event: object }).event));
  expect(fast).toStrictEqual((f as { event: ProbeEvent }).event);
  return true;
}

const asciiChar = fc.integer({ min: 0x20, max: 0x7f }).map((c) => String.fromCharCode(c));
const asciiText = (min: number, max: number) => fc.string({ unit: asciiChar, minLength: min, maxLength: max });
const latency = fc.oneof(
  fc.double({ min: 0, max: 86_400_000, noNaN: true }),
  fc.integer({ min: 0, max: 86_400_000 }),
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 10),
  fc.integer({ min: 0, max: 10_000_000 }).map((n) => n / 1000),
);

/** A normalised probe with ASCII text, as ingest writes it to the topic. */
const asciiProbe: fc.Arbitrary<ProbeEvent> = fc.boolean().chain((ok) => fc.record({
  id: asciiText(1, 128), ts: fc.integer({ min: MIN_TS, max: MAX_TS - 1 }), service: name, region: name,
  element: fc.option(asciiText(1, 128), { nil: undefined }), ok: fc.constant(ok),
  latencyMs: ok ? latency : fc.option(latency, { nil: undefined }),
})).map((p) => {
  const v = validateEvent({ type: 'probe', ...p });
  if (!v.ok) throw new Error(`generated probe refused: ${v.reason}`);
  return v.event as ProbeEvent;
});

/** Bytes that change meaning when they land somewhere in a JSON text. */
const awkwardByte = fc.constantFrom(...'0 9 " \\ } { , : . e E - + t f n a z A _ / \t \n'.split(' ').map((c) => c.charCodeAt(0)), 0x20, 0x7f, 0x80, 0xc3, 0xff, 0x00);

type Edit = { kind: 'set' | 'insert' | 'delete'; at: number; byte: number };
const edits = fc.array(fc.record({ kind: fc.constantFrom('set', 'insert', 'delete') as fc.Arbitrary<Edit['kind']>, at: fc.nat(), byte: awkwardByte }), { minLength: 1, maxLength: 3 });

function corrupt(bytes: Buffer, list: Edit[]): Buffer {
  const b = [...bytes];
  for (const e of list) {
    const at = e.at % (b.length + 1);
    if (e.kind === 'insert') b.splice(at, 0, e.byte);
    else if (at < b.length) {
      if (e.kind === 'set') b[at] = e.byte;
      else b.splice(at, 1);
    }
  }
  return Buffer.from(b);
}

describe('parseCanonicalProbe', () => {
  it('takes every ASCII probe as ingest spells it, and answers exactly the full path\'s event', () => {
    fc.assert(fc.property(asciiProbe, (p) => {
      const bytes = Buffer.from(JSON.stringify(p));
      // JSON.stringify spells some doubles with an exponent (below 1e-6): those are left to the full path.
      const plainNumber = p.latencyMs === undefined || !/e/i.test(String(p.latencyMs));
      const escapes = bytes.includes(0x5c);
      const fast = parseCanonicalProbe(bytes);
      if (plainNumber && !escapes) expect(fast, bytes.toString()).not.toBeNull();
      return agrees(bytes);
    }), RUNS);
  });

  it('never disagrees on any valid event of any type (any Unicode, attrs, RFC 3339 times)', () => {
    fc.assert(fc.property(validEvent, (c) => agrees(Buffer.from(JSON.stringify(c.expected))) && agrees(Buffer.from(JSON.stringify(c.raw)))), RUNS);
  });

  it('never disagrees on corrupted probes: a byte set, inserted or deleted anywhere', () => {
    fc.assert(fc.property(asciiProbe, edits, (p, list) => agrees(corrupt(Buffer.from(JSON.stringify(p)), list))), { numRuns: 10_000 });
  });

  it('reads service and region exactly as NAME_PATTERN does', () => {
    const re = new RegExp(NAME_PATTERN);
    const candidate = fc.string({ unit: fc.constantFrom(...'az09._-A/ ~'.split('')), minLength: 0, maxLength: 66 });
    fc.assert(fc.property(candidate, fc.boolean(), (s, asRegion) => {
      const probe = { id: 'x', type: 'probe', ts: MIN_TS, service: asRegion ? 'svc' : s, region: asRegion ? s : 'reg', ok: false };
      const fast = parseCanonicalProbe(Buffer.from(JSON.stringify(probe)));
      expect(fast !== null, JSON.stringify(s)).toBe(re.test(s));
    }), RUNS);
  });

  it('reads latencies as JSON.parse does, to the last bit', () => {
    const digits = fc.tuple(fc.stringMatching(/^(0|[1-9][0-9]{0,7})$/), fc.option(fc.stringMatching(/^[0-9]{1,12}$/), { nil: undefined }))
      .map(([i, f]) => (f === undefined ? i : `${i}.${f}`));
    fc.assert(fc.property(digits, (d) => {
      const text = `{"id":"x","type":"probe","ts":${MIN_TS},"service":"s","region":"r","ok":true,"latencyMs":${d}}`;
      const fast = parseCanonicalProbe(Buffer.from(text));
      const value = JSON.parse(d) as number;
      if (value > 86_400_000) expect(fast).toBeNull();
      else expect(Object.is(fast?.latencyMs, value), `${d}: ${fast?.latencyMs} vs ${value}`).toBe(true);
    }), RUNS);
  });

  it('leaves the edges to the full path', () => {
    const base = { id: 'p-1', type: 'probe', ts: MIN_TS, service: 'voice', region: 'north', element: 'e1', ok: true, latencyMs: 12.5 };
    const spell = (o: object) => Buffer.from(JSON.stringify(o));
    expect(parseCanonicalProbe(spell(base))).toStrictEqual({ ...base, attrs: undefined });
    for (const odd of [
      { ...base, ts: MAX_TS }, { ...base, ts: MIN_TS - 1 }, { ...base, latencyMs: 86_400_000.5 }, { ...base, id: '' }, { ...base, id: 'x'.repeat(129) },
      { ...base, element: '' }, { ...base, attrs: { a: 'b' } }, { ...base, latencyMs: undefined }, { ...base, id: 'é' }, { ...base, id: 'a"b' },
    ]) expect(parseCanonicalProbe(spell(odd)), JSON.stringify(odd)).toBeNull();
    expect(parseCanonicalProbe(Buffer.from(` ${JSON.stringify(base)}`))).toBeNull();
    expect(parseCanonicalProbe(Buffer.from(`${JSON.stringify(base)} `))).toBeNull();
    expect(parseCanonicalProbe(Buffer.from(JSON.stringify(base).replace('"ts":', '"ts": ')))).toBeNull();
    expect(parseCanonicalProbe(Buffer.from(JSON.stringify(base).replace('12.5', '1.25e1')))).toBeNull();
    expect(parseCanonicalProbe(Buffer.from(JSON.stringify(base).replace('12.5', '012.5')))).toBeNull();
    expect(parseCanonicalProbe(Buffer.from(''))).toBeNull();
    // Names of exactly the longest length NAME_PATTERN takes, and one longer.
    for (const key of ['service', 'region'] as const) {
      expect(parseCanonicalProbe(spell({ ...base, [key]: 'a'.repeat(64) }))?.[key]).toBe('a'.repeat(64));
      expect(parseCanonicalProbe(spell({ ...base, [key]: 'a'.repeat(65) }))).toBeNull();
    }
  });
});
