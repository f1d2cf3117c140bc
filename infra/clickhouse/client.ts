// The one place that makes the ClickHouse client: the embedded engine (chdb,
// in-process, one data directory per process) unless CLICKHOUSE_URL names a
// server. The rest of the code sees only @clickhouse/client's API.
import { mkdirSync } from 'node:fs';
import { createClient, type ClickHouseClient } from '@clickhouse/client';

type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
import { createChdbConnection } from 'chdb/connection';
import type { ClickHouseConfig } from '../config.js';

export interface Db {
  client: ClickHouseClient;
  /** Qualified table name. chdb ignores the client's `database` option, so every statement names it. */
  t(table: string): string;
  database: string;
  embedded: boolean;
  close(): Promise<void>;
}

const DB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export function createDb(cfg: ClickHouseConfig): Db {
  if (!DB_NAME.test(cfg.database)) throw new Error(`CLICKHOUSE_DATABASE: "${cfg.database}" is not a plain identifier`);
  let client: ClickHouseClient;
  if (cfg.url) {
    client = createClient({
      url: cfg.url, username: cfg.user, password: cfg.password,
      request_timeout: 30_000,
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  } else {
    mkdirSync(cfg.path, { recursive: true });
    // chdb types its Connection against @clickhouse/client-common, which the client
    // now bundles under its own name; the shapes are the same at run time.
    const connection = createChdbConnection({ path: cfg.path }) as unknown as NonNullable<ClientOptions['connection']>;
    client = createClient({ connection });
  }
  return {
    client,
    database: cfg.database,
    embedded: !cfg.url,
    t: (table: string) => `${cfg.database}.${table}`,
    close: () => client.close(),
  };
}

/** A server URL fit for logs: any user:password written into it is masked. */
export function displayUrl(url: string): string {
  if (!URL.canParse(url)) return '(unparseable URL)';
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
