// The raw-event blocks of `events_raw_blocks` (migration 0008): how processors
// write them and how readers unfold them into one row per event. Both sides live
// here so the layout is written down once.
//
// A block is the events of one scope and minute that one write carried; its body is
// `<ts ms> US <message text>` lines joined by RS. Valid JSON text has no raw control
// characters, so neither separator can occur inside a message. Blocks are written
// as RowBinary: the message bytes go in as they are, with nothing to escape.
import type { SqaEvent } from '../../events/types.js';
import { varintSize, writeInt64, writeVarint } from './row-binary.js';

export const RAW_BLOCK_COLUMNS: [string, ...string[]] = ['service', 'region', 'minute', 'first_ts', 'last_ts', 'events', 'body'];
/** The RowBinary layout of a block row (LowCardinality(String) is written as String). */
export const RAW_BLOCK_STRUCTURE = "service String, region String, minute DateTime('UTC'), first_ts DateTime64(3, 'UTC'), last_ts DateTime64(3, 'UTC'), events UInt32, body String";

/** Built blocks, ready to insert: their RowBinary rows and how many events they hold. */
export interface RawBody {
  rows: Buffer;
  events: number;
}

/** Between lines of a block (ASCII record separator; `'\\x1e'` in rawLinesSql). */
const RS = 0x1e;
/** Between a line's event time and its message text (ASCII unit separator; `'\\x1f'` in rawLinesSql). */
const US = 0x1f;

interface Block {
  minute: number;
  first: number;
  last: number;
  events: number;
  bytes: Buffer;
  length: number;
}

/** A scope's blocks since the last build, and the buffers of its blocks before, to fill again. */
interface ScopeBlocks {
  blocks: Block[];
  spare: Buffer[];
  /** Builds since the scope last had events. */
  idle: number;
}

/**
 * Buffers at least this long have an ArrayBuffer of their own (smaller ones are slices
 * of Node's shared pool, Buffer.poolSize / 2): only those are kept for reuse.
 */
const OWN_BUFFER = 4096;

/**
 * Rows of a build at least this long go into shared memory, kept for later builds
 * once written (recycle): a chunk's rows are megabytes, and allocated anew for each
 * and copied to cross to the engine's thread they were ~360 bytes per event of new
 * memory outside the JS heap (docs/benchmarks.md, 2026-11-29 13:20).
 */
const SHARED_ROWS_MIN = 64 * 1024;
/** Rows buffers kept for later builds: one written early, one a flush writes meanwhile, one to fill. */
const KEEP_ROWS_BUFFERS = 3;

/** A scope's buffers are kept through at most this many builds without its events. */
const KEEP_IDLE_BUILDS = 8;
/** Buffers kept after a build: at most this many times the bytes it built. */
const KEEP_BYTES_FACTOR = 4;

/** Writes a non-negative integer's decimal digits at `at`; returns the end. */
function writeDigits(to: Buffer, at: number, n: number): number {
  // Event times have 12–13 digits: the low eight as a small integer, so that most
  // digits come from integer division rather than floating-point floor.
  const high = Math.floor(n / 1e8);
  let low = n - high * 1e8;
  if (high === 0) return writeSmall(to, at, low);
  at = writeSmall(to, at, high);
  for (let i = at + 7; i >= at; i--) {
    const q = (low / 10) | 0;
    to[i] = 0x30 + (low - q * 10);
    low = q;
  }
  return at + 8;
}

/** writeDigits for n < 2^31. */
function writeSmall(to: Buffer, at: number, n: number): number {
  let digits = 1;
  for (let x = n; x >= 10; x = (x / 10) | 0) digits++;
  for (let i = at + digits - 1, x = n; i >= at; i--) {
    const q = (x / 10) | 0;
    to[i] = 0x30 + (x - q * 10);
    x = q;
  }
  return at + digits;
}

