// A fast path for the one spelling of a probe event that the event topic carries
// almost always: the normalised event as JSON.stringify writes it (ingest and the
// simulator produce exactly that, ingest/kafka-producer.ts), without attrs, every
// string plain ASCII. Probes are the bulk of the feed, and for them decoding,
// JSON.parse and the schema check together were ~1.1 µs of the processors' ~6 µs
// per event; reading this spelling byte by byte takes ~0.5 (docs/benchmarks.md,
// 2026-11-29 07:50–09:00).
//
// It is not a second schema: it accepts a strict subset of what validateEvent
// accepts, and gives up (null) on anything else, valid or not (whitespace, escapes,
// non-ASCII, another key order, numbers with exponents, out-of-range values), so
// that the full path decides and words any refusal. What it returns must equal what
// JSON.parse + validateEvent return for the same bytes: fast-probe.property.test.ts
// checks that on generated events and on their random corruptions.
import { ID_MAX_LENGTH, LATENCY_MAX_MS, MAX_TS, MIN_TS } from './schema.js';
import type { ProbeEvent } from './types.js';

const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const ID = bytes('{"id":"');
const TYPE_TS = bytes('","type":"probe","ts":');
const SERVICE = bytes(',"service":"');
const REGION = bytes('","region":"');
const ELEMENT = bytes('","element":"');
const OK = bytes('","ok":');
const LATENCY = bytes(',"latencyMs":');
const TRUE = bytes('true');
const FALSE = bytes('false');

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const ZERO = 0x30;
const NINE = 0x39;

/** `at` past `k` if the bytes there are `k`, else -1. */
function expect(b: Uint8Array, at: number, k: Uint8Array): number {
  if (at < 0 || at + k.length > b.length) return -1;
  for (let i = 0; i < k.length; i++) if (b[at + i] !== k[i]) return -1;
  return at + k.length;
}

/**
 * The index of the closing quote of a string starting at `at` whose characters are
 * printable ASCII without escapes (then its bytes are its characters), or -1.
 */
function plainStringEnd(b: Uint8Array, at: number): number {
  for (let i = at; i < b.length; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i;
    if (c === BACKSLASH || c < 0x20 || c >= 0x80) return -1;
  }
  return -1;
}

/** The closing quote of a plain string at `at` of 1 to ID_MAX_LENGTH characters (id, element), or -1. */
function idEnd(b: Uint8Array, at: number): number {
  const end = plainStringEnd(b, at);
  return end - at >= 1 && end - at <= ID_MAX_LENGTH ? end : -1;
}

/** End of `0|[1-9][0-9]*` at `at`, or -1 (JSON has no leading zeros). */
function digitsEnd(b: Uint8Array, at: number): number {
  if (at >= b.length || b[at]! < ZERO || b[at]! > NINE) return -1;
  if (b[at] === ZERO) return at + 1;
  let i = at;
  while (i < b.length && b[i]! >= ZERO && b[i]! <= NINE) i++;
  return i;
}

/** Characters of bytes [from, to), all ASCII. */
function ascii(b: Buffer, from: number, to: number): string {
  return b.toString('latin1', from, to);
}

/**
 * Service and region names seen lately, by a hash of their bytes: a feed has few,
 * and reusing one string spares making and collecting one per event.
 */
const NAMES = new Array<string | undefined>(256).fill(undefined);

/** Where nameAt ended: the closing quote's index (valid only after a non-null result). */
let nameEndAt = -1;

/**
 * The name (NAME_PATTERN, `^[a-z0-9][a-z0-9._-]{0,63}$`) of the string at `at`, the
 * same string as last time if it was seen lately; null if the string there is not
 * one. Checked and hashed in one pass: names are the only strings read twice.
 */
