// An embedded ClickHouse engine per test file (chdb allows one per process;
// vitest's forks pool gives each file its own process).
import { randomBytes } from 'node:crypto';
import type { ExpectStatic } from 'vitest';
import { validateEvent } from '../../events/schema.js';
import { resolve } from 'node:path';
import { createDb, type Db } from '../../infra/clickhouse/client.js';
import { migrate } from '../../infra/clickhouse/migrate.js';
import { rawLinesSql } from '../../infra/clickhouse/raw-blocks.js';

export async function testDb(path = resolve('.test-data', `ch-${randomBytes(4).toString('hex')}`)): Promise<Db> {
  const db = createDb({ url: null, user: 'default', password: '', database: 'sqa', path });
  // Test scenarios sit at fixed past dates; a 30-day TTL would expire their raw rows on insert.
  await migrate(db, { rawTtlDays: 3650 });
  return db;
}

export async function rows<T>(db: Db, query: string, params: Record<string, unknown> = {}): Promise<T[]> {
  const rs = await db.client.query({ query, query_params: params, format: 'JSONEachRow' });
  return rs.json<T>();
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false>, timeoutMs = 30_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
}

/**
 * The ids of the stored raw events, one per (id, event time) as readers keep them
 * (a replay after a crash may have stored an event's line twice).
 */
export async function storedRawIds(db: Db): Promise<string[]> {
  const r = await rows<{ id: string }>(db,
    `SELECT JSONExtractString(payload, 'id') AS id FROM (${rawLinesSql(db.t('events_raw_blocks'), '1')}) LIMIT 1 BY id, ts_ms`);
  return r.map((x) => x.id);
}

/** Every valid event of `events` is stored once for drill-down (late ones included: they are kept too). Returns their ids. */
export async function expectEachValidEventStoredOnce(db: Db, events: unknown[], expect: ExpectStatic): Promise<Set<string>> {
  const valid = new Set<string>();
  for (const e of events) {
    const v = validateEvent(e);
    if (v.ok) valid.add(v.event.id);
  }
  const stored = await storedRawIds(db);
  expect(new Set(stored)).toEqual(valid);
  expect(stored.length).toBe(valid.size);
  return valid;
}
