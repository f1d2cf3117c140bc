// Validation and normalisation of incoming events (CONTRACT.md section 1).
// The structural rules are a TypeBox schema checked by Ajv; the few rules that
// depend on another field (latencyMs when ok, category on opened, score range by
// scale) are checked after it. Every rejection names the field it is about.
import { Type, type TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import {
  ALARM_STATES, CATEGORIES, EVENT_TYPES, SEVERITIES, SURVEY_SCALES, TICKET_STATES,
  type AlarmState, type Severity, type SqaEvent,
} from './types.js';

export const NAME_PATTERN = '^[a-z0-9][a-z0-9._-]{0,63}$';
/** Longest id, element, alarmId and ticketId (characters). */
export const ID_MAX_LENGTH = 128;
/** Largest probe latency accepted: a day, in ms. */
export const LATENCY_MAX_MS = 86_400_000;
const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;
// Decision (contract silent): event times outside [2000, 2100) are refused as
// typos or unit mistakes (seconds or microseconds sent as milliseconds).
export const MIN_TS = Date.UTC(2000, 0, 1);
export const MAX_TS = Date.UTC(2100, 0, 1);

const lit = <T extends readonly string[]>(values: T) => Type.Union(values.map((v) => Type.Literal(v)));

const common = {
  id: Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH }),
  // Checked by parseTs, which gives one clear reason for both accepted forms.
  ts: Type.Unknown(),
  service: Type.String({ pattern: NAME_PATTERN }),
  region: Type.String({ pattern: NAME_PATTERN }),
  element: Type.Optional(Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH })),
  // Decision: label keys up to 128 and values up to 1024 characters. TypeBox drops
  // a Record's key constraints, so the key limit is stated as propertyNames.
  attrs: Type.Optional(Type.Record(Type.String(), Type.String({ maxLength: 1024 }), { maxProperties: 16, propertyNames: { maxLength: 128 } })),
};

const typeSchemas = {
  alarm: Type.Object({
    ...common, type: Type.Literal('alarm'),
    alarmId: Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH }),
    state: lit(ALARM_STATES),
    severity: lit(SEVERITIES),
    serviceAffecting: Type.Optional(Type.Boolean()),
  }),
  probe: Type.Object({
    ...common, type: Type.Literal('probe'),
    ok: Type.Boolean(),
    latencyMs: Type.Optional(Type.Number({ minimum: 0, maximum: LATENCY_MAX_MS })),
  }),
  complaint: Type.Object({
    ...common, type: Type.Literal('complaint'),
    ticketId: Type.String({ minLength: 1, maxLength: ID_MAX_LENGTH }),
    state: lit(TICKET_STATES),
    category: Type.Optional(lit(CATEGORIES)),
  }),
  survey: Type.Object({
    ...common, type: Type.Literal('survey'),
    scale: lit(SURVEY_SCALES),
    score: Type.Integer(),
  }),
} satisfies Record<SqaEvent['type'], TSchema>;

const ajv = new Ajv({ allErrors: false, strict: true, allowUnionTypes: true });
const validators = Object.fromEntries(
  Object.entries(typeSchemas).map(([k, s]) => [k, ajv.compile(s)]),
) as Record<SqaEvent['type'], ValidateFunction>;

export type Validation = { ok: true; event: SqaEvent } | { ok: false; reason: string };

function fail(reason: string): Validation {
  return { ok: false, reason };
}

/** `field: message`, with the field as a dotted path (`attrs.site`). */
function describe(type: SqaEvent['type'], err: ErrorObject): string {
  const path = err.instancePath.split('/').filter(Boolean).join('.');
  if (err.keyword === 'required') {
    const missing = String((err.params as { missingProperty: string }).missingProperty);
    return `${path ? `${path}.` : ''}${missing}: required`;
  }
  const field = path || 'event';
  if (err.propertyName !== undefined) return `${field}: key ${err.message ?? 'invalid'}`;
  if (err.keyword === 'anyOf' || err.keyword === 'const') return `${field}: ${enumMessage(type, field)}`;
  return `${field}: ${err.message ?? 'invalid'}`;
}

function enumMessage(type: SqaEvent['type'], field: string): string {
  const allowed: Record<string, readonly string[]> = {
    state: type === 'alarm' ? ALARM_STATES : TICKET_STATES, severity: SEVERITIES, category: CATEGORIES, scale: SURVEY_SCALES,
  };
  const values = allowed[field];
  return values ? `must be one of ${values.join(', ')}` : 'invalid value';
}

