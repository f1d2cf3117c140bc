import { describe, expect, it } from 'vitest';
import { buildMinuteInputs } from './minute-inputs.js';

const T = Date.UTC(2026, 0, 1, 10, 0);
const s = (sec: number) => T + sec * 1000;

describe('minute inputs from rollups and outage intervals', () => {
  it('splits the union of outages over minutes and marks minutes that end inside one', () => {
    // 10:00:30–10:01:20 ∪ 10:01:00–10:01:40 = 10:00:30–10:01:40 → 30 s in 10:00, 40 s in 10:01.
    // A still-open outage from 10:02:45 → 15 s in 10:02, open at its end.
    const inputs = buildMinuteInputs(T, T + 3 * 60_000, [{ start: T + 60_000, probes: 4, probesOk: 3, latency: { keys: [10], counts: [3] }, faults: 1, complaints: 2 }], [
      { start: s(30), end: s(80) }, { start: s(60), end: s(100) }, { start: s(165), end: null },
    ]);
    expect(inputs.map((m) => [m.downtimeMs, m.outageOpen])).toEqual([[30_000, true], [40_000, false], [15_000, true]]);
    expect(inputs[1]).toMatchObject({ probes: 4, probesOk: 3, faults: 1, complaints: 2 });
    expect(inputs[0]).toMatchObject({ probes: 0, faults: 0 });
  });

  it('refuses periods that are not whole minutes', () => {
    expect(() => buildMinuteInputs(T + 1, T + 60_000, [], [])).toThrow(/whole minutes/);
  });
});
