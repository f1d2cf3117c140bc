// Turns a request body into raw event candidates. A JSON array that is not valid
// JSON cannot be split, so it is refused whole (400, naming the position); NDJSON
// lines are independent, so a malformed line is rejected alone and the good lines
// still count (decision recorded in docs/ingest.md).
//
// Bodies arrive as bytes and must be UTF-8 (RFC 8259): decoding invalid bytes
// would quietly turn them into U+FFFD inside event strings. A JSON array with
// invalid bytes is refused whole; an NDJSON line with them is rejected alone.
import { isUtf8 } from 'node:buffer';
import { badRequest } from '../infra/http/errors.js';

export type Candidate = { index: number; raw: unknown } | { index: number; error: string; raw: string };

function jsonError(err: unknown): string {
  return (err as Error).message.replace(/^Unexpected/, 'unexpected');
}

export function parseJsonArray(body: Buffer): Candidate[] {
  if (!isUtf8(body)) throw badRequest('body: not valid UTF-8 (JSON text must be UTF-8)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw badRequest(`body: invalid JSON: ${jsonError(err)}`);
  }
  if (!Array.isArray(parsed)) throw badRequest('body: must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)');
  return parsed.map((raw, index) => ({ index, raw }));
}

/** The body's lines, decoded; a line that is not valid UTF-8 as `{ invalid }`, decoded with U+FFFD for the dead letter. */
function ndjsonLines(body: Buffer): (string | { invalid: string })[] {
  // The common case, valid throughout, decodes in one go.
  if (isUtf8(body)) return body.toString('utf8').split('\n');
  const lines: (string | { invalid: string })[] = [];
  // 0x0A never occurs inside a multi-byte UTF-8 sequence, so splitting bytes on it is safe.
  for (let start = 0; start <= body.length;) {
    const nl = body.indexOf(0x0a, start);
    const end = nl < 0 ? body.length : nl;
    const bytes = body.subarray(start, end);
    lines.push(isUtf8(bytes) ? bytes.toString('utf8') : { invalid: bytes.subarray(0, 4096).toString('utf8') });
    start = end + 1;
  }
  return lines;
}

export function parseNdjson(body: Buffer): Candidate[] {
  const out: Candidate[] = [];
  const lines = ndjsonLines(body);
  let index = 0;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    if (typeof l !== 'string') {
      out.push({ index: index++, error: `line ${i + 1}: not valid UTF-8`, raw: l.invalid });
      continue;
    }
    const line = l.trim();
    if (line === '') continue;
    try {
      out.push({ index, raw: JSON.parse(line) });
    } catch (err) {
      out.push({ index, error: `line ${i + 1}: invalid JSON: ${jsonError(err)}`, raw: line.slice(0, 4096) });
    }
    index++;
  }
  return out;
}