/** Epoch ms from a contract timestamp, or a reason. */
export function parseTs(ts: unknown): number | string {
  if (ts === undefined) return 'ts: required';
  if (typeof ts !== 'string' && typeof ts !== 'number') return 'ts: must be an RFC 3339 string with offset or integer epoch milliseconds';
  if (typeof ts === 'number') {
    if (!Number.isSafeInteger(ts)) return 'ts: must be an integer number of epoch milliseconds';
    return ts >= MIN_TS && ts < MAX_TS ? ts : 'ts: must be between 2000-01-01 and 2100-01-01';
  }
  const m = RFC3339.exec(ts);
  if (!m) return 'ts: must be an RFC 3339 string with offset (e.g. 2026-01-31T10:00:00Z) or integer epoch milliseconds';
  const [, y, mo, d, h, mi, s] = m.map(Number);
  // Date.parse rolls 2026-02-30 over to March; refuse impossible dates instead.
  const probe = new Date(Date.UTC(y!, mo! - 1, d!, h!, mi!, s!));
  if (probe.getUTCMonth() !== mo! - 1 || probe.getUTCDate() !== d! || h! > 23 || mi! > 59 || s! > 59) {
    return 'ts: not a valid date and time';
  }
  const ms = Date.parse(ts.replace(' ', 'T'));
  if (Number.isNaN(ms)) return 'ts: not a valid date and time';
  return ms >= MIN_TS && ms < MAX_TS ? ms : 'ts: must be between 2000-01-01 and 2100-01-01';
}

/**
 * Validates one raw event and returns its normalised form: `ts` in epoch ms,
 * `serviceAffecting` defaulted, unknown fields dropped (never copied, so keys
 * such as `__proto__` cannot reach downstream objects).
 */
export function validateEvent(raw: unknown): Validation {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('event: must be a JSON object');
  const r = raw as Record<string, unknown>;
  if (!Object.hasOwn(r, 'type')) return fail('type: required');
  const type = r.type;
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    return fail(`type: must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const validate = validators[type as SqaEvent['type']];
  if (!validate(r)) return fail(describe(type as SqaEvent['type'], validate.errors![0]!));
  const ts = parseTs(r.ts);
  if (typeof ts === 'string') return fail(ts);
  const illFormed = illFormedText(r);
  if (illFormed) return fail(illFormed);
  // One object literal per type, every field present (optional ones may be
  // undefined, which JSON drops): objects built by spreading are slow to read on
  // Node 20, and every stage downstream reads these fields (docs/benchmarks.md).
  const id = r.id as string;
  const service = r.service as string;
  const region = r.region as string;
  const element = r.element as string | undefined;
  const attrs = r.attrs !== undefined ? copyAttrs(r.attrs as Record<string, string>) : undefined;
  switch (type as SqaEvent['type']) {
    case 'alarm':
      return { ok: true, event: {
        id, type: 'alarm', ts, service, region, element, attrs, alarmId: r.alarmId as string, state: r.state as AlarmState,
        severity: r.severity as Severity, serviceAffecting: r.serviceAffecting !== false,
      } };
    case 'probe': {
      if (r.ok === true && r.latencyMs === undefined) return fail('latencyMs: required when ok is true');
      return { ok: true, event: {
        id, type: 'probe', ts, service, region, element, attrs, ok: r.ok as boolean, latencyMs: r.latencyMs as number | undefined,
      } };
    }
    case 'complaint': {
      if (r.state === 'opened' && r.category === undefined) return fail('category: required when state is opened');
      return { ok: true, event: {
        id, type: 'complaint', ts, service, region, element, attrs, ticketId: r.ticketId as string, state: r.state as 'opened',
        category: r.category as 'network' | undefined,
      } };
    }
    case 'survey': {
      const score = r.score as number;
      const [lo, hi] = r.scale === 'nps' ? [0, 10] : [1, 5];
      if (score < lo || score > hi) return fail(`score: must be an integer from ${lo} to ${hi} on the ${r.scale as string} scale`);
      return { ok: true, event: { id, type: 'survey', ts, service, region, element, attrs, scale: r.scale as 'nps', score } };
    }
  }
}

// A lone UTF-16 surrogate (JSON allows "\ud800") is not a Unicode character: it
// cannot be stored as UTF-8, and ClickHouse refuses the whole insert it is in,
// which would stall the processors on one event. Only free-text fields can hold one.
const LONE_SURROGATE = /\p{Cs}/u;
const FREE_TEXT = ['id', 'element', 'alarmId', 'ticketId'] as const;

const NOT_UNICODE = 'must be well-formed Unicode (it holds a lone surrogate)';

/** The reason for the first free-text field (schema-valid already) holding a lone surrogate, or null. */
function illFormedText(r: Record<string, unknown>): string | null {
  for (const f of FREE_TEXT) if (typeof r[f] === 'string' && LONE_SURROGATE.test(r[f])) return `${f}: ${NOT_UNICODE}`;
  if (r.attrs === undefined) return null;
  for (const [k, v] of Object.entries(r.attrs as Record<string, string>)) {
    if (LONE_SURROGATE.test(k)) return `attrs: key ${NOT_UNICODE}`;
    if (LONE_SURROGATE.test(v)) return `attrs.${k}: ${NOT_UNICODE}`;
  }
  return null;
}

function copyAttrs(attrs: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = Object.create(null);
  for (const [k, v] of Object.entries(attrs)) out[k] = v;
  return { ...out };
}
