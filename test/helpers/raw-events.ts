// Raw-event blocks built from whole events, as tests hold them (the processors add
// each message's bytes as it arrives, processors/pending-rows.ts).
import type { SqaEvent } from '../../events/types.js';
import { RawBlockBuilder, type RawBody } from '../../infra/clickhouse/raw-blocks.js';

/** A valid event and the message text it came in. */
export interface RawEvent {
  event: SqaEvent;
  text: string;
}

/** The blocks of these events, built as the processors build them. */
export function rawBody(raw: readonly RawEvent[]): RawBody {
  const b = new RawBlockBuilder();
  for (const { event, text } of raw) b.add(event, Buffer.from(text));
  return b.build();
}