/**
 * Collects raw events into blocks as they arrive, as bytes: each event's message
 * bytes are copied once into its block, and nothing per event stays on the JS heap
 * until the write (texts and events kept that long were promoted by the garbage
 * collector, and building and escaping one string per block cost more again).
 *
 * A build copies the blocks out, so their buffers are free again: a scope fills the
 * buffers of its last blocks in the next build it has events in. Otherwise a busy
 * scope's block grows by doubling to its size in every build, and each of those
 * buffers is memory outside the JS heap that V8 counts towards its next full
 * collection, a mark of the whole heap (docs/benchmarks.md, 2026-11-29 06:00).
 * Scopes absent from a build keep theirs too: Kafka hands over one partition's
 * messages at a time, so a chunk often holds only some partitions' scopes, and
 * buffers let go in every other build were 300-500 bytes of new memory per event
 * (docs/benchmarks.md, 2026-11-29 13:20). What is kept is bounded: a buffer mostly
 * empty in its build (a burst that passed) is not kept again; a scope's buffers go
 * after KEEP_IDLE_BUILDS builds without its events; and all kept buffers together
 * stay under KEEP_BYTES_FACTOR times the bytes of the last build, the longest idle
 * scopes' going first.
 */
export class RawBlockBuilder {
  /** service → region → that scope's blocks (usually one or two minutes). */
  private readonly scopes = new Map<string, Map<string, ScopeBlocks>>();
  private count = 0;
  /** Rows buffers handed back by recycle(), each over a SharedArrayBuffer of its own, smallest first. */
  private freeRows: Buffer[] = [];

  /** Events added since the last build. */
  get events(): number {
    return this.count;
  }

  /**
   * Adds one event: `bytes` is its message, valid JSON text (it was parsed), so RS
   * and US cannot occur in it.
   */
  add(e: SqaEvent, bytes: Buffer): void {
    let regions = this.scopes.get(e.service);
    if (regions === undefined) this.scopes.set(e.service, (regions = new Map()));
    let scope = regions.get(e.region);
    if (scope === undefined) regions.set(e.region, (scope = { blocks: [], spare: [], idle: 0 }));
    const blocks = scope.blocks;
    const minute = e.ts - (e.ts % 60_000);
    let b: Block | undefined;
    for (const x of blocks) if (x.minute === minute) b = x;
    // Separator, at most 16 digits of time, unit separator, the message.
    const need = 18 + bytes.length;
    if (b === undefined) {
      // The scope's buffer of the last build (its largest first), else small to start:
      // with 100,000 quiet scopes a chunk touches tens of thousands of blocks of one or
      // two events each; busy ones double as they fill.
      const kept = scope.spare.pop();
      const buf = kept !== undefined && kept.length >= need ? kept : Buffer.allocUnsafe(Math.max(1024, need));
      b = { minute, first: e.ts, last: e.ts, events: 0, bytes: buf, length: 0 };
      blocks.push(b);
    } else {
      if (e.ts < b.first) b.first = e.ts;
      if (e.ts > b.last) b.last = e.ts;
      if (b.length + need > b.bytes.length) {
        const grown = Buffer.allocUnsafe(Math.max(2 * b.bytes.length, b.length + need));
        grown.set(b.bytes.subarray(0, b.length));
        b.bytes = grown;
      }
      b.bytes[b.length++] = RS;
    }
    b.length = writeDigits(b.bytes, b.length, e.ts);
    b.bytes[b.length++] = US;
    // TypedArray set: Buffer#copy costs several times more for lines this short.
    b.bytes.set(bytes, b.length);
    b.length += bytes.length;
    b.events++;
    this.count++;
  }

  /** The RowBinary rows of every block so far (RAW_BLOCK_STRUCTURE); the builder is empty afterwards. */
  build(): RawBody {
    let size = 0;
    for (const [service, regions] of this.scopes) {
      for (const [region, { blocks }] of regions) {
        // Two strings (service and region match NAME_PATTERN: ASCII, ≤ 64 bytes, a
        // one-byte length), 4 + 8 + 8 + 4 bytes of numbers, the body's length and bytes.
        for (const b of blocks) size += 2 + service.length + region.length + 24 + varintSize(b.length) + b.length;
      }
    }
    const rows = this.rowsBuffer(size);
    let at = 0;
    for (const [service, regions] of this.scopes) {
      for (const [region, { blocks }] of regions) {
        for (const b of blocks) {
          rows[at++] = service.length;
          at += rows.write(service, at, 'latin1');
          rows[at++] = region.length;
          at += rows.write(region, at, 'latin1');
          at = rows.writeUInt32LE(b.minute / 1000, at);
          at = writeInt64(rows, at, b.first);
          at = writeInt64(rows, at, b.last);
          at = rows.writeUInt32LE(b.events, at);
          at = writeVarint(rows, at, b.length);
          rows.set(b.bytes.subarray(0, b.length), at);
          at += b.length;
        }
      }
    }
    const events = this.count;
    this.keepBuffers(size);
    this.count = 0;
    return { rows, events };
  }

