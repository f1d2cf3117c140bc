// A produce call is split into chunks the broker accepts: in order, nothing lost,
// each chunk within the byte budget unless one message alone exceeds it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chunkMessages } from './chunk-messages.js';

const size = (m: { key: string | null; value: string }) => Buffer.byteLength(m.value) + (m.key ? Buffer.byteLength(m.key) : 0) + 64;

describe('chunkMessages', () => {
  it('keeps every message, in order, in chunks within the budget', () => {
    const message = fc.record({ key: fc.option(fc.string({ maxLength: 20 })), value: fc.string({ unit: 'binary', maxLength: 3000 }) });
    fc.assert(fc.property(fc.array(message, { maxLength: 300 }), fc.integer({ min: 100, max: 20_000 }), (messages, max) => {
      const chunks = chunkMessages(messages, max);
      expect(chunks.flat()).toEqual(messages);
      for (const c of chunks) {
        expect(c.length).toBeGreaterThan(0);
        if (c.length > 1) expect(c.reduce((n, m) => n + size(m), 0)).toBeLessThanOrEqual(max);
      }
    }));
  });

  it('splits 3 MB of events into chunks of at most 512 KiB', () => {
    const messages = Array.from({ length: 3000 }, (_, i) => ({ key: 'voice|north', value: `${i}`.padEnd(1000, 'x') }));
    const chunks = chunkMessages(messages);
    // 3000 × (1000 + 11 + 64) bytes = 3 225 000 bytes over 524 288-byte chunks → 7 chunks.
    expect(chunks).toHaveLength(7);
  });
});