function nameAt(b: Buffer, at: number): string | null {
  if (at < 0) return null;
  let h = 0;
  let i = at;
  for (; i < b.length; i++) {
    const c = b[i]!;
    if (c === QUOTE) break;
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= ZERO && c <= NINE);
    if (!alnum && (i === at || (c !== 0x2e && c !== 0x5f && c !== 0x2d))) return null;
    h = (Math.imul(h, 31) + c) | 0;
  }
  const len = i - at;
  if (i === b.length || len < 1 || len > 64) return null;
  nameEndAt = i;
  const slot = h & 255;
  const seen = NAMES[slot];
  if (seen !== undefined && seen.length === len) {
    let k = 0;
    while (k < len && seen.charCodeAt(k) === b[at + k]) k++;
    if (k === len) return seen;
  }
  const name = ascii(b, at, i);
  NAMES[slot] = name;
  return name;
}

/**
 * The value of the decimal in bytes [from, to) (`digits[.digits]`), as JSON.parse
 * reads it. Up to 15 significant digits it is exactly m / 10^k (both exact doubles,
 * one correctly rounded division: the fast path of every correct strtod); longer
 * ones go through Number(), which rounds the same way JSON.parse does.
 */
function decimal(b: Buffer, from: number, to: number): number {
  if (to - from > 16) return Number(ascii(b, from, to));
  let m = 0;
  let scale = 1;
  let dot = false;
  for (let i = from; i < to; i++) {
    const c = b[i]!;
    if (c === 0x2e) dot = true;
    else {
      m = m * 10 + (c - ZERO);
      if (dot) scale *= 10;
    }
  }
  return m / scale;
}

/**
 * The probe event these bytes spell, if they are in the canonical spelling and
 * valid; null means "not decided here": run the full path.
 */
export function parseCanonicalProbe(b: Buffer): ProbeEvent | null {
  let at = expect(b, 0, ID);
  if (at < 0) return null;
  let end = idEnd(b, at);
  if (end < 0) return null;
  const idFrom = at;
  const idTo = end;

  at = expect(b, end, TYPE_TS);
  if (at < 0) return null;
  end = digitsEnd(b, at);
  if (end < 0) return null;
  let ts = 0;
  for (let i = at; i < end; i++) ts = ts * 10 + (b[i]! - ZERO);
  if (ts < MIN_TS || ts >= MAX_TS) return null;

  const service = nameAt(b, expect(b, end, SERVICE));
  if (service === null) return null;
  const region = nameAt(b, expect(b, nameEndAt, REGION));
  if (region === null) return null;
  end = nameEndAt;

  let elementFrom = -1;
  let elementTo = -1;
  at = expect(b, end, ELEMENT);
  if (at >= 0) {
    end = idEnd(b, at);
    if (end < 0) return null;
    elementFrom = at;
    elementTo = end;
  }

  at = expect(b, end, OK);
  let ok: boolean;
  if (expect(b, at, TRUE) >= 0) {
    ok = true;
    at += TRUE.length;
  } else if (expect(b, at, FALSE) >= 0) {
    ok = false;
    at += FALSE.length;
  } else return null;

  let latencyMs: number | undefined;
  const num = expect(b, at, LATENCY);
  if (num >= 0) {
    // `0|[1-9][0-9]*` with an optional fraction: JSON.stringify's spelling of a
    // latency (exponents only appear outside the accepted range or below 1e-6).
    end = digitsEnd(b, num);
    if (end < 0) return null;
    if (end < b.length && b[end] === 0x2e) {
      const frac = end + 1;
      end = frac;
      while (end < b.length && b[end]! >= ZERO && b[end]! <= NINE) end++;
      if (end === frac) return null;
    }
    latencyMs = decimal(b, num, end);
    if (!(latencyMs >= 0 && latencyMs <= LATENCY_MAX_MS)) return null;
    at = end;
  } else if (ok) return null; // "latencyMs: required when ok is true": the full path says so

  if (at !== b.length - 1 || b[at] !== 0x7d) return null;
  // The same fields in the same order as validateEvent's probe, so that both
  // paths' events share one shape downstream.
  return {
    id: ascii(b, idFrom, idTo), type: 'probe', ts, service, region,
    element: elementFrom < 0 ? undefined : ascii(b, elementFrom, elementTo), attrs: undefined, ok, latencyMs,
  };
}
