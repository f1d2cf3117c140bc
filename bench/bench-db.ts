// The embedded ClickHouse engine of a bench process. chdb allows one data
// directory per process, so every bench in `npm run bench` shares
// .data/bench/clickhouse (the pipeline bench's too) and keeps its tables apart in
// a database of its own, emptied at the start of each run.
import { resolve } from 'node:path';
import { createDb, type Db } from '../infra/clickhouse/client.js';
import { migrate } from '../infra/clickhouse/migrate.js';

export const BENCH_CLICKHOUSE_PATH = resolve('.data', 'bench', 'clickhouse');

export async function freshBenchDb(database: string, path = BENCH_CLICKHOUSE_PATH): Promise<Db> {
  const db = createDb({ url: null, user: 'default', password: '', database, path });
  await db.client.command({ query: `DROP DATABASE IF EXISTS ${database}` });
  // Bench data sits at recent dates; the long TTL keeps raw rows of any age.
  await migrate(db, { rawTtlDays: 3650 });
  return db;
}
