// Every rule of CONTRACT.md section 1, as a table of valid and invalid events with
// the reason each invalid one must get.
import { describe, expect, it } from 'vitest';
import { validateEvent } from './schema.js';

const base = { id: 'e1', ts: '2026-03-01T10:00:00Z', service: 'mobile-data', region: 'north' };
const alarm = { ...base, type: 'alarm', alarmId: 'A1', state: 'raised', severity: 'critical' };
const probe = { ...base, type: 'probe', ok: true, latencyMs: 12 };
const complaint = { ...base, type: 'complaint', ticketId: 'T1', state: 'opened', category: 'network' };
const survey = { ...base, type: 'survey', scale: 'nps', score: 9 };
const T = Date.UTC(2026, 2, 1, 10);

describe('valid events are normalised', () => {
  it.each([
    ['alarm, serviceAffecting defaults to true', alarm, { ts: T, serviceAffecting: true }],
    ['alarm with serviceAffecting false', { ...alarm, serviceAffecting: false, state: 'cleared', severity: 'warning' }, { serviceAffecting: false }],
    ['alarm acknowledged, major', { ...alarm, state: 'acknowledged', severity: 'major' }, { state: 'acknowledged' }],
    ['probe ok with latency', probe, { ok: true, latencyMs: 12 }],
    ['probe latency 0', { ...probe, latencyMs: 0 }, { latencyMs: 0 }],
    ['failed probe without latency', { ...probe, ok: false, latencyMs: undefined }, { ok: false }],
    ['complaint opened with category', complaint, { category: 'network' }],
    ['complaint resolved without category', { ...complaint, state: 'resolved', category: undefined }, { state: 'resolved' }],
    ...['acknowledged', 'closed', 'reopened'].map((state) => [`complaint ${state}`, { ...complaint, state }, { state }] as const),
    ['nps 0', { ...survey, score: 0 }, { score: 0 }],
    ['nps 10', { ...survey, score: 10 }, { score: 10 }],
    ['csat 1', { ...survey, scale: 'csat', score: 1 }, { scale: 'csat', score: 1 }],
    ['csat 5', { ...survey, scale: 'csat', score: 5 }, { score: 5 }],
    ['epoch ms timestamp', { ...probe, ts: T }, { ts: T }],
    ['RFC 3339 with offset', { ...probe, ts: '2026-03-01T12:30:00.250+02:30' }, { ts: T + 250 }],
    ['RFC 3339 lowercase t and z', { ...probe, ts: '2026-03-01t10:00:00z' }, { ts: T }],
    ['element and attrs', { ...probe, element: 'cell-42', attrs: { vendor: 'x', site: 'y' } }, { element: 'cell-42', attrs: { vendor: 'x', site: 'y' } }],
    ['16 attrs', { ...probe, attrs: Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, 'v'])) }, {}],
    ['id of 128 chars', { ...probe, id: 'x'.repeat(128) }, {}],
    ['service of 64 chars with . _ -', { ...probe, service: `a.b_c-${'d'.repeat(58)}` }, {}],
  ] as [string, object, object][])('%s', (_name, raw, expected) => {
    const v = validateEvent(raw);
    expect(v.ok ? v.event : v.reason).toMatchObject(expected);
  });

  it('drops unknown fields and cannot be polluted through __proto__', () => {
    const v = validateEvent(JSON.parse('{"id":"p","type":"probe","ts":1772359200000,"service":"voice","region":"north","ok":false,"extra":1,"__proto__":{"polluted":true}}'));
    expect(v.ok).toBe(true);
    if (v.ok) {
      expect(v.event).toEqual({ id: 'p', type: 'probe', ts: 1772359200000, service: 'voice', region: 'north', ok: false });
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
  });
});

