// Rollup arithmetic and the figures derived from it (CONTRACT.md section 4).
import { describe, expect, it } from 'vitest';
import { alignStart, emptyRollup, figuresFromRollup, mergeRollup, type Rollup } from './rollup.js';
import { sketchOf } from './sketch.js';

const r = (over: Partial<Rollup>): Rollup => ({ ...emptyRollup('voice', 'north', '1m', 0), ...over });

describe('rollups', () => {
  it('gives null for every figure without data, and zero counts', () => {
    const f = figuresFromRollup(emptyRollup('voice', 'north', '1h', 0));
    expect(f).toEqual({
      faults: 0, mttrSeconds: null, mttaSeconds: null,
      probes: { total: 0, successRate: null, p50: null, p95: null, p99: null },
      complaints: { opened: 0, byCategory: { network: 0, billing: 0, service: 0, other: 0 }, meanResponseSeconds: null, meanResolutionSeconds: null, timeliness: null },
      nps: { responses: 0, score: null }, csat: { responses: 0, score: null },
    });
  });

  it('computes NPS, CSAT, means in seconds, rates and timeliness from the counters', () => {
    const f = figuresFromRollup(r({
      // NPS over scores 0,6,7,8,9,10: promoters 2, detractors 2 → 100 × (2 − 2) / 6 = 0
      npsResponses: 6, npsPromoters: 2, npsDetractors: 2,
      // CSAT over 1..5: satisfied {4,5} = 2 of 5 → 40
      csatResponses: 5, csatSatisfied: 2,
      // MTTR (600 000 + 1 200 000) ms / 2 = 900 s; MTTA 90 000 ms / 1 = 90 s
      mttrSumMs: 1_800_000, mttrCount: 2, mttaSumMs: 90_000, mttaCount: 1, faults: 3,
      // 3 of 4 probes ok → 0.75
      probes: 4, probesOk: 3,
      // response 60 s and 120 s → 90 s; resolution 3 600 s; 1 of 2 resolved in time → 0.5
      responseSumMs: 180_000, responseCount: 2, resolutionSumMs: 7_200_000, resolutionCount: 2, resolvedTimely: 1,
      openedNetwork: 2, openedBilling: 1, openedOther: 1,
    }));
    expect(f.nps).toEqual({ responses: 6, score: 0 });
    expect(f.csat).toEqual({ responses: 5, score: 40 });
    expect([f.faults, f.mttrSeconds, f.mttaSeconds]).toEqual([3, 900, 90]);
    expect(f.probes.successRate).toBe(0.75);
    expect(f.complaints).toEqual({
      opened: 4, byCategory: { network: 2, billing: 1, service: 0, other: 1 },
      meanResponseSeconds: 90, meanResolutionSeconds: 3600, timeliness: 0.5,
    });
  });

  it('gives NPS −100 and +100 at the extremes', () => {
    expect(figuresFromRollup(r({ npsResponses: 3, npsDetractors: 3 })).nps.score).toBe(-100);
    expect(figuresFromRollup(r({ npsResponses: 2, npsPromoters: 2 })).nps.score).toBe(100);
  });

  it('merges by adding counters and sketches, leaving identity and version alone', () => {
    const a = r({ probes: 2, probesOk: 2, latency: sketchOf([10, 20]), version: 9, final: true });
    const b = r({ region: 'south', probes: 1, probesOk: 1, latency: sketchOf([30]), faults: 1 });
    const m = mergeRollup(a, b);
    // union of regions: 3 probes, ok latencies 10, 20, 30 → p50 = rank 2 = 20 ms
    expect([m.probes, m.probesOk, m.faults, m.region, m.version, m.final]).toEqual([3, 3, 1, 'north', 9, true]);
    expect(Math.abs(figuresFromRollup(m).probes.p50! - 20) / 20).toBeLessThanOrEqual(0.005);
  });

  it('aligns windows to UTC minutes, hours and days', () => {
    const ts = Date.UTC(2026, 2, 1, 23, 59, 59, 999);
    expect(alignStart(ts, '1m')).toBe(Date.UTC(2026, 2, 1, 23, 59));
    expect(alignStart(ts, '1h')).toBe(Date.UTC(2026, 2, 1, 23));
    expect(alignStart(ts, '1d')).toBe(Date.UTC(2026, 2, 1));
    expect(alignStart(-1, '1m')).toBe(-60_000);
  });
});
