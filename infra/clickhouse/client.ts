// The one place that makes the ClickHouse client: the embedded engine (chdb,
// in-process, one data directory per process) unless CLICKHOUSE_URL names a
// server. The rest of the code sees only @clickhouse/client's API.
import { mkdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { createClient, type ClickHouseClient } from '@clickhouse/client';

type ClientOptions = NonNullable<Parameters<typeof createClient>[0]>;
/** What @clickhouse/client talks through: HTTP to a server, or the embedded engine. */
export type DbConnection = NonNullable<ClientOptions['connection']>;
import type { ClickHouseConfig } from '../config.js';

export interface Db {
  client: ClickHouseClient;
  /**
   * The embedded engine's connection, which this process's worker threads reach
   * through the main thread (db-bridge.ts); null for a server, which each thread
   * opens a client of its own to.
   */
  connection: DbConnection | null;
  /**
   * Inserts a body already in `format`. On the embedded engine the bytes go to it
   * as they are (chdb's raw insert); through the client they would be decoded to
   * a string and pasted after the statement, three copies of a multi-megabyte body.
   */
  insertFormatted(table: string, columns: readonly string[], format: 'JSONEachRow', body: Buffer): Promise<void>;
  /**
   * Inserts a RowBinary body: nothing to escape or parse, only lengths and bytes.
   * `structure` names the body's columns and types (`name Type, …`). chdb's raw
   * insert takes text formats only, so on the embedded engine the body goes through
   * a file of this process (`file()`), which takes ~2.4× less of the engine's CPU
   * per byte than TabSeparated; a server gets it as the request body.
   */
  insertRowBinary(table: string, structure: string, columns: readonly string[], body: Buffer): Promise<void>;
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
  let rawInsert: ((p: { table: string; columns: readonly string[]; format: 'JSONEachRow'; values: Buffer }) => Promise<unknown>) | null = null;
  /** Where embedded RowBinary bodies wait for the engine: owned by this process, as its data directory is. */
  let insertDir: string | null = null;
  let insertFiles = 0;
  let connection: DbConnection | null = null;
  if (cfg.url) {
    client = createClient({
      url: cfg.url, username: cfg.user, password: cfg.password,
      request_timeout: 30_000,
      clickhouse_settings: { date_time_input_format: 'best_effort' },
    });
  } else {
    mkdirSync(cfg.path, { recursive: true });
    insertDir = `${resolve(cfg.path)}-inserts`;
    // Files left by a process that died mid-insert: never inserted, or already in.
    rmSync(insertDir, { recursive: true, force: true });
    mkdirSync(insertDir, { recursive: true });
    // Loaded here, not at the top: a thread that loads the engine's native module
    // and then ends takes the process's one engine with it (statements of the main
    // thread hung after a processor worker thread was terminated), so only the
    // thread that opens the engine may load it (db-bridge.ts serves the others).
    const { createChdbConnection } = createRequire(import.meta.url)('chdb/connection') as typeof import('chdb/connection');
    const chdb = createChdbConnection({ path: cfg.path });
    rawInsert = (p) => chdb.chdb.rawInsert(p);
    // chdb types its Connection against @clickhouse/client-common, which the client
    // now bundles under its own name; the shapes are the same at run time.
    connection = chdb as unknown as DbConnection;
    client = createClient({ connection });
  }
  return {
    client,
    connection,
    database: cfg.database,
    embedded: !cfg.url,
    t: (table: string) => `${cfg.database}.${table}`,
    async insertFormatted(table, columns, format, body) {
      if (body.length === 0) return;
      if (rawInsert) await rawInsert({ table, columns, format, values: body });
      // The client takes JSON formats only as objects: callers give a server objects (clickhouse-sink.ts).
      else throw new Error(`insertFormatted: ${format} text goes to the embedded engine only; give a ClickHouse server objects`);
    },
    async insertRowBinary(table, structure, columns, body) {
      if (body.length === 0) return;
      const cols = columns.join(', ');
      if (insertDir === null) {
        // Bytes in shared memory (raw-blocks.ts) are copied for the HTTP stream, which is
        // not written for them.
        const bytes = body.buffer instanceof SharedArrayBuffer ? Buffer.from(body) : body;
        const r = await client.exec({ query: `INSERT INTO ${table} (${cols}) FORMAT RowBinary`, values: Readable.from([bytes], { objectMode: false }) });
        r.stream.destroy(); // an INSERT answers nothing worth reading
        return;
      }
      const file = join(insertDir, `${process.pid}-${++insertFiles}.bin`);
      try {
        await writeFile(file, body);
        await client.command({
          query: `INSERT INTO ${table} (${cols}) SELECT * FROM file({file:String}, 'RowBinary', {structure:String})`,
          query_params: { file, structure },
        });
      } finally {
        await rm(file, { force: true });
      }
    },
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
