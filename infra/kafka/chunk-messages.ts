// Splits a produce call into several. kafkajs sends all messages of one call for
// a partition as one record batch, and the broker refuses a batch larger than
// its message.max.bytes (1 MiB by default) outright, so a large ingest body or a
// burst of dead letters would fail every time it is retried.

/** Bytes of keys and values per produce call; half the broker's default limit leaves room for record overhead. */
export const MAX_SEND_BYTES = 512 * 1024;
/** Per-record overhead in a batch (headers, varints, timestamps), an upper estimate. */
const RECORD_OVERHEAD = 64;

export function chunkMessages<T extends { key?: string | null; value: string }>(messages: T[], maxBytes = MAX_SEND_BYTES): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const m of messages) {
    const size = Buffer.byteLength(m.value) + (m.key ? Buffer.byteLength(m.key) : 0) + RECORD_OVERHEAD;
    if (chunk.length > 0 && bytes + size > maxBytes) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(m);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