describe('invalid events are rejected with a reason naming the field', () => {
  it.each([
    ['not an object', 'x', 'event: must be a JSON object'],
    ['an array', [probe], 'event: must be a JSON object'],
    ['null', null, 'event: must be a JSON object'],
    ['missing type', { ...base }, 'type: required'],
    ['unknown type', { ...base, type: 'metric' }, 'type: must be one of alarm, probe, complaint, survey'],
    ['missing id', { ...probe, id: undefined }, 'id: required'],
    ['empty id', { ...probe, id: '' }, 'id: must NOT have fewer than 1 characters'],
    ['id over 128', { ...probe, id: 'x'.repeat(129) }, 'id: must NOT have more than 128 characters'],
    ['id not a string', { ...probe, id: 7 }, 'id: must be string'],
    ['missing ts', { ...probe, ts: undefined }, 'ts: required'],
    ['ts without offset', { ...probe, ts: '2026-03-01T10:00:00' }, /^ts: must be an RFC 3339 string with offset/],
    ['ts date only', { ...probe, ts: '2026-03-01' }, /^ts: must be an RFC 3339 string/],
    ['ts impossible date', { ...probe, ts: '2026-02-30T10:00:00Z' }, 'ts: not a valid date and time'],
    ['ts hour 24', { ...probe, ts: '2026-02-03T24:00:00Z' }, 'ts: not a valid date and time'],
    ['ts fractional epoch', { ...probe, ts: 1772359200000.5 }, 'ts: must be an integer number of epoch milliseconds'],
    ['ts in seconds (before 2000)', { ...probe, ts: 1772359200 }, 'ts: must be between 2000-01-01 and 2100-01-01'],
    ['ts boolean', { ...probe, ts: true }, 'ts: must be an RFC 3339 string with offset or integer epoch milliseconds'],
    ['missing service', { ...probe, service: undefined }, 'service: required'],
    ['service upper case', { ...probe, service: 'Voice' }, /^service: must match pattern/],
    ['service starting with -', { ...probe, service: '-voice' }, /^service: must match pattern/],
    ['service over 64', { ...probe, service: 'a'.repeat(65) }, /^service: must match pattern/],
    ['region with space', { ...probe, region: 'north east' }, /^region: must match pattern/],
    ['missing region', { ...probe, region: undefined }, 'region: required'],
    ['empty element', { ...probe, element: '' }, 'element: must NOT have fewer than 1 characters'],
    ['element over 128', { ...probe, element: 'e'.repeat(129) }, 'element: must NOT have more than 128 characters'],
    ['attrs not an object', { ...probe, attrs: 'x' }, 'attrs: must be object'],
    ['attrs value not a string', { ...probe, attrs: { a: 1 } }, 'attrs.a: must be string'],
    ['17 attrs', { ...probe, attrs: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }, 'attrs: must NOT have more than 16 properties'],
    ['alarm without alarmId', { ...alarm, alarmId: undefined }, 'alarmId: required'],
    ['alarm bad state', { ...alarm, state: 'opened' }, 'state: must be one of raised, acknowledged, cleared'],
    ['alarm without severity', { ...alarm, severity: undefined }, 'severity: required'],
    ['alarm bad severity', { ...alarm, severity: 'fatal' }, 'severity: must be one of critical, major, minor, warning'],
    ['alarm serviceAffecting not boolean', { ...alarm, serviceAffecting: 'yes' }, 'serviceAffecting: must be boolean'],
    ['probe without ok', { ...probe, ok: undefined }, 'ok: required'],
    ['probe ok not boolean', { ...probe, ok: 1 }, 'ok: must be boolean'],
    ['probe ok without latency', { ...probe, latencyMs: undefined }, 'latencyMs: required when ok is true'],
    ['probe negative latency', { ...probe, latencyMs: -0.1 }, 'latencyMs: must be >= 0'],
    ['probe latency a string', { ...probe, latencyMs: '12' }, 'latencyMs: must be number'],
    ['complaint without ticketId', { ...complaint, ticketId: undefined }, 'ticketId: required'],
    ['complaint bad state', { ...complaint, state: 'raised' }, 'state: must be one of opened, acknowledged, resolved, closed, reopened'],
    ['complaint opened without category', { ...complaint, category: undefined }, 'category: required when state is opened'],
    ['complaint bad category', { ...complaint, category: 'weather' }, 'category: must be one of network, billing, service, other'],
    ['survey bad scale', { ...survey, scale: 'ces' }, 'scale: must be one of nps, csat'],
    ['survey missing score', { ...survey, score: undefined }, 'score: required'],
    ['survey fractional score', { ...survey, score: 8.5 }, 'score: must be integer'],
    ['nps 11', { ...survey, score: 11 }, 'score: must be an integer from 0 to 10 on the nps scale'],
    ['nps -1', { ...survey, score: -1 }, 'score: must be an integer from 0 to 10 on the nps scale'],
    ['csat 0', { ...survey, scale: 'csat', score: 0 }, 'score: must be an integer from 1 to 5 on the csat scale'],
    ['csat 6', { ...survey, scale: 'csat', score: 6 }, 'score: must be an integer from 1 to 5 on the csat scale'],
  ] as [string, unknown, string | RegExp][])('%s', (_name, raw, reason) => {
    const v = validateEvent(raw);
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.reason).toMatch(reason instanceof RegExp ? reason : new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });
});
