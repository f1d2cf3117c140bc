// Db.insertRowBinary on the embedded engine: the body waits in a file of this
// process, which is gone after the insert whether or not it succeeded, and files a
// dead process left behind are cleared when the next one opens the data directory.
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rows, testDb } from '../../test/helpers/db.js';

describe('insertRowBinary (embedded)', () => {
  it('inserts the rows, leaves no file behind, and surfaces a failure with the file gone too', async () => {
    const path = resolve('.test-data', `ch-${randomBytes(4).toString('hex')}`);
    const inserts = `${path}-inserts`;
    mkdirSync(inserts, { recursive: true });
    writeFileSync(`${inserts}/999999-1.bin`, 'left by a process that died');

    const db = await testDb(path);
    expect(readdirSync(inserts)).toEqual([]);
    await db.client.command({ query: `CREATE TABLE ${db.t('rb')} (name LowCardinality(String), n UInt32) ENGINE = MergeTree ORDER BY name` });
    // "tab\there" and 7, "é" and 300: a string is a length byte and its UTF-8 bytes, a UInt32 four bytes.
    const body = Buffer.concat([
      Buffer.from([8]), Buffer.from('tab\there'), Buffer.from([7, 0, 0, 0]),
      Buffer.from([2]), Buffer.from('é'), Buffer.from([0x2c, 0x01, 0, 0]),
    ]);
    await db.insertRowBinary(db.t('rb'), 'name String, n UInt32', ['name', 'n'], body);
    expect(await rows(db, `SELECT name, n FROM ${db.t('rb')} ORDER BY n`)).toEqual([{ name: 'tab\there', n: 7 }, { name: 'é', n: 300 }]);
    expect(readdirSync(inserts)).toEqual([]);

    await expect(db.insertRowBinary(db.t('no_such_table'), 'name String, n UInt32', ['name', 'n'], body)).rejects.toThrow(/no_such_table/);
    expect(readdirSync(inserts)).toEqual([]);
    expect(existsSync(inserts)).toBe(true);
  });
});
