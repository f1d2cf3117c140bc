// Dead letters can always be produced: whatever the rejected input, the message is
// JSON `{reason, raw}` of at most MAX_DEAD_LETTER_BYTES, whole when it fits.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deadLetterValue, MAX_DEAD_LETTER_BYTES } from './dead-letter.js';

const deep = (n: number) => {
  let v: unknown = 1;
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

describe('deadLetterValue', () => {
  it('keeps input that fits whole and unmarked', () => {
    fc.assert(fc.property(fc.string({ maxLength: 100 }), fc.jsonValue({ maxDepth: 4 }), (reason, raw) => {
      const v = deadLetterValue(reason, raw);
      fc.pre(Buffer.byteLength(JSON.stringify({ reason, raw })) <= MAX_DEAD_LETTER_BYTES);
      expect(JSON.parse(v)).toEqual(JSON.parse(JSON.stringify({ reason, raw })));
    }));
  });

  it('clips input that is too large or too deep, within the byte limit, never throwing', () => {
    const big = fc.oneof(
      fc.tuple(fc.integer({ min: MAX_DEAD_LETTER_BYTES, max: 3_000_000 }), fc.string({ unit: 'binary', minLength: 1, maxLength: 3 })).map(([n, u]) => u.repeat(Math.ceil(n / u.length))),
      // Control characters grow sixfold when escaped as JSON (\u0001).
      fc.integer({ min: 20_000, max: 400_000 }).map((n) => '\u0001'.repeat(n)),
      fc.integer({ min: 5_000, max: 200_000 }).map(deep),
      fc.integer({ min: 3_000, max: 50_000 }).map((n) => Array.from({ length: n }, (_, i) => ({ i, pad: 'x'.repeat(20) }))),
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), big, fc.boolean(), (reason, raw, withText) => {
      const text = withText && typeof raw === 'string' ? raw : undefined;
      const v = deadLetterValue(reason, raw, text);
      expect(Buffer.byteLength(v)).toBeLessThanOrEqual(MAX_DEAD_LETTER_BYTES);
      const parsed = JSON.parse(v);
      expect(parsed).toMatchObject({ reason, truncated: true });
      expect(typeof parsed.raw).toBe('string');
      expect(parsed.raw.length).toBeGreaterThan(0);
    }), { numRuns: 60 });
  });

  it('keeps a __proto__ member of clipped input as a plain member', () => {
    const raw = JSON.parse(`{"__proto__":{"polluted":true},"deep":${'['.repeat(20_000)}${']'.repeat(20_000)}}`);
    const parsed = JSON.parse(deadLetterValue('event: must be a JSON object', raw));
    expect(parsed.raw).toContain('"__proto__":{"polluted":true}');
    expect(parsed.raw).toContain('[nested too deeply]');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