  /**
   * Hands back the rows of a body built here once they are written: nothing may read
   * `body` afterwards (a later build overwrites its bytes). Only rows in shared memory
   * are kept, at most KEEP_ROWS_BUFFERS; a build takes the smallest that holds it.
   */
  recycle(body: RawBody): void {
    const buf = body.rows.buffer;
    if (!(buf instanceof SharedArrayBuffer) || this.freeRows.length >= KEEP_ROWS_BUFFERS) return;
    // Twice the same would let two builds fill one buffer.
    if (this.freeRows.some((b) => b.buffer === buf)) return;
    this.freeRows.push(Buffer.from(buf));
    this.freeRows.sort((x, y) => x.length - y.length);
  }

  /** `size` bytes for a build's rows: a kept buffer that holds them, else a new one. */
  private rowsBuffer(size: number): Buffer {
    if (size < SHARED_ROWS_MIN) return Buffer.allocUnsafe(size);
    // Kept smallest first: the first that holds the rows is the smallest that does.
    const fit = this.freeRows.findIndex((b) => b.length >= size);
    if (fit >= 0) return this.freeRows.splice(fit, 1)[0]!.subarray(0, size);
    // None holds them: the smallest makes room for the new one.
    this.freeRows.shift();
    // Twice what is needed, as chunks differ in size (more arrive while one is written).
    // The memory is the system's zeroed pages: only what a build writes is touched.
    return Buffer.from(new SharedArrayBuffer(2 * size)).subarray(0, size);
  }

  /**
   * After a build of `built` bytes: each scope with blocks keeps their own buffers
   * (largest last, taken first); scopes without keep theirs within the bounds above.
   */
  private keepBuffers(built: number): void {
    let kept = 0;
    const idle: { regions: Map<string, ScopeBlocks>; region: string; scope: ScopeBlocks; bytes: number }[] = [];
    for (const regions of this.scopes.values()) {
      for (const [region, scope] of regions) {
        const { blocks } = scope;
        if (blocks.length === 0) {
          scope.idle++;
          const bytes = scope.spare.reduce((n, b) => n + b.length, 0);
          if (bytes === 0 || scope.idle > KEEP_IDLE_BUILDS) regions.delete(region);
          else idle.push({ regions, region, scope, bytes });
          continue;
        }
        const spare: Buffer[] = [];
        for (const b of blocks) {
          if (b.bytes.length < OWN_BUFFER || b.bytes.length > 4 * b.length) continue;
          spare.push(b.bytes);
          kept += b.bytes.length;
        }
        if (spare.length > 1) spare.sort((x, y) => x.length - y.length);
        scope.blocks = [];
        scope.spare = spare;
        scope.idle = 0;
      }
    }
    idle.sort((x, y) => x.scope.idle - y.scope.idle);
    for (const x of idle) {
      kept += x.bytes;
      if (kept > KEEP_BYTES_FACTOR * built) x.regions.delete(x.region);
    }
    for (const [service, regions] of this.scopes) if (regions.size === 0) this.scopes.delete(service);
  }
}

/**
 * SQL giving one row per stored event line — `service`, `region`, `ts_ms` (Int64),
 * `payload` (the message text) — from the blocks that `blockWhere` selects
 * (a condition on service, region, minute, first_ts, last_ts). Replays may have
 * stored a line twice: callers keep one per (id, ts_ms) with `LIMIT 1 BY`.
 */
export function rawLinesSql(table: string, blockWhere: string): string {
  return `SELECT service, region,
      toInt64(substring(line, 1, position(line, '\\x1f') - 1)) AS ts_ms,
      substring(line, position(line, '\\x1f') + 1) AS payload
    FROM ${table}
    ARRAY JOIN splitByChar('\\x1e', body) AS line
    WHERE ${blockWhere}`;
}
