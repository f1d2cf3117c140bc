// Property-based tests of validateEvent (CONTRACT.md section 1; issue #6 item 2):
// every valid event of every type is accepted and normalised as the contract says;
// every broken one (a missing or mistyped field, a huge string, deep nesting, an
// infinite number, a timestamp far off, a lone surrogate) is rejected with a
// reason naming the field; nothing ever throws or reaches Object.prototype.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { validateEvent, type Validation } from './schema.js';
import type { SqaEvent } from './types.js';
import {
  fieldKinds, MAX_TS, MIN_TS, name, nested, requiredFields, text, timestamp, validEvent, wrongValue, type Raw,
} from '../test/helpers/event-arbitraries.js';

const RUNS = { numRuns: 300 };
const FIELDS = ['id', 'type', 'ts', 'service', 'region', 'element', 'attrs', 'alarmId', 'state', 'severity', 'serviceAffecting',
  'ok', 'latencyMs', 'ticketId', 'category', 'scale', 'score'];
// A reason is `field: why`, the field a contract field or an attrs label (`attrs.site`).
const NAMES_A_FIELD = new RegExp(`^(event|${FIELDS.join('|')}|attrs\\..*): \\S`);
const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

/** validateEvent that turns a throw into a test failure naming the input. */
function validate(raw: unknown): Validation {
  try {
    return validateEvent(raw);
  } catch (err) {
    throw new Error(`validateEvent threw ${(err as Error).message} on ${String(JSON.stringify(raw)).slice(0, 300)}`, { cause: err });
  }
}

function rejected(raw: unknown): string {
  const v = validate(raw);
  if (v.ok) throw new Error(`accepted ${JSON.stringify(raw).slice(0, 300)}`);
  return v.reason;
}

const without = (raw: Raw, field: string): Raw => Object.fromEntries(Object.entries(raw).filter(([k]) => k !== field));
/** Adds a member to the JSON text, so keys like __proto__ become own properties as a parser makes them. */
const withMember = (raw: Raw, key: string, valueJson: string): Raw =>
  JSON.parse(`${JSON.stringify(raw).slice(0, -1)},${JSON.stringify(key)}:${valueJson}}`) as Raw;

afterAll(() => {
  // Nothing any property fed in reached the shared prototype.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
});

describe('valid events of every type', () => {
  it('are accepted and normalised: ts in epoch ms, serviceAffecting defaulted, nothing else changed', () => {
    fc.assert(fc.property(validEvent, ({ raw, expected }) => {
      expect(validate(raw)).toEqual({ ok: true, event: expected });
    }), { numRuns: 1000 });
  });

  it('normalise to a fixed point: the normalised event, sent again, is itself', () => {
    fc.assert(fc.property(validEvent, ({ raw }) => {
      const first = validate(raw);
      expect(first.ok).toBe(true);
      if (first.ok) expect(validate(JSON.parse(JSON.stringify(first.event)))).toEqual(first);
    }), RUNS);
  });

  it('keep attrs labels such as __proto__ as plain own labels', () => {
    const label = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'valueOf');
    fc.assert(fc.property(validEvent, label, text(0, 50), ({ raw, expected }, key, value) => {
      const v = validate(withMember(without(raw, 'attrs'), 'attrs', `{${JSON.stringify(key)}:${JSON.stringify(value)}}`));
      expect(v).toEqual({ ok: true, event: { ...expected, attrs: Object.fromEntries([[key, value]]) } });
      if (!v.ok) return;
      expect(Object.getPrototypeOf(v.event.attrs)).toBe(Object.prototype);
      expect(Object.getOwnPropertyDescriptor(v.event.attrs, key)?.value).toBe(value);
    }), RUNS);
  });

  it('drop unknown members, including __proto__, constructor, prototype and deeply nested ones', () => {
    const key = fc.oneof(fc.constantFrom('__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf'),
      fc.string({ maxLength: 20 }).filter((k) => !FIELDS.includes(k)));
    const value = fc.oneof(
      fc.jsonValue().map((j) => JSON.stringify(j)),
      fc.constant('{"polluted":"yes","prototype":{"polluted":"yes"}}'),
      fc.integer({ min: 1, max: 50_000 }).map((d) => '['.repeat(d) + ']'.repeat(d)),
      fc.integer({ min: 1, max: 50_000 }).map((d) => '{"a":'.repeat(d) + '1' + '}'.repeat(d)),
    );
    fc.assert(fc.property(validEvent, key, value, ({ raw, expected }, k, json) => {
      expect(validate(withMember(raw, k, json))).toEqual({ ok: true, event: expected });
    }), RUNS);
  });
});

