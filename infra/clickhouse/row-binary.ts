// RowBinary encoding for Db.insertRowBinary bodies: lengths and bytes, nothing to
// escape, so the engine neither scans nor unescapes the values (a 3 MB body of id
// segments took the embedded engine 16 ms of CPU against 37 as TabSeparated,
// docs/benchmarks.md 2026-11-29 13:20).

/** Bytes of n as LEB128 (how RowBinary writes string lengths). */
export function varintSize(n: number): number {
  let size = 1;
  for (let x = n; x >= 0x80; x = Math.floor(x / 0x80)) size++;
  return size;
}

/** LEB128 of a non-negative integer below 2^53; returns the offset after it. */
export function writeVarint(to: Buffer, at: number, n: number): number {
  let x = n;
  while (x >= 0x80) {
    to[at++] = (x % 0x80) | 0x80;
    x = Math.floor(x / 0x80);
  }
  to[at++] = x;
  return at;
}

/** A non-negative integer below 2^53 as a little-endian (U)Int64 (no BigInt per row). */
export function writeInt64(to: Buffer, at: number, n: number): number {
  to.writeUInt32LE(n % 0x1_0000_0000, at);
  return to.writeUInt32LE(Math.floor(n / 0x1_0000_0000), at + 4);
}

/** Rows appended field by field into one growing buffer. */
export class RowBinaryWriter {
  private buf: Buffer;
  private at = 0;

  constructor(initialBytes = 4096) {
    this.buf = Buffer.allocUnsafe(initialBytes);
  }

  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(2 * this.buf.length, this.at + n));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }

  /** A String of these bytes. */
  bytes(b: Uint8Array): this {
    this.room(9 + b.length);
    this.at = writeVarint(this.buf, this.at, b.length);
    this.buf.set(b, this.at);
    this.at += b.length;
    return this;
  }

  /** A String of the text's UTF-8 bytes. */
  utf8(s: string): this {
    return this.bytes(Buffer.from(s, 'utf8'));
  }

  /** A String of one byte per code unit: for text known to hold code units below 256 only. */
  latin1(s: string): this {
    this.room(9 + s.length);
    this.at = writeVarint(this.buf, this.at, s.length);
    this.at += this.buf.write(s, this.at, 'latin1');
    return this;
  }

  u8(n: number): this {
    this.room(1);
    this.at = this.buf.writeUInt8(n, this.at);
    return this;
  }

  /** UInt32, or a DateTime in seconds. */
  u32(n: number): this {
    this.room(4);
    this.at = this.buf.writeUInt32LE(n, this.at);
    return this;
  }

  /** UInt64 of a non-negative integer below 2^53. */
  u64(n: number): this {
    this.room(8);
    this.at = writeInt64(this.buf, this.at, n);
    return this;
  }

  get length(): number {
    return this.at;
  }

  /** The rows written so far (a view of the writer's buffer). */
  build(): Buffer {
    return this.buf.subarray(0, this.at);
  }
}
