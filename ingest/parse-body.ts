// Turns a request body into raw event candidates. A JSON array that is not valid
// JSON cannot be split, so it is refused whole (400, naming the position); NDJSON
// lines are independent, so a malformed line is rejected alone and the good lines
// still count (decision recorded in docs/ingest.md).
import { badRequest } from '../infra/http/errors.js';

export type Candidate = { index: number; raw: unknown } | { index: number; error: string; raw: string };

function jsonError(err: unknown): string {
  return (err as Error).message.replace(/^Unexpected/, 'unexpected');
}

export function parseJsonArray(body: string): Candidate[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (err) {
    throw badRequest(`body: invalid JSON: ${jsonError(err)}`);
  }
  if (!Array.isArray(parsed)) throw badRequest('body: must be a JSON array of events (or NDJSON with Content-Type application/x-ndjson)');
  return parsed.map((raw, index) => ({ index, raw }));
}

export function parseNdjson(body: string): Candidate[] {
  const out: Candidate[] = [];
  const lines = body.split('\n');
  let index = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
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
