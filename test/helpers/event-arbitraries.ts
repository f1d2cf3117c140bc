// fast-check arbitraries for events, derived from CONTRACT.md section 1 rather than
// from events/schema.ts, so the property tests check the schema against the
// contract and not against itself. Each valid case carries the normalised event
// the contract implies (ts in epoch ms, serviceAffecting defaulted, unknown fields
// dropped), worked out here without calling the schema.
import fc from 'fast-check';
import type { SqaEvent } from '../../events/types.js';

// Contract decision recorded in events/schema.ts: event times in [2000, 2100).
export const MIN_TS = Date.UTC(2000, 0, 1);
export const MAX_TS = Date.UTC(2100, 0, 1);

const ALARM_STATES = ['raised', 'acknowledged', 'cleared'] as const;
const SEVERITIES = ['critical', 'major', 'minor', 'warning'] as const;
const TICKET_STATES = ['opened', 'acknowledged', 'resolved', 'closed', 'reopened'] as const;
const CATEGORIES = ['network', 'billing', 'service', 'other'] as const;

export type Raw = Record<string, unknown>;
export interface ValidCase {
  raw: Raw;
  expected: SqaEvent;
}

/** Any Unicode text (well-formed: fast-check's 'binary' unit never emits lone surrogates). */
export const text = (minLength: number, maxLength: number) => fc.string({ unit: 'binary', minLength, maxLength });
export const name = fc.stringMatching(/^[a-z0-9][a-z0-9._-]{0,63}$/);

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** An RFC 3339 spelling of epoch ms `t` at a UTC offset, with the fraction and separators the contract allows. */
function rfc3339(t: number, offsetMin: number, fracExtra: string, lower: boolean, space: boolean): string {
  const local = new Date(t + offsetMin * 60_000);
  const date = `${local.getUTCFullYear()}-${pad(local.getUTCMonth() + 1)}-${pad(local.getUTCDate())}`;
  const time = `${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())}`;
  const ms = t % 1000;
  // Sub-millisecond digits are allowed by RFC 3339 and dropped (truncated) by the parse.
  const frac = ms === 0 && fracExtra === '' ? '' : `.${pad(ms, 3)}${fracExtra}`;
  const abs = Math.abs(offsetMin);
  const zone = offsetMin === 0 && !space ? 'Z' : `${offsetMin < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  const s = `${date}${space ? ' ' : 'T'}${time}${frac}${zone}`;
  return lower ? s.toLowerCase() : s;
}

/** A contract timestamp (raw) with the epoch ms it stands for. */
export const timestamp: fc.Arbitrary<{ raw: string | number; ms: number }> = fc.integer({ min: MIN_TS, max: MAX_TS - 1 }).chain((ms) =>
  fc.oneof(
    fc.constant({ raw: ms as string | number, ms }),
    fc.record({
      offset: fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 }),
      extra: fc.stringMatching(/^\d{0,6}$/),
      lower: fc.boolean(),
      space: fc.boolean(),
    }).map(({ offset, extra, lower, space }) => ({ raw: rfc3339(ms, offset, extra, lower, space), ms })),
  ));

// Attrs keys and values are free text; keys such as __proto__ are labels like any other.
const attrKey = fc.oneof(text(0, 128), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty'));
const attrs = fc.uniqueArray(fc.tuple(attrKey, text(0, 1024)), { maxLength: 16, selector: ([k]) => k })
  .map((entries) => Object.fromEntries(entries) as Record<string, string>);

const common = fc.record({
  id: text(1, 128),
  ts: timestamp,
  service: name,
  region: name,
  element: fc.option(text(1, 128), { nil: undefined }),
  attrs: fc.option(attrs, { nil: undefined }),
});

const alarm = fc.record({
  type: fc.constant('alarm' as const), alarmId: text(1, 128), state: fc.constantFrom(...ALARM_STATES), severity: fc.constantFrom(...SEVERITIES),
  serviceAffecting: fc.option(fc.boolean(), { nil: undefined }),
});
const probe = fc.boolean().chain((ok) => fc.record({
  type: fc.constant('probe' as const), ok: fc.constant(ok),
  latencyMs: ok ? fc.double({ min: 0, max: 86_400_000, noNaN: true }) : fc.option(fc.double({ min: 0, max: 86_400_000, noNaN: true }), { nil: undefined }),
}));
const complaint = fc.constantFrom(...TICKET_STATES).chain((state) => fc.record({
  type: fc.constant('complaint' as const), ticketId: text(1, 128), state: fc.constant(state),
  category: state === 'opened' ? fc.constantFrom(...CATEGORIES) : fc.option(fc.constantFrom(...CATEGORIES), { nil: undefined }),
}));
const survey = fc.oneof(
  fc.record({ type: fc.constant('survey' as const), scale: fc.constant('nps' as const), score: fc.integer({ min: 0, max: 10 }) }),
  fc.record({ type: fc.constant('survey' as const), scale: fc.constant('csat' as const), score: fc.integer({ min: 1, max: 5 }) }),
);

/** Drops undefined members, as JSON does. */
const defined = (o: Raw): Raw => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** A valid event of any type as it would arrive in JSON, and its normalised form. */
export const validEvent: fc.Arbitrary<ValidCase> = fc.tuple(common, fc.oneof(alarm, probe, complaint, survey)).map(([c, specific]) => {
  const raw = JSON.parse(JSON.stringify(defined({ ...c, ts: c.ts.raw, ...specific }))) as Raw;
  const expected = {
    ...defined({ ...c, ts: c.ts.ms, ...specific }),
    ...(specific.type === 'alarm' ? { serviceAffecting: specific.serviceAffecting !== false } : {}),
  } as unknown as SqaEvent;
  return { raw, expected };
});

/** The fields the contract requires of every event of this type. */
export function requiredFields(type: SqaEvent['type']): string[] {
  const base = ['id', 'type', 'ts', 'service', 'region'];
  switch (type) {
    case 'alarm': return [...base, 'alarmId', 'state', 'severity'];
    case 'probe': return [...base, 'ok'];
    case 'complaint': return [...base, 'ticketId', 'state'];
    case 'survey': return [...base, 'scale', 'score'];
  }
}

/** The JSON kind each field of the type must have; every other kind is wrong. */
export function fieldKinds(type: SqaEvent['type']): Record<string, 'string' | 'boolean' | 'number' | 'integer' | 'object' | 'ts'> {
  const base = { id: 'string', type: 'string', ts: 'ts', service: 'string', region: 'string', element: 'string', attrs: 'object' } as const;
  switch (type) {
    case 'alarm': return { ...base, alarmId: 'string', state: 'string', severity: 'string', serviceAffecting: 'boolean' };
    case 'probe': return { ...base, ok: 'boolean', latencyMs: 'number' };
    case 'complaint': return { ...base, ticketId: 'string', state: 'string', category: 'string' };
    case 'survey': return { ...base, scale: 'string', score: 'integer' };
  }
}

/** JSON values that are not of the given kind. */
export function wrongValue(kind: ReturnType<typeof fieldKinds>[string]): fc.Arbitrary<unknown> {
  const str = fc.string({ maxLength: 20 });
  const num = fc.double({ noNaN: true, noDefaultInfinity: true });
  const arr = fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 });
  const obj = fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 });
  switch (kind) {
    case 'string': return fc.oneof(num, fc.boolean(), fc.constant(null), arr, obj);
    case 'boolean': return fc.oneof(str, num, fc.constant(null), arr, obj);
    case 'number': return fc.oneof(str, fc.boolean(), fc.constant(null), arr, obj);
    case 'integer': return fc.oneof(str, fc.boolean(), fc.constant(null), arr, obj, num.filter((n) => !Number.isInteger(n)));
    case 'object': return fc.oneof(str, num, fc.boolean(), fc.constant(null), arr);
    // Neither a string nor an integer: booleans, null, arrays, objects and fractions.
    case 'ts': return fc.oneof(fc.boolean(), fc.constant(null), arr, obj, num.filter((n) => !Number.isInteger(n)));
  }
}

/** `n` arrays nested in one another, built without recursion. */
export function nested(depth: number, leaf: unknown = 1): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

/** A case with its id replaced (ids must be unique when events are counted). */
export function withId(c: ValidCase, id: string): ValidCase {
  return { raw: { ...c.raw, id }, expected: { ...c.expected, id } };
}

export interface InvalidCase {
  raw: unknown;
  /** The field the rejection reason must start with (`field: …`). */
  field: string;
}

/** Input that breaks exactly one rule of the contract, with the field a rejection must name. */
export const invalidEvent: fc.Arbitrary<InvalidCase> = fc.oneof(
  validEvent.chain(({ raw, expected }) => fc.constantFrom(...requiredFields(expected.type)).map((field) => ({
    raw: Object.fromEntries(Object.entries(raw).filter(([k]) => k !== field)), field,
  }))),
  validEvent.chain(({ raw, expected }) => {
    const kinds = fieldKinds(expected.type);
    return fc.constantFrom(...Object.keys(kinds)).chain((field) => wrongValue(kinds[field]!).map((v) => ({ raw: { ...raw, [field]: v }, field })));
  }),
  fc.oneof(fc.jsonValue({ maxDepth: 2 }).filter((v) => typeof v !== 'object' || v === null || Array.isArray(v)))
    .map((raw) => ({ raw, field: 'event' })),
  validEvent.chain(({ raw }) => fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => ({ raw: { ...raw, id: `x${String.fromCharCode(c)}` }, field: 'id' }))),
  validEvent.chain(({ raw }) => fc.oneof(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: MIN_TS - 1 }), fc.integer({ min: MAX_TS, max: Number.MAX_SAFE_INTEGER }))
    .map((ts) => ({ raw: { ...raw, ts }, field: 'ts' }))),
  validEvent.chain(({ raw }) => fc.integer({ min: 129, max: 5000 }).map((n) => ({ raw: { ...raw, id: 'i'.repeat(n) }, field: 'id' }))),
);