describe('broken events are rejected with a reason naming the field', () => {
  it('a missing required field', () => {
    fc.assert(fc.property(validEvent.chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...requiredFields(c.expected.type)))), ([c, field]) => {
      expect(rejected(without(c.raw, field))).toBe(`${field}: required`);
    }), RUNS);
  });

  it('a field required by another: latencyMs when ok, category when opened', () => {
    const cases = validEvent.filter(({ expected: e }) => (e.type === 'probe' && e.ok) || (e.type === 'complaint' && e.state === 'opened'));
    fc.assert(fc.property(cases, ({ raw, expected }) => {
      expect(rejected(without(raw, expected.type === 'probe' ? 'latencyMs' : 'category')))
        .toBe(expected.type === 'probe' ? 'latencyMs: required when ok is true' : 'category: required when state is opened');
    }), RUNS);
  });

  it('a field of the wrong JSON type', () => {
    const cases = validEvent.chain((c) => {
      const kinds = fieldKinds(c.expected.type);
      return fc.constantFrom(...Object.keys(kinds)).chain((field) => fc.tuple(fc.constant(c), fc.constant(field), wrongValue(kinds[field]!)));
    });
    fc.assert(fc.property(cases, ([c, field, value]) => {
      expect(rejected({ ...c.raw, [field]: value })).toMatch(new RegExp(`^${field}: \\S`));
    }), RUNS);
  });

  it('an attrs label whose value is not a string', () => {
    fc.assert(fc.property(validEvent, name, wrongValue('string'), ({ raw }, key, value) => {
      expect(rejected({ ...raw, attrs: { [key]: value } })).toBe(`attrs.${key}: must be string`);
    }), RUNS);
  });

  it('an infinite number, which JSON.parse makes of 1e400', () => {
    const cases = validEvent.filter(({ expected: e }) => e.type === 'probe' || e.type === 'survey')
      .chain((c) => fc.tuple(fc.constant(c), fc.constantFrom('1e400', '-1e400'), fc.boolean()));
    fc.assert(fc.property(cases, ([{ raw, expected }, inf, onTs]) => {
      const field = onTs ? 'ts' : expected.type === 'probe' ? 'latencyMs' : 'score';
      expect(rejected(withMember(without(raw, field), field, inf))).toMatch(new RegExp(`^${field}: `));
    }), RUNS);
  });

  it('NaN or an infinity handed over without JSON', () => {
    const cases = validEvent.chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(NaN, Infinity, -Infinity)));
    fc.assert(fc.property(cases, ([{ raw, expected }, n]) => {
      const field = expected.type === 'probe' ? 'latencyMs' : expected.type === 'survey' ? 'score' : 'ts';
      expect(rejected({ ...raw, [field]: n })).toMatch(new RegExp(`^${field}: `));
      expect(rejected({ ...raw, ts: n })).toMatch(/^ts: /);
    }), RUNS);
  });

  it('a string over its length limit, up to megabytes', () => {
    const limits: Record<string, [number, string]> = {
      id: [128, 'must NOT have more than 128 characters'], element: [128, 'must NOT have more than 128 characters'],
      alarmId: [128, 'must NOT have more than 128 characters'], ticketId: [128, 'must NOT have more than 128 characters'],
      service: [64, 'must match pattern'], region: [64, 'must match pattern'], ts: [40, 'must be an RFC 3339 string'],
    };
    const cases = validEvent.chain((c) => fc.tuple(fc.constant(c),
      fc.constantFrom(...Object.keys(limits).filter((f) => f !== 'alarmId' && f !== 'ticketId' || f === (c.expected.type === 'alarm' ? 'alarmId' : 'ticketId') && ['alarm', 'complaint'].includes(c.expected.type))),
      fc.integer({ min: 1, max: 2_000_000 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 2 })));
    fc.assert(fc.property(cases, ([{ raw }, field, extra, unit]) => {
      const [limit, why] = limits[field]!;
      // The unit repeated past the limit, counted in code points (a lowercase letter for the pattern fields).
      const u = field === 'service' || field === 'region' ? 'a' : unit;
      const s = u.repeat(Math.ceil((limit + extra) / [...u].length));
      expect(rejected({ ...raw, [field]: s })).toMatch(new RegExp(`^${field}: ${why}`));
    }), { numRuns: 100 });
  });

  it('attrs over their limits: a label value over 1024, a key over 128, more than 16 labels', () => {
    const big = fc.integer({ min: 1, max: 1_000_000 });
    fc.assert(fc.property(validEvent, name, big, fc.integer({ min: 17, max: 5000 }), ({ raw }, key, extra, n) => {
      expect(rejected({ ...raw, attrs: { [key]: 'v'.repeat(1024 + extra) } })).toBe(`attrs.${key}: must NOT have more than 1024 characters`);
      expect(rejected({ ...raw, attrs: { ['k'.repeat(128 + extra)]: 'v' } })).toBe('attrs: key must NOT have more than 128 characters');
      const many = Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, 'v']));
      expect(rejected({ ...raw, attrs: many })).toBe('attrs: must NOT have more than 16 properties');
    }), { numRuns: 100 });
  });

  it('deep nesting in any field', () => {
    const cases = validEvent.chain((c) => fc.tuple(fc.constant(c), fc.constantFrom(...Object.keys(fieldKinds(c.expected.type))),
      fc.integer({ min: 1, max: 100_000 }), fc.boolean()));
    fc.assert(fc.property(cases, ([{ raw }, field, depth, objects]) => {
      const deep = objects ? JSON.parse('{"a":'.repeat(depth) + '1' + '}'.repeat(depth)) : nested(depth);
      // attrs names the label inside it that is not a string (attrs.a).
      expect(rejected({ ...raw, [field]: deep })).toMatch(new RegExp(`^${field}(\\.a)?: \\S`));
      expect(rejected({ ...raw, attrs: { site: deep } })).toBe('attrs.site: must be string');
    }), { numRuns: 100 });
  });

  it('a timestamp far in the past or the future, as epoch ms or RFC 3339', () => {
    const epoch = fc.oneof(fc.integer({ min: Number.MIN_SAFE_INTEGER, max: MIN_TS - 1 }), fc.integer({ min: MAX_TS, max: Number.MAX_SAFE_INTEGER }));
    // Years well clear of [2000, 2100), so no UTC offset can carry them into it.
    const year = fc.oneof(fc.integer({ min: 0, max: 1998 }), fc.integer({ min: 2101, max: 9999 }));
    const rfc = fc.tuple(year, timestamp).map(([y, t]) => `${String(y).padStart(4, '0')}${new Date(t.ms).toISOString().slice(4)}`);
    fc.assert(fc.property(validEvent, epoch, rfc, ({ raw }, ms, iso) => {
      expect(rejected({ ...raw, ts: ms })).toBe('ts: must be between 2000-01-01 and 2100-01-01');
      // Outside the range, or (Feb 29 of a year that is no leap year) not a date at all.
      expect(rejected({ ...raw, ts: iso })).toMatch(/^ts: (must be between 2000-01-01 and 2100-01-01|not a valid date and time)$/);
    }), RUNS);
  });

  it('a lone surrogate (\\ud800 in JSON) in any free-text field or label', () => {
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
    const cases = validEvent.chain((c) => {
      const fields = ['id', 'element', 'attrs.label', 'attrs key', ...(c.expected.type === 'alarm' ? ['alarmId'] : []), ...(c.expected.type === 'complaint' ? ['ticketId'] : [])];
      return fc.tuple(fc.constant(c), fc.constantFrom(...fields), surrogate, fc.string({ maxLength: 10 }));
    });
    fc.assert(fc.property(cases, ([{ raw }, field, lone, around]) => {
      const s = `${around}${lone}${around}`;
      const [input, prefix] = field === 'attrs.label' ? [{ ...raw, attrs: { label: s } }, 'attrs.label:']
        : field === 'attrs key' ? [{ ...raw, attrs: { [s]: 'v' } }, 'attrs: key'] : [{ ...raw, [field]: s }, `${field}:`];
      // Through JSON text, as a producer would send it: the escape survives JSON.stringify.
      expect(rejected(JSON.parse(JSON.stringify(input)))).toBe(`${prefix} must be well-formed Unicode (it holds a lone surrogate)`);
    }), RUNS);
  });
});

