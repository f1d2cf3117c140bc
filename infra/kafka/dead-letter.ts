// The dead-letter message (CONTRACT.md section 2: `{reason, raw}` on sqa.dlq),
// built so that it can always be produced: rejected input may be nested too
// deeply for JSON.stringify (a RangeError) or be larger than the broker takes in
// one message, and either would otherwise fail the send that carries it: for
// ingest a 503 on a request that was merely wrong, for the processors a flush
// that fails forever. Such input is kept clipped, marked `truncated: true`.

/** Most bytes of one dead letter; the broker's default message limit is 1 MiB. */
export const MAX_DEAD_LETTER_BYTES = 64 * 1024;
/** Nesting kept of a clipped `raw`; deeper members become a marker string. */
const MAX_DEPTH = 32;

/** A copy of `v` down to MAX_DEPTH levels (so the recursion is bounded too). */
function clipDepth(v: unknown, depth = 0): unknown {
  if (typeof v !== 'object' || v === null) return v;
  if (depth >= MAX_DEPTH) return '[nested too deeply]';
  if (Array.isArray(v)) return v.map((x) => clipDepth(x, depth + 1));
  const out: Record<string, unknown> = {};
  // defineProperty, not assignment: a "__proto__" member stays a plain member.
  for (const [k, x] of Object.entries(v)) Object.defineProperty(out, k, { value: clipDepth(x, depth + 1), enumerable: true, configurable: true, writable: true });
  return out;
}

/** JSON text of `v`, or the error that JSON.stringify threw (deep nesting: RangeError). */
function stringify(v: unknown): string | Error {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch (err) {
    return err as Error;
  }
}

/** The longest prefix of `s` of at most `max` UTF-8 bytes. */
function clipBytes(s: string, max: number): string {
  if (Buffer.byteLength(s) <= max) return s;
  // A character cut in half decodes to U+FFFD; drop it.
  return Buffer.from(s).subarray(0, max).toString('utf8').replace(/\uFFFD$/, '');
}

/**
 * The JSON value of a dead letter, at most MAX_DEAD_LETTER_BYTES. `rawText` is
 * the input as it came (a Kafka message value), kept instead of `raw` when that
 * cannot be kept whole.
 */
export function deadLetterValue(reason: string, raw: unknown, rawText?: string): string {
  const whole = stringify({ reason, raw });
  if (typeof whole === 'string' && Buffer.byteLength(whole) <= MAX_DEAD_LETTER_BYTES) return whole;
  let text = rawText;
  if (text === undefined) {
    const clipped = stringify(clipDepth(raw));
    text = typeof clipped === 'string' ? clipped : `[not serialisable: ${clipped.message}]`;
  }
  // Escapes can make the JSON of the text longer than the text; halve until it fits.
  for (let limit = MAX_DEAD_LETTER_BYTES - Buffer.byteLength(reason) - 64; ; limit = Math.floor(limit / 2)) {
    const value = JSON.stringify({ reason: clipBytes(reason, 1024), raw: clipBytes(text, Math.max(0, limit)), truncated: true });
    if (Buffer.byteLength(value) <= MAX_DEAD_LETTER_BYTES || limit <= 0) return value;
  }
}
