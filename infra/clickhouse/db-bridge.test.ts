// The embedded engine served over a MessagePort (what processor worker threads
// use): every statement the processors send goes through, results and errors
// come back, and the bytes of a body are copied unless they are in shared memory.
// Both ends are in this thread here; test/integration/processor-threads.test.ts
// runs the same through real worker threads.
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClickHouseError } from '@clickhouse/client';
import { rows, testDb } from '../../test/helpers/db.js';
import type { Db } from './client.js';
import { connectDb, serveDb } from './db-bridge.js';

describe('db bridge', () => {
  // One engine per process: every case serves the same one over a channel of its own.
  let db: Db;
  const channels: MessageChannel[] = [];
  beforeAll(async () => { db = await testDb(); });
  afterAll(() => { for (const ch of channels) ch.port1.close(); });
  function remoteDb(): Db {
    const ch = new MessageChannel();
    channels.push(ch);
    serveDb(db, ch.port1);
    return connectDb(ch.port2, db.database);
  }

  it('runs commands, inserts and queries of the remote side on the served engine', async () => {
    const remote = remoteDb();
    expect(remote.t('x')).toBe(db.t('x'));
    expect(remote.connection).toBeNull();

    await remote.client.command({ query: `CREATE TABLE ${remote.t('b')} (k String, n UInt32) ENGINE = MergeTree ORDER BY k` });
    // The client encodes objects as JSONEachRow in the remote thread.
    await remote.client.insert({ table: remote.t('b'), values: [{ k: 'tab\there', n: 1 }, { k: 'é', n: 2 }], format: 'JSONEachRow' });
    await remote.insertFormatted(remote.t('b'), ['k', 'n'], 'JSONEachRow', Buffer.from('{"k":"line\\nbreak","n":3}\n'));
    // RowBinary: "rb" and 4 (a length byte, the bytes, a little-endian UInt32).
    await remote.insertRowBinary(remote.t('b'), 'k String, n UInt32', ['k', 'n'], Buffer.from([2, 0x72, 0x62, 4, 0, 0, 0]));

    // Read on the served side: the rows are in the one engine.
    expect(await rows(db, `SELECT k, n FROM ${db.t('b')} ORDER BY n`)).toEqual([
      { k: 'tab\there', n: 1 }, { k: 'é', n: 2 }, { k: 'line\nbreak', n: 3 }, { k: 'rb', n: 4 },
    ]);
    // And on the remote side, with query parameters.
    const rs = await remote.client.query({ query: `SELECT k FROM ${remote.t('b')} WHERE n >= {min:UInt32} ORDER BY n`, query_params: { min: 3 }, format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ k: 'line\nbreak' }, { k: 'rb' }]);
    // exec: the raw result stream.
    const ex = await remote.client.exec({ query: `SELECT count() AS c FROM ${remote.t('b')} FORMAT TabSeparated` });
    const chunks: Buffer[] = [];
    for await (const c of ex.stream) chunks.push(Buffer.from(c as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe('4\n');
    expect((await remote.client.ping()).success).toBe(true);
  });

  it('sends a copy of a body that is a view into a larger buffer, which stays usable', async () => {
    const remote = remoteDb();
    await remote.client.command({ query: `CREATE TABLE ${remote.t('v')} (k String) ENGINE = MergeTree ORDER BY k` });
    const big = Buffer.from('ignored\n{"k":"view"}\nignored too\n');
    const view = big.subarray(8, 21); // '{"k":"view"}\n'
    await remote.insertFormatted(remote.t('v'), ['k'], 'JSONEachRow', view);
    expect(big.toString()).toBe('ignored\n{"k":"view"}\nignored too\n');
    expect(await rows(db, `SELECT k FROM ${db.t('v')}`)).toEqual([{ k: 'view' }]);
  });

  it('sends a body in shared memory as it is, at its offset, and leaves it whole', async () => {
    const remote = remoteDb();
    await remote.client.command({ query: `CREATE TABLE ${remote.t('s')} (k String, n UInt32) ENGINE = MergeTree ORDER BY k` });
    const shared = Buffer.from(new SharedArrayBuffer(32));
    shared.fill(0xff);
    // At offset 5: the row "sh", 7 (what raw-event chunks look like: a view into a larger shared buffer).
    shared.set([2, 0x73, 0x68, 7, 0, 0, 0], 5);
    await remote.insertRowBinary(remote.t('s'), 'k String, n UInt32', ['k', 'n'], shared.subarray(5, 12));
    expect(shared.subarray(5, 12)).toEqual(Buffer.from([2, 0x73, 0x68, 7, 0, 0, 0]));
    expect(shared.byteLength).toBe(32); // not detached
    expect(await rows(db, `SELECT k, n FROM ${db.t('s')}`)).toEqual([{ k: 'sh', n: 7 }]);
  });

  it('gives the engine\'s error back to the remote side, and goes on serving', async () => {
    const remote = remoteDb();
    const err = await remote.client.query({ query: `SELECT * FROM ${remote.t('no_such_table')}`, format: 'JSONEachRow' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClickHouseError);
    expect((err as ClickHouseError).message).toMatch(/no_such_table/);
    expect((err as ClickHouseError).code).toBe('60'); // UNKNOWN_TABLE
    await expect(remote.insertRowBinary(remote.t('no_such_table'), 'k String', ['k'], Buffer.from([1, 0x61]))).rejects.toThrow(/no_such_table/);
    const rs = await remote.client.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' });
    expect(await rs.json()).toEqual([{ one: 1 }]);
  });

  it('is refused for a ClickHouse server, which each thread opens a client to', () => {
    const ch = new MessageChannel();
    const server = { connection: null } as unknown as Parameters<typeof serveDb>[0];
    expect(() => serveDb(server, ch.port1)).toThrow(/only the embedded engine/);
    ch.port1.close();
  });
});
