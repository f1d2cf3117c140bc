// The embedded engine from worker threads. One process owns one chdb data
// directory, and only one thread of it may use the engine: opened a second time
// from a worker on the same directory, statements of both threads hung. So the
// main thread serves its engine to its workers over a MessagePort, and each worker
// gets a Db whose @clickhouse/client talks to a Connection that forwards every
// statement. The client's own encoding (JSONEachRow values, result parsing) runs
// in the worker; the main thread only hands bytes to the engine and back.
import { Readable } from 'node:stream';
import type { MessagePort } from 'node:worker_threads';
import { ClickHouseError, createClient } from '@clickhouse/client';
import type { Db, DbConnection } from './client.js';

type ConnectionParams = Parameters<DbConnection['query']>[0];

/** What crosses the port: plain data only (abort signals and streams do not). */
interface PlainParams {
  query: string;
  clickhouse_settings?: ConnectionParams['clickhouse_settings'];
  query_params?: Record<string, unknown>;
  query_id?: string;
  session_id?: string;
}

type Request =
  | { id: number; op: 'query' | 'exec' | 'command'; params: PlainParams; values?: string }
  | { id: number; op: 'insert'; params: PlainParams; values: string }
  | { id: number; op: 'ping' }
  | { id: number; op: 'insertFormatted'; table: string; columns: readonly string[]; format: 'JSONEachRow'; body: Body }
  | { id: number; op: 'insertRowBinary'; table: string; structure: string; columns: readonly string[]; body: Body };

/** An insert's bytes: a transferred copy, or a view of shared memory (no copy). */
interface Body {
  buffer: ArrayBuffer | SharedArrayBuffer;
  offset: number;
  length: number;
}

type Outgoing = Request extends infer R ? (R extends Request ? Omit<R, 'id'> : never) : never;

interface Reply {
  id: number;
  ok: boolean;
  /** query/exec: the whole result. */
  body?: ArrayBuffer;
  query_id?: string;
  summary?: unknown;
  error?: { message: string; code?: string; type?: string };
}

