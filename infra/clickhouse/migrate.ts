// Versioned, idempotent schema migrations, run at start-up by every process that
// touches ClickHouse. Files are applied in name order and recorded in
// schema_migrations; each statement is itself IF NOT EXISTS, so a crash between
// applying and recording is harmless.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Db } from './client.js';

const DIR = fileURLToPath(new URL('./migrations/', import.meta.url));

export interface MigrationOptions {
  rawTtlDays: number;
}

/** The statements of one migration file, with its placeholders filled from trusted config. */
export function migrationStatements(sql: string, db: string, o: MigrationOptions): string[] {
  if (!Number.isInteger(o.rawTtlDays) || o.rawTtlDays < 1) throw new Error(`rawTtlDays: must be a positive integer`);
  return sql
    .replaceAll('{db}', db)
    .replaceAll('{rawTtlDays}', String(o.rawTtlDays))
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.replace(/^\s*--.*$/gm, '').trim())
    .filter(Boolean);
}

export async function migrate(db: Db, o: MigrationOptions): Promise<string[]> {
  const { client } = db;
  await client.command({ query: `CREATE DATABASE IF NOT EXISTS ${db.database}` });
  await client.command({
    query: `CREATE TABLE IF NOT EXISTS ${db.t('schema_migrations')} (name String, applied_at DateTime DEFAULT now()) ENGINE = ReplacingMergeTree ORDER BY name`,
  });
  const done = new Set(
    (await (await client.query({ query: `SELECT name FROM ${db.t('schema_migrations')} FINAL`, format: 'JSONEachRow' })).json<{ name: string }>())
      .map((r) => r.name),
  );
  const applied: string[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.sql')).sort()) {
    if (done.has(file)) continue;
    for (const query of migrationStatements(readFileSync(join(DIR, file), 'utf8'), db.database, o)) {
      await client.command({ query });
    }
    await client.insert({ table: db.t('schema_migrations'), values: [{ name: file }], format: 'JSONEachRow' });
    applied.push(file);
  }
  return applied;
}