describe('arbitrary input', () => {
  it('any object of contract fields with arbitrary JSON values: accepted only when it keeps the contract, else a reason naming a field', () => {
    const type = fc.oneof(fc.constantFrom('alarm', 'probe', 'complaint', 'survey'), fc.jsonValue({ maxDepth: 1 }));
    const member = fc.option(fc.oneof({ weight: 3, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: timestamp.map((t) => t.raw) }), { nil: undefined });
    const obj = fc.tuple(type, fc.tuple(...FIELDS.filter((f) => f !== 'type').map(() => member)), validEvent).map(([t, values, { raw }]) => {
      // Start from a valid event so that rejections come from deep in the schema too.
      const out: Raw = { ...raw, type: t };
      FIELDS.filter((f) => f !== 'type').forEach((f, i) => { if (values[i] !== undefined) out[f] = values[i]; });
      return out;
    });
    fc.assert(fc.property(obj, (raw) => {
      const v = validate(raw);
      if (v.ok) expectKeepsContract(v.event);
      else expect(v.reason).toMatch(NAMES_A_FIELD);
    }), { numRuns: 2000 });
  });

  it('any value at all never throws and is refused naming a field', () => {
    fc.assert(fc.property(fc.anything({ withNullPrototype: true, withObjectString: true, withBoxedValues: true, withSparseArray: true }), (raw) => {
      const v = validate(raw);
      if (v.ok) expectKeepsContract(v.event);
      else expect(v.reason).toMatch(NAMES_A_FIELD);
    }), { numRuns: 1000 });
  });

  it('prototype-pollution payloads leave Object.prototype alone', () => {
    const payloads = [
      '{"__proto__":{"polluted":"yes"}}',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      '{"type":"probe","attrs":{"__proto__":{"polluted":"yes"}}}',
      '{"type":"__proto__","__proto__":{"type":"probe","polluted":"yes"}}',
      '{"id":"p","type":"probe","ts":1772359200000,"service":"voice","region":"north","ok":false,"attrs":{"__proto__":"x","constructor":"y"},"__proto__":{"polluted":"yes"}}',
    ];
    for (const p of payloads) validate(JSON.parse(p));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

/** The contract's rules, checked on an accepted (normalised) event without the schema. */
function expectKeepsContract(e: SqaEvent): void {
  const isText = (s: unknown, max: number) => typeof s === 'string' && [...s].length >= 1 && [...s].length <= max && !/\p{Cs}/u.test(s);
  expect(isText(e.id, 128)).toBe(true);
  expect(Number.isSafeInteger(e.ts) && e.ts >= MIN_TS && e.ts < MAX_TS).toBe(true);
  expect(e.service).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
  expect(e.region).toMatch(/^[a-z0-9][a-z0-9._-]{0,63}$/);
  if (e.element !== undefined) expect(isText(e.element, 128)).toBe(true);
  if (e.attrs !== undefined) {
    expect(Object.keys(e.attrs).length).toBeLessThanOrEqual(16);
    for (const [k, val] of Object.entries(e.attrs)) expect(typeof val === 'string' && [...val].length <= 1024 && [...k].length <= 128).toBe(true);
  }
  switch (e.type) {
    case 'alarm':
      expect(isText(e.alarmId, 128) && ['raised', 'acknowledged', 'cleared'].includes(e.state)).toBe(true);
      expect(['critical', 'major', 'minor', 'warning'].includes(e.severity) && typeof e.serviceAffecting === 'boolean').toBe(true);
      break;
    case 'probe':
      expect(typeof e.ok).toBe('boolean');
      if (e.ok || e.latencyMs !== undefined) expect(Number.isFinite(e.latencyMs) && e.latencyMs! >= 0).toBe(true);
      break;
    case 'complaint':
      expect(isText(e.ticketId, 128) && ['opened', 'acknowledged', 'resolved', 'closed', 'reopened'].includes(e.state)).toBe(true);
      if (e.state === 'opened' || e.category !== undefined) expect(['network', 'billing', 'service', 'other']).toContain(e.category);
      break;
    case 'survey':
      expect(Number.isInteger(e.score) && (e.scale === 'nps' ? e.score >= 0 && e.score <= 10 : e.scale === 'csat' && e.score >= 1 && e.score <= 5)).toBe(true);
      break;
  }
}