function plain(p: ConnectionParams): PlainParams {
  return { query: p.query, clickhouse_settings: p.clickhouse_settings, query_params: p.query_params, query_id: p.query_id, session_id: p.session_id };
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

/** A copy of the bytes as an ArrayBuffer of their own, which can be transferred without detaching anything else. */
function own(b: Uint8Array): ArrayBuffer {
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

/**
 * The bytes as they cross the port, and what to transfer. Bytes in shared memory
 * are sent as they are: the caller keeps them unchanged until the insert settles
 * (raw-event chunks, megabytes each, whose copies were ~180 bytes per event of new
 * memory outside the JS heap, and with it more full collections: docs/benchmarks.md
 * 2026-11-29 13:20). Other bytes are copied, so that the caller's stay whole.
 */
function bodyOf(b: Uint8Array): { body: Body; transfer: ArrayBuffer[] } {
  if (b.buffer instanceof SharedArrayBuffer) return { body: { buffer: b.buffer, offset: b.byteOffset, length: b.byteLength }, transfer: [] };
  const copy = own(b);
  return { body: { buffer: copy, offset: 0, length: copy.byteLength }, transfer: [copy] };
}

const bytesOf = (b: Body) => Buffer.from(b.buffer, b.offset, b.length);

/**
 * Main thread: runs a worker's statements on this process's engine. Returns a
 * function that stops serving. `db` must be the embedded engine (`db.connection`).
 */
export function serveDb(db: Db, port: MessagePort): () => void {
  const conn = db.connection;
  if (conn === null) throw new Error('serveDb: only the embedded engine is served to workers; with a ClickHouse server each worker opens its own client');
  async function run(r: Request): Promise<Omit<Reply, 'id' | 'ok'>> {
    switch (r.op) {
      case 'query': {
        const res = await conn!.query(r.params);
        return { body: own(await readAll(res.stream)), query_id: res.query_id };
      }
      case 'exec': {
        const res = await conn!.exec({ ...r.params, ...(r.values !== undefined ? { values: Readable.from([r.values]) } : {}) });
        return { body: own(await readAll(res.stream)), query_id: res.query_id, summary: res.summary };
      }
      case 'command': {
        const res = await conn!.command(r.params);
        return { query_id: res.query_id, summary: res.summary };
      }
      case 'insert': {
        const res = await conn!.insert({ ...r.params, values: Readable.from([r.values]) });
        return { query_id: res.query_id, summary: res.summary };
      }
      case 'ping': {
        const res = await conn!.ping({ select: true });
        if (!res.success) throw res.error;
        return {};
      }
      case 'insertFormatted':
        await db.insertFormatted(r.table, r.columns, r.format, bytesOf(r.body));
        return {};
      case 'insertRowBinary':
        await db.insertRowBinary(r.table, r.structure, r.columns, bytesOf(r.body));
        return {};
    }
  }
  const onMessage = (r: Request) => {
    run(r).then(
      (out) => port.postMessage({ id: r.id, ok: true, ...out } satisfies Reply, out.body ? [out.body] : []),
      (err: unknown) => {
        const e = err as Partial<ClickHouseError>;
        // The worker rebuilds the error: its message and the engine's code and type.
        port.postMessage({ id: r.id, ok: false, error: { message: e.message ?? String(err), code: e.code, type: e.type } } satisfies Reply);
      },
    );
  };
  port.on('message', onMessage);
  return () => port.off('message', onMessage);
}

/**
 * Worker thread: a Db on the main thread's engine. Statements run in the order
 * they are sent, interleaved with the other threads' (as statements of one thread
 * already interleave on one engine).
 */
export function connectDb(port: MessagePort, database: string): Db {
  let next = 0;
  const waiting = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  port.on('message', (r: Reply) => {
    const w = waiting.get(r.id);
    if (!w) return;
    waiting.delete(r.id);
    if (r.ok) w.resolve(r);
    else w.reject(new ClickHouseError({ message: r.error!.message, code: r.error!.code ?? '', type: r.error!.type }));
  });
  // Until a statement is waiting, the port must not keep the worker's event loop alive.
  port.unref();
  function call(req: Outgoing, transfer: ArrayBuffer[] = []): Promise<Reply> {
    const id = ++next;
    return new Promise<Reply>((resolve, reject) => {
      if (waiting.size === 0) port.ref();
      waiting.set(id, { resolve, reject });
      port.postMessage({ ...req, id }, transfer);
    }).finally(() => { if (waiting.size === 0) port.unref(); });
  }
  const base = (r: Reply) => ({ query_id: r.query_id ?? '', response_headers: {}, http_status_code: 200 });
  const summary = (r: Reply) => (r.summary ?? {}) as Awaited<ReturnType<DbConnection['insert']>>['summary'];
  const connection: DbConnection = {
    async ping() {
      await call({ op: 'ping' });
      return { success: true };
    },
    async query(p) {
      const r = await call({ op: 'query', params: plain(p) });
      return { stream: Readable.from([Buffer.from(r.body!)]), ...base(r) };
    },
    async exec(p) {
      const values = p.values === undefined ? undefined : (await readAll(p.values as AsyncIterable<unknown>)).toString('utf8');
      const r = await call({ op: 'exec', params: plain(p), ...(values !== undefined ? { values } : {}) });
      return { stream: Readable.from([Buffer.from(r.body!)]), ...base(r), summary: summary(r) };
    },
    async command(p) {
      const r = await call({ op: 'command', params: plain(p) });
      return { ...base(r), summary: summary(r) };
    },
    async insert(p) {
      const values = typeof p.values === 'string' ? p.values : (await readAll(p.values as AsyncIterable<unknown>)).toString('utf8');
      const r = await call({ op: 'insert', params: plain(p), values });
      return { ...base(r), summary: summary(r) };
    },
    // The engine is the main thread's to close.
    close: async () => {},
  };
  return {
    client: createClient({ connection }),
    connection: null,
    database,
    embedded: true,
    t: (table: string) => `${database}.${table}`,
    async insertFormatted(table, columns, format, body) {
      if (body.length === 0) return;
      const b = bodyOf(body);
      await call({ op: 'insertFormatted', table, columns, format, body: b.body }, b.transfer);
    },
    async insertRowBinary(table, structure, columns, body) {
      if (body.length === 0) return;
      const b = bodyOf(body);
      await call({ op: 'insertRowBinary', table, structure, columns, body: b.body }, b.transfer);
    },
    close: async () => { port.close(); },
  };
}
