// The state store on the real engine: id segments come back byte for byte, whatever
// code units they hold, and a restore reads only the segments its state names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../infra/clickhouse/client.js';
import { loadSnapshots, saveSnapshots } from '../../processors/state-store.js';
import type { IdSegment } from '../../processors/core/index.js';
import { testDb } from '../helpers/db.js';

const ref = { group: 'g', topic: 't' };
const state = (segs: string[]) => ({ v: 4, ids: { gen: 3, rotateAt: null, prev: [], cur: segs.map((s) => [s, 1, 0]) } });

describe('state store', () => {
  let db: Db;
  beforeAll(async () => {
    db = await testDb();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('round-trips id segments exactly: control units, backslashes, non-Latin-1 and lone surrogates', async () => {
    // Lengths below 32 are control units (tab, newline), which must arrive unaltered.
    const narrow = ['\t', '\n\\', 'ab\r\0', String.fromCharCode(0, 9, 10, 13, 92, 8, 12, 127)].map((id) => String.fromCharCode(id.length) + id).join('');
    const long = Array.from({ length: 20_000 }, (_, i) => `s11-mjuohs00-${i}`).map((id) => String.fromCharCode(id.length) + id).join('');
    const wide = ['✓\ud800', '日本', 'x\udfff\t', 'ÿé'].map((id) => String.fromCharCode(id.length) + id).join('');
    const segments: IdSegment[] = [
      { generation: 3, segment: 'w.0', units: narrow, writtenAt: Date.now() },
      { generation: 3, segment: 'w.1', units: wide, writtenAt: Date.now() },
      { generation: 3, segment: 'w.2', units: '\u0001z', writtenAt: Date.now() }, // named by no state
      // As long as a busy scope's: a length of several bytes in the body.
      { generation: 3, segment: 'w.3', units: long, writtenAt: Date.now() },
    ];
    const bytes = await saveSnapshots(db, ref, [{ partition: 4, snaps: [{ scope: 'voice|north', offset: 7, state: state(['w.0', 'w.1', 'w.3']), segments }] }]);
    expect(bytes).toBeGreaterThan(narrow.length + 2 * wide.length + long.length);
    const [snap] = await loadSnapshots(db, { ...ref, partition: 4 });
    expect(snap!.offset).toBe(7);
    const got = new Map(snap!.segments!.map((g) => [g.segment, g.units]));
    expect([...got.keys()].sort()).toEqual(['w.0', 'w.1', 'w.3']);
    expect(got.get('w.0')).toBe(narrow);
    expect(got.get('w.1')).toBe(wide);
    expect(got.get('w.3')).toBe(long);
  });
});
