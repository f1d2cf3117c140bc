// POST /api/v1/events (CONTRACT.md section 5): validates each event, produces the
// valid ones to Kafka and the rejected ones to the dead-letter topic, and answers
// 202 only once Kafka acknowledged them all; 503 if it could not.
import type { FastifyPluginAsync } from 'fastify';
import { validateEvent } from '../events/schema.js';
import type { SqaEvent } from '../events/types.js';
import { unavailable } from '../infra/http/errors.js';
import type { EventProducer, Rejected } from './event-producer.js';
import { parseJsonArray, parseNdjson, type Candidate } from './parse-body.js';

export interface IngestMetrics {
  accepted(n: number): void;
  rejected(n: number): void;
}

export interface IngestOptions {
  producer: EventProducer;
  maxBodyBytes: number;
  metrics?: IngestMetrics;
}

export interface IngestResult {
  accepted: number;
  rejected: { index: number; reason: string }[];
  /** Indexes of events whose id already appeared earlier in the same body; forwarded once. */
  duplicates: number[];
}

/** Validation and in-batch de-duplication, no I/O. */
export function sortCandidates(candidates: Candidate[]): { events: SqaEvent[]; dead: Rejected[]; result: IngestResult } {
  const events: SqaEvent[] = [];
  const dead: Rejected[] = [];
  const result: IngestResult = { accepted: 0, rejected: [], duplicates: [] };
  const seen = new Set<string>();
  for (const c of candidates) {
    const v = 'error' in c ? ({ ok: false, reason: c.error } as const) : validateEvent(c.raw);
    if (!v.ok) {
      result.rejected.push({ index: c.index, reason: v.reason });
      dead.push({ reason: v.reason, raw: c.raw });
      continue;
    }
    result.accepted++;
    if (seen.has(v.event.id)) {
      result.duplicates.push(c.index);
      continue;
    }
    seen.add(v.event.id);
    events.push(v.event);
  }
  return { events, dead, result };
}

export const eventsRoute: FastifyPluginAsync<IngestOptions> = async (app, opts) => {
  // Bodies are parsed here rather than by fastify so that malformed NDJSON lines
  // can be rejected one by one and JSON errors name their position.
  // Bytes, not a string: parse-body.ts checks the encoding before decoding.
  app.addContentTypeParser(['application/json', 'application/x-ndjson', 'text/plain'], { parseAs: 'buffer', bodyLimit: opts.maxBodyBytes },
    (_req, body, done) => done(null, body));

  app.post('/api/v1/events', { config: { scope: 'ingest' }, bodyLimit: opts.maxBodyBytes }, async (req, reply) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const ndjson = (req.headers['content-type'] ?? '').includes('ndjson');
    const { events, dead, result } = sortCandidates(ndjson ? parseNdjson(body) : parseJsonArray(body));
    try {
      await Promise.all([opts.producer.sendEvents(events), opts.producer.sendRejected(dead)]);
    } catch (err) {
      req.log.warn({ err: (err as Error).message }, 'Kafka did not acknowledge an ingest batch');
      throw unavailable(`Kafka is unavailable; retry the request later (event ids make a retry safe): ${(err as Error).message}`);
    }
    opts.metrics?.accepted(result.accepted);
    opts.metrics?.rejected(result.rejected.length);
    return reply.status(202).send(result);
  });
};
