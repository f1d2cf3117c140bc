import { describe, expect, it } from 'vitest';
import { RowBinaryWriter, varintSize, writeVarint } from './row-binary.js';

describe('RowBinary encoding', () => {
  it('writes LEB128 lengths', () => {
    const cases: [number, number[]][] = [[0, [0]], [127, [0x7f]], [128, [0x80, 0x01]], [300, [0xac, 0x02]], [2 ** 21, [0x80, 0x80, 0x80, 0x01]]];
    for (const [n, bytes] of cases) {
      const b = Buffer.alloc(8);
      expect(writeVarint(b, 0, n)).toBe(bytes.length);
      expect([...b.subarray(0, bytes.length)]).toEqual(bytes);
      expect(varintSize(n)).toBe(bytes.length);
    }
  });

  it('writes fields as the engine reads them, growing past its first buffer', () => {
    const long = 'x'.repeat(200);
    const w = new RowBinaryWriter(4);
    w.utf8('é').u32(0x01020304).u64(2 ** 32 + 5).u8(7).latin1(long).bytes(Uint8Array.of(9, 10));
    const expected = Buffer.concat([
      Buffer.from([2, 0xc3, 0xa9]), // 'é' in UTF-8, length 2
      Buffer.from([4, 3, 2, 1]),
      Buffer.from([5, 0, 0, 0, 1, 0, 0, 0]),
      Buffer.from([7]),
      Buffer.from([0xc8, 0x01]), Buffer.from(long, 'latin1'), // 200 = 0x48 | 0x80, then 1
      Buffer.from([2, 9, 10]),
    ]);
    expect(w.length).toBe(expected.length);
    expect(w.build().equals(expected)).toBe(true);
  });
});
